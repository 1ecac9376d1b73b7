package org.referralhub.outcome;

/**
 * The small accessible HTML pages a partner sees when opening a status link: what it would report and a button, or
 * what became of it. Everything from outside is escaped here.
 */
public final class StatusLinkPage {

    /** The pages run no script and post only to the hub. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private StatusLinkPage() {
    }

    /** A page; {@code title} is escaped here, {@code content} is already safe. */
    public static String of(String title, String content) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width\"><title>" + escape(title) + "</title></head><body style=\"font-family:"
                + "sans-serif;max-width:40em;margin:2em auto\"><h1>" + escape(title) + "</h1><p>" + content + "</p></body></html>";
    }

    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
