package org.referralhub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into an agency's JSON: dotted names, {@code [n]} array indexes and {@code [name=value]} selectors that
 * pick the first array element whose (dotted) member equals the value, e.g.
 * {@code form_response.answers[field.ref=email].email}; a selector's path may index too
 * ({@code Observation[code.coding[0].code=english-level].valueInteger}). A key that exists literally (a spreadsheet header such
 * as {@code "No. of years"}) wins over the path reading, so row-shaped data maps with the same engine.
 */
public final class FieldPath {

    private final String text;
    private final List<Step> steps;

    private FieldPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    public static FieldPath parse(String text) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        StringBuilder name = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                if (!name.isEmpty()) {
                    steps.add(new Step(name.toString(), null, null, -1));
                    name.setLength(0);
                }
                i++;
            } else if (c == '[') {
                int close = closing(text, i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in path '" + text + "'");
                }
                if (!name.isEmpty()) {
                    steps.add(new Step(name.toString(), null, null, -1));
                    name.setLength(0);
                }
                String inside = text.substring(i + 1, close).trim();
                int eq = inside.indexOf('=');
                if (eq > 0) {
                    steps.add(new Step(null, FieldPath.parse(inside.substring(0, eq).trim()),
                            unquote(inside.substring(eq + 1).trim()), -1));
                } else {
                    try {
                        steps.add(new Step(null, null, null, Integer.parseInt(inside)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'[" + inside + "]' in path '" + text
                                + "' is neither an index nor a name=value selector");
                    }
                }
                i = close + 1;
            } else {
                name.append(c);
                i++;
            }
        }
        if (!name.isEmpty()) {
            steps.add(new Step(name.toString(), null, null, -1));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        return new FieldPath(text, List.copyOf(steps));
    }

    /** The node at this path, or a missing node. */
    public JsonNode resolve(JsonNode root) {
        if (root != null && root.isObject() && root.has(text)) {
            return root.get(text);
        }
        JsonNode node = root;
        for (Step step : steps) {
            if (node == null || node.isMissingNode() || node.isNull()) {
                return MissingNode.getInstance();
            }
            node = step.apply(node);
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The ']' that closes the '[' at {@code open}, past any bracket pairs inside (a selector's own index). */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int j = open; j < text.length(); j++) {
            if (text.charAt(j) == '[') {
                depth++;
            } else if (text.charAt(j) == ']' && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** One step: a member name, an index, or a selector whose path is parsed once, with the path. */
    private record Step(String name, FieldPath selector, String selectorValue, int index) {
        JsonNode apply(JsonNode node) {
            if (name != null) {
                return node.path(name);
            }
            if (index >= 0) {
                return node.path(index);
            }
            if (!node.isArray()) {
                return MissingNode.getInstance();
            }
            for (JsonNode element : node) {
                JsonNode value = selector.resolve(element);
                if (value.isValueNode() && value.asText().equals(selectorValue)) {
                    return element;
                }
            }
            return MissingNode.getInstance();
        }
    }
}
