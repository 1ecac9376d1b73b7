package org.referralhub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.referralhub.config.DateOrder;
import org.referralhub.config.FieldMapping;
import org.referralhub.config.FieldMappingSet;
import org.referralhub.referral.CanonicalJson;

/**
 * The mapping engine: reads an agency's payload through its configured {@link FieldMappingSet} and yields a
 * {@link ReferralDraft} of normalized canonical fields. The same engine serves every channel: a JSON body, a
 * spreadsheet row (an object of header -> cell) or an e-mail form.
 */
public final class ReferralMapper {

    private static final FieldMappingSet CANONICAL_SET = canonicalSet();
    private static final FieldMappingSet FHIR_SET = builtIn("/mappings/fhir-r4.json");

    private final Map<String, FieldMappingSet> mappings;
    private final NameHints hints;
    private final Map<String, Map<CanonicalField, CompiledMapping>> compiled = new ConcurrentHashMap<>();

    public ReferralMapper(Map<String, FieldMappingSet> mappings) {
        Map<String, FieldMappingSet> all = new LinkedHashMap<>(mappings);
        all.putIfAbsent(FieldMappingSet.CANONICAL, CANONICAL_SET);
        all.putIfAbsent(FieldMappingSet.FHIR_R4, FHIR_SET);
        this.mappings = Map.copyOf(all);
        this.hints = new NameHints(this.mappings);
        for (String id : this.mappings.keySet()) {
            compiled(id);
        }
    }

    /** The built-in mapping: each canonical field from the path of the same name. */
    public static FieldMappingSet canonicalSet() {
        Map<String, FieldMapping> fields = new LinkedHashMap<>();
        for (CanonicalField f : CanonicalField.values()) {
            fields.put(f.path(), FieldMapping.from(f.path()));
        }
        return new FieldMappingSet("the canonical referral format v1", fields);
    }

