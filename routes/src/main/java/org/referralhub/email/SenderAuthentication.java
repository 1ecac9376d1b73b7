package org.referralhub.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SES's verdicts on a message's sender, read from the {@code Authentication-Results} header it writes (RFC 8601:
 * {@code authserv-id; method=result property=value…; …}), and whether they vouch for the From address: DMARC passed,
 * or DKIM passed for a domain aligned with the From domain, or SPF passed for an envelope sender aligned with it — and
 * no DMARC failure. Aligned: the same domain, or one a subdomain of the other (relaxed, as DMARC's default), never a
 * domain of one label.
 *
 * <p>Hand-written: no kept library parses RFC 8601 for Java (the mail libraries leave the header as text), and the
 * grammar needs little — comments and quoted strings set aside, {@code ;} between results, {@code key=value} tokens.
 * SES's own header writes SPF's details as results of their own ({@code spf=pass (…) client-ip=…; envelope-from=…;
 * helo=…;}): a piece without a method is a property of the result before it.
 */
public record SenderAuthentication(String authservId, List<Result> results) {

    /** The service whose verdicts the hub trusts: SES's receiving. */
    static final String SES = "amazonses.com";

    /** One method's result ({@code dkim=pass header.i=@example.org}): names lower case, properties as written. */
    public record Result(String method, String result, Map<String, String> properties) {

        boolean passed() {
            return "pass".equals(result);
        }

        /** The property's domain: what follows an {@code @} ({@code header.i=@example.org}), or the value. */
        Optional<String> domain(String... names) {
            for (String name : names) {
                String value = properties.get(name);
                if (value != null && !value.isBlank()) {
                    String domain = value.substring(value.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
                    return domain.isEmpty() ? Optional.empty() : Optional.of(domain);
                }
            }
            return Optional.empty();
        }
    }

    /** SPF's details that SES writes as pieces of their own after {@code spf=…}. */
    private static final List<String> SPF_DETAILS = List.of("client-ip", "envelope-from", "helo");

    /** Reads a header's value; empty when it is not one (no authserv-id). */
    public static Optional<SenderAuthentication> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        List<String> pieces = pieces(header);
        String[] id = pieces.get(0).strip().split("\\s+");
        if (id[0].isEmpty()) {
            return Optional.empty();
        }
        List<Result> results = new ArrayList<>();
        for (String piece : pieces.subList(1, pieces.size())) {
            List<String[]> tokens = tokens(piece);
            if (tokens.isEmpty()) {
                continue;
            }
            String first = tokens.get(0)[0];
            boolean method = !first.contains(".") && !SPF_DETAILS.contains(first);
            if (method) {
                Map<String, String> properties = new LinkedHashMap<>();
                tokens.subList(1, tokens.size()).forEach(t -> properties.putIfAbsent(t[0], t[1]));
                results.add(new Result(first, tokens.get(0)[1].toLowerCase(Locale.ROOT), properties));
            } else if (!results.isEmpty()) {
                Result before = results.get(results.size() - 1);
                Map<String, String> properties = new LinkedHashMap<>(before.properties());
                tokens.forEach(t -> properties.putIfAbsent(t[0], t[1]));
                results.set(results.size() - 1, new Result(before.method(), before.result(), properties));
            }
        }
        return Optional.of(new SenderAuthentication(id[0].toLowerCase(Locale.ROOT), List.copyOf(results)));
    }

    /** Whether SES wrote it. */
    public boolean bySes() {
        return SES.equals(authservId);
    }

    /** Whether these verdicts vouch for a sender of {@code fromDomain} (see the class comment). */
    public boolean vouchesFor(String fromDomain) {
        String from = fromDomain == null ? "" : fromDomain.strip().toLowerCase(Locale.ROOT);
        if (from.isEmpty() || results.stream().anyMatch(r -> r.method().equals("dmarc") && r.result().equals("fail"))) {
            return false;
        }
        for (Result r : results) {
            if (!r.passed()) {
                continue;
            }
            boolean vouches = switch (r.method()) {
                case "dmarc" -> r.domain("header.from").map(from::equals).orElse(true);
                case "dkim" -> r.domain("header.d", "header.i").map(d -> aligned(d, from)).orElse(false);
                case "spf" -> r.domain("smtp.mailfrom", "envelope-from").map(d -> aligned(d, from)).orElse(false);
                default -> false;
            };
            if (vouches) {
                return true;
            }
        }
        return false;
    }

    /** The same domain, or one a subdomain of the other, the shorter of at least two labels. */
    static boolean aligned(String a, String b) {
        String shorter = a.length() <= b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return shorter.contains(".") && (longer.equals(shorter) || longer.endsWith("." + shorter));
    }

    /** The header split at its {@code ;}, comments taken out, quoted strings kept whole. */
    private static List<String> pieces(String header) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (quoted) {
                piece.append(c);
                if (c == '\\' && i + 1 < header.length()) {
                    piece.append(header.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth = 1;
                piece.append(' ');
            } else if (c == '"') {
                quoted = true;
                piece.append(c);
            } else if (c == ';') {
                pieces.add(piece.toString());
                piece.setLength(0);
            } else {
                piece.append(c);
            }
        }
        pieces.add(piece.toString());
        return pieces;
    }

    /** A piece's {@code key=value} tokens (keys lower case, quotes taken off values); other words are left out. */
    private static List<String[]> tokens(String piece) {
        List<String[]> tokens = new ArrayList<>();
        for (String word : piece.strip().split("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                String value = word.substring(equals + 1);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                tokens.add(new String[] {word.substring(0, equals).toLowerCase(Locale.ROOT), value});
            }
        }
        return tokens;
    }
}
