package org.referralhub.email;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The text of an HTML body, for reading forms out of it, parsed as a browser would (jsoup): scripts, styles and the
 * head dropped, every entity decoded, each block and line break a new line, no markup left. Nothing of it is ever
 * rendered or echoed as HTML.
 */
final class HtmlText {

    private HtmlText() {
    }

    static String of(String html) {
        Document document = Jsoup.parse(html);
        document.select("head, script, style, template, noscript").remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode words) {
                    text.append(words.text());
                } else if (node instanceof Element element && (element.isBlock() && !cell(element)
                        || element.normalName().equals("br"))) {
                    text.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && element.isBlock()) {
                    // a table's cells stay apart on their row: "Email:" and its value in two cells read as one line
                    text.append(cell(element) ? ' ' : '\n');
                }
            }
        }, document.body());
        return text.toString();
    }

    private static boolean cell(Element element) {
        return element.normalName().equals("td") || element.normalName().equals("th");
    }
}
