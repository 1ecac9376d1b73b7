package org.referralhub.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunnelReportTest {

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndOfNothingIsNothing() {
        assertThat(FunnelReport.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(FunnelReport.median(List.of(4.0, 1.0, 2.0, 10.0))).isEqualTo(3.0);
        assertThat(FunnelReport.median(List.of())).isNull();
    }

    @Test
    void anEmptyPeriodHasZerosAndNoRates() {
        FunnelReport.Row row = FunnelReport.row("all", "all", List.of());
        assertThat(row.received()).isZero();
        assertThat(row.rates().get("eligible")).isNull();
        assertThat(row.medianDaysToFirstContact()).isNull();
        assertThat(FunnelReport.csv(FunnelReport.of(null, null, Map.of(), List.of())).lines().skip(1).findFirst().orElseThrow())
                .startsWith("all,all,0,0,0,0,0,0,0,,,,,,");
    }
}
