package org.referralhub.camel.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiRequest;
import org.referralhub.referral.CanonicalJson;

/**
 * One call of the admin API as its routes receive it: which operation, the request (with the path parameters the
 * operation's template named), and the administrator making it.
 */
public record AdminCall(AdminOperation operation, ApiRequest request, String by) {

    /** A path parameter of the operation's template. */
    public String path(String name) {
        return request.pathParameters().get(name);
    }

    /** The body as a JSON object (empty when there is none); 400 otherwise. */
    public ObjectNode object() {
        if (request.body().length == 0) {
            return CanonicalJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(request.body());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new ApiProblem(400, "malformed", "Malformed request", "Send a JSON object.");
    }

    /** The version an {@code If-Match} header names, or null for none (or {@code *}). */
    public Long ifMatch() {
        String header = request.header("if-match");
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String digits = header.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new ApiProblem(400, "malformed", "Malformed If-Match", "If-Match holds a version from an ETag, e.g. \"12\".");
        }
        return Long.parseLong(digits);
    }

    /** A whole number from the path or the query; 400 when it is not one. */
    public static Long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "malformed", "Not a number", what + " must be a whole number.");
        }
    }

    /** A query number, or {@code otherwise} when absent. */
    public long queryNumber(String name, long otherwise) {
        return request.query(name) == null ? otherwise : number(request.query(name), name);
    }
}
