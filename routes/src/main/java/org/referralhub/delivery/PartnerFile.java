package org.referralhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.referralhub.config.PartnerChannel;
import org.referralhub.config.PartnerChannel.Column;
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

    public static byte[] render(PartnerChannel.Tabular intake, List<PartnerReferral> referrals) {
        List<JsonNode> views = referrals.stream().map(r -> (JsonNode) CanonicalJson.MAPPER.valueToTree(r)).toList();
        if ("json".equals(intake.format())) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (JsonNode view : views) {
                if (intake.columns().isEmpty()) {
                    array.add(view);
                } else {
                    ObjectNode selected = array.addObject();
                    for (Column column : intake.columns()) {
                        selected.set(column.header(), FieldPath.parse(column.field()).resolve(view).deepCopy());
                    }
                }
            }
            return CanonicalJson.write(array).getBytes(StandardCharsets.UTF_8);
        }
        List<Column> columns = intake.columns().isEmpty() ? DEFAULT_COLUMNS : intake.columns();
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
    static final List<Column> DEFAULT_COLUMNS = List.of(
            new Column("deliveryId", "deliveryId"),
            new Column("referralId", "referralId"),
            new Column("agency", "agencyName"),
            new Column("agencyReference", "agencyReference"),
            new Column("referredAt", "referredAt"),
            new Column("firstName", "client.firstName"),
            new Column("lastName", "client.lastName"),
            new Column("email", "client.email"),
            new Column("phone", "client.phone"),
            new Column("preferredLanguage", "client.preferredLanguage"),
            new Column("postalCode", "client.postalCode"),
            new Column("profession", "client.profession"),
            new Column("consentGiven", "consent.given"));
}
