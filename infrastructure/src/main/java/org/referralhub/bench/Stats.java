package org.referralhub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians, ranges and percentiles of a benchmark's repeated measurements. */
final class Stats {

    private Stats() {
    }

    static Map<String, Double> of(List<Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("median", median(values));
        out.put("min", values.stream().mapToDouble(d -> d).min().orElse(0));
        out.put("max", values.stream().mapToDouble(d -> d).max().orElse(0));
        return out;
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** The nearest-rank percentile (p in 0..100) of the values; 0 for none. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        if (p == 50 && sorted.size() % 2 == 0) {
            return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static String range(List<Double> values, String format) {
        Map<String, Double> s = of(values);
        return String.format(format, s.get("median")) + " (" + String.format(format, s.get("min")) + "–"
                + String.format(format, s.get("max")) + ")";
    }
}
