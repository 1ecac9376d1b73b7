package org.referralhub.email;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Referrals written as a form in an e-mail body: {@code Label: value} lines ("Prénom : Marie", "Email: a@b.ca").
 * One message may hold several referrals: a label seen again, or a separator line ({@code ---}), starts the next.
 * Quoted history (lines starting with {@code >}, "On ... wrote:", "Le ... a écrit :", an "Original Message"
 * banner) ends the part that is read, so a reply never re-sends the referral it answers; a forwarded message's
 * banner does too, unless nothing above it is a form — then the forwarded form is read, once.
 */
public final class FormBody {

    private static final Pattern LINE = Pattern.compile("^\\s*([\\p{L}][\\p{L}\\p{N} '’()./_-]{0,60}?)\\s*:\\s*(.*?)\\s*$");
    private static final Pattern SEPARATOR = Pattern.compile("^\\s*(-{3,}|_{3,}|={3,}|\\*{3,})\\s*$");
    private static final Pattern REPLY_HISTORY = Pattern.compile(
            "^\\s*(>.*|On .+wrote:\\s*|Le .+a écrit\\s*:\\s*|-{2,}\\s*Original Message\\s*-{2,}.*|-{2,}\\s*Message d'origine\\s*-{2,}.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FORWARD_BANNER = Pattern.compile(
            "^\\s*-{2,}\\s*(Forwarded message|Message transféré)\\s*-{2,}.*$", Pattern.CASE_INSENSITIVE);
    /** Header lines of a forwarded message's banner, not referral fields. */
    private static final Pattern FORWARD_HEADER = Pattern.compile("^(from|de|date|subject|objet|to|à|cc|sent|envoyé)$",
            Pattern.CASE_INSENSITIVE);

    private FormBody() {
    }

    /** Each referral form found, as label -> value (labels as written; the mapping matches them loosely). */
    public static List<ObjectNode> parse(String text) {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n");
        int forward = -1;
        int end = lines.length;
        for (int i = 0; i < lines.length; i++) {
            if (FORWARD_BANNER.matcher(lines[i]).matches()) {
                forward = i;
                end = i;
                break;
            }
            if (REPLY_HISTORY.matcher(lines[i]).matches()) {
                end = i;
                break;
            }
        }
        List<ObjectNode> forms = forms(lines, 0, end, false);
        if (forms.isEmpty() && forward >= 0) {
            int stop = lines.length;
            for (int i = forward + 1; i < lines.length; i++) {
                if (REPLY_HISTORY.matcher(lines[i]).matches() || FORWARD_BANNER.matcher(lines[i]).matches()) {
                    stop = i;
                    break;
                }
            }
            forms = forms(lines, forward + 1, stop, true);
        }
        return forms;
    }

    private static List<ObjectNode> forms(String[] lines, int from, int to, boolean forwarded) {
        List<ObjectNode> forms = new ArrayList<>();
        ObjectNode current = JsonNodeFactory.instance.objectNode();
        for (int i = from; i < to; i++) {
            String line = lines[i];
            if (SEPARATOR.matcher(line).matches()) {
                current = flush(forms, current);
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches() || m.group(2).isEmpty() || line.contains("://") && m.group(1).length() < 6
                    && m.group(1).toLowerCase().startsWith("http")) {
                continue;
            }
            String label = m.group(1).trim();
            if (forwarded && FORWARD_HEADER.matcher(label).matches()) {
                continue;
            }
            if (current.has(label)) {
                current = flush(forms, current);
            }
            current.put(label, m.group(2));
        }
        flush(forms, current);
        return forms;
    }

    private static ObjectNode flush(List<ObjectNode> forms, ObjectNode current) {
        if (current.size() >= 2) {
            forms.add(current);
        }
        return JsonNodeFactory.instance.objectNode();
    }
}
