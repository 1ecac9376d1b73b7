package org.referralhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.referralhub.config.Partner;
import org.referralhub.files.CsvText;
import org.referralhub.intake.FieldPath;
import org.referralhub.referral.CanonicalJson;

/**
 * A file of referrals for a partner that takes files: CSV with the partner's own column names and order (formula
 * characters neutralized), or JSON — the whole partner view, or just the configured columns.
 */
public final class PartnerFile {

    private PartnerFile() {
    }

    public static String extension(Partner.Intake intake) {
        return "json".equals(intake.format()) ? "json" : "csv";
    }

    public static byte[] render(Partner.Intake intake, List<PartnerReferral> referrals) {
        List<JsonNode> views = referrals.stream().map(r -> (JsonNode) CanonicalJson.MAPPER.valueToTree(r)).toList();
        if ("json".equals(intake.format())) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (JsonNode view : views) {
                if (intake.columns().isEmpty()) {
                    array.add(view);
                } else {
                    ObjectNode selected = array.addObject();
                    for (Partner.Column column : intake.columns()) {
                        selected.set(column.header(), FieldPath.parse(column.field()).resolve(view).deepCopy());
                    }
                }
            }
            return CanonicalJson.write(array).getBytes(StandardCharsets.UTF_8);
        }
        List<Partner.Column> columns = intake.columns().isEmpty() ? DEFAULT_COLUMNS : intake.columns();
        List<FieldPath> paths = columns.stream().map(c -> FieldPath.parse(c.field())).toList();
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", columns.stream().map(c -> CsvText.cell(c.header())).toList())).append("\r\n");
        for (JsonNode view : views) {
            csv.append(String.join(",", paths.stream().map(p -> CsvText.cell(text(p.resolve(view)))).toList()))
                    .append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(n -> joined.append(joined.isEmpty() ? "" : ";").append(n.asText()));
            return joined.toString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Columns of a partner that named none. */
    static final List<Partner.Column> DEFAULT_COLUMNS = List.of(
            new Partner.Column("deliveryId", "deliveryId"),
            new Partner.Column("referralId", "referralId"),
            new Partner.Column("agency", "agencyName"),
            new Partner.Column("agencyReference", "agencyReference"),
            new Partner.Column("referredAt", "referredAt"),
            new Partner.Column("firstName", "client.firstName"),
            new Partner.Column("lastName", "client.lastName"),
            new Partner.Column("email", "client.email"),
            new Partner.Column("phone", "client.phone"),
            new Partner.Column("preferredLanguage", "client.preferredLanguage"),
            new Partner.Column("postalCode", "client.postalCode"),
            new Partner.Column("profession", "client.profession"),
            new Partner.Column("consentGiven", "consent.given"));
}