    /**
     * A mapping every hub has, kept as data among the hub's resources: JSON, read by the mapper every function has
     * loaded already. As YAML its first parse cost 19 ms of every cold start against 3 ms (fresh JVMs with Lambda's
     * flags, 5 each): the YAML parser's classes, for one small file.
     */
    private static FieldMappingSet builtIn(String resource) {
        try (InputStream in = ReferralMapper.class.getResourceAsStream(resource)) {
            return CanonicalJson.MAPPER.readValue(in, FieldMappingSet.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in mapping " + resource, e);
        }
    }

    /** The built-in mapping of FHIR R4 Bundles, as an administrator would copy it. */
    public static FieldMappingSet fhirSet() {
        return FHIR_SET;
    }

    /** Every source path of mapping {@code mappingId}, in the order its fields list them. */
    public List<String> sources(String mappingId) {
        List<String> sources = new ArrayList<>();
        compiled(mappingId).values().forEach(mapping -> sources.addAll(mapping.config.from()));
        return sources;
    }

    public boolean knows(String mappingId) {
        return mappings.containsKey(mappingId);
    }

    public ReferralDraft map(String mappingId, JsonNode payload) {
        return map(mappingId, payload, DateOrder.NONE);
    }

    /** @param order how the sender writes the dates its mapping declares no format for */
    public ReferralDraft map(String mappingId, JsonNode payload, DateOrder order) {
        List<String> fields = new ArrayList<>();
        if (payload != null && payload.isObject()) {
            payload.fieldNames().forEachRemaining(fields::add);
        }
        return map(compiled(mappingId), payload, notRead(mappingId, fields), order);
    }

    /**
     * The names of an input (columns, labels, top-level fields) that mapping {@code mappingId} reads nothing from, in
     * their order, each with the canonical field it probably is. A name is read when a source of the mapping is that
     * name (case, accents and spacing aside) or starts with it ({@code client} for {@code client.firstName}).
     */
    public List<NotRead> notRead(String mappingId, List<String> names) {
        Set<String> read = new HashSet<>();
        for (CompiledMapping mapping : compiled(mappingId).values()) {
            for (String from : mapping.config.from()) {
                read.add(Languages.key(from));
                read.add(Languages.key(from.split("[.\\[]", 2)[0]));
            }
        }
        List<NotRead> out = new ArrayList<>();
        for (String name : names) {
            if (name != null && !name.isBlank() && !read.contains(Languages.key(name))) {
                out.add(new NotRead(name, hints.probably(name)));
            }
        }
        return out;
    }

    /**
     * A mapping bound to one file's header row: each source name that matches a header regardless of case, accents
     * and spacing ("prenom" and "Prénom ") is read from that header. Done once per file, not once per row.
     */
    public Function<JsonNode, ReferralDraft> forHeaders(String mappingId, List<String> headers) {
        return forHeaders(mappingId, headers, DateOrder.NONE);
    }

    /** As {@link #forHeaders(String, List)}, dates without a declared format read in {@code order}. */
    public Function<JsonNode, ReferralDraft> forHeaders(String mappingId, List<String> headers, DateOrder order) {
        Map<String, String> byFolded = new HashMap<>();
        for (String header : headers) {
            byFolded.putIfAbsent(Languages.key(header), header);
        }
        Map<CanonicalField, CompiledMapping> bound = new EnumMap<>(CanonicalField.class);
        compiled(mappingId).forEach((field, mapping) -> bound.put(field, new CompiledMapping(mapping.config,
                mapping.config.from().stream()
                        .map(from -> byFolded.containsKey(Languages.key(from)) ? byFolded.get(Languages.key(from)) : from)
                        .map(FieldPath::parse).toList())));
        List<NotRead> notRead = notRead(mappingId, headers);
        return payload -> map(bound, payload, notRead, order);
    }

    private ReferralDraft map(Map<CanonicalField, CompiledMapping> set, JsonNode payload, List<NotRead> notRead,
                              DateOrder order) {
        EnumMap<CanonicalField, Object> values = new EnumMap<>(CanonicalField.class);
        Map<CanonicalField, String> sources = new EnumMap<>(CanonicalField.class);
        List<FieldError> errors = new ArrayList<>();
        if (payload == null || !payload.isObject()) {
            errors.add(new FieldError("", null, "not-an-object", "the referral must be a JSON object"));
            return new ReferralDraft(values, sources, errors, notRead);
        }
        for (Map.Entry<CanonicalField, CompiledMapping> e : set.entrySet()) {
            CanonicalField field = e.getKey();
            CompiledMapping mapping = e.getValue();
            JsonNode raw = MissingNode.getInstance();
            String source = mapping.paths.isEmpty() ? null : mapping.paths.get(0).toString();
            for (FieldPath path : mapping.paths) {
                JsonNode candidate = path.resolve(payload);
                if (!FieldReader.isBlank(candidate)) {
                    raw = candidate;
                    source = path.toString();
                    break;
                }
            }
            sources.put(field, source);
            if (FieldReader.isBlank(raw)) {
                if (mapping.config.defaultValue() == null) {
                    continue;
                }
                raw = TextNode.valueOf(String.valueOf(mapping.config.defaultValue()));
            }
            try {
                Object value = FieldReader.read(field, raw, mapping.config.dateFormat(), mapping.config.split(),
                        mapping.config.values(), order);
                if (value != null && !(value instanceof List<?> l && l.isEmpty())
                        && !(value instanceof String s && s.isEmpty())) {
                    values.put(field, value);
                }
            } catch (FieldReader.Unreadable u) {
                errors.add(new FieldError(field.path(), source, u.code, u.getMessage()));
            }
        }
        return new ReferralDraft(values, sources, errors, notRead);
    }

    private Map<CanonicalField, CompiledMapping> compiled(String mappingId) {
        return compiled.computeIfAbsent(mappingId, id -> {
            FieldMappingSet set = mappings.get(id);
            if (set == null) {
                throw new IllegalArgumentException("no mapping named '" + id + "'");
            }
            Map<CanonicalField, CompiledMapping> out = new EnumMap<>(CanonicalField.class);
            set.fields().forEach((path, mapping) -> {
                CanonicalField field = CanonicalField.byPath(path).orElseThrow(() -> new IllegalArgumentException(
                        "mapping '" + id + "' maps to '" + path + "', which is not a canonical field"));
                checkDateFormat(id, path, mapping.dateFormat());
                out.put(field, new CompiledMapping(mapping, mapping.from().stream().map(FieldPath::parse).toList()));
            });
            return out;
        });
    }

    /** A date format must name a whole day, month and year, and read back what it writes. */
    private static void checkDateFormat(String mappingId, String path, String format) {
        if (format == null) {
            return;
        }
        LocalDate sample = LocalDate.of(2024, 3, 15);
        try {
            DateTimeFormatter strict = FieldReader.strict(format);
            if (LocalDate.parse(strict.format(sample), strict).equals(sample)) {
                return;
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // said below
        }
        throw new IllegalArgumentException("mapping '" + mappingId + "' reads '" + path + "' with date format '" + format
                + "', which is not a pattern of day, month and year (e.g. dd/MM/yyyy)");
    }

    private record CompiledMapping(FieldMapping config, List<FieldPath> paths) {
    }
}
