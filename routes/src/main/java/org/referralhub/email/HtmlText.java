package org.referralhub.email;

import java.util.regex.Pattern;

/**
 * The text of an HTML body, for reading forms out of it: scripts and styles dropped, block ends become line breaks,
 * tags removed, entities decoded. Nothing of it is ever rendered or echoed as HTML.
 */
final class HtmlText {

    private static final Pattern DROPPED = Pattern.compile("(?is)<(script|style|head)[^>]*>.*?</\\1\\s*>");
    private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|/p|/div|/tr|/li|/h[1-6])\\s*/?>");
    private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");

    private HtmlText() {
    }

    static String of(String html) {
        String text = DROPPED.matcher(html).replaceAll(" ");
        text = BREAKS.matcher(text).replaceAll("\n");
        text = TAGS.matcher(text).replaceAll("");
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&eacute;", "é").replace("&Eacute;", "É")
                .replace("&egrave;", "è").replace("&agrave;", "à").replace("&ccedil;", "ç").replace("&amp;", "&");
    }
}
