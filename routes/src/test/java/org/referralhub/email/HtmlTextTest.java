package org.referralhub.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An HTML body's text, as a reader sees it: every entity decoded, no markup leaking, one line per block. */
class HtmlTextTest {

    @Test
    void everyEntityIsDecodedNumericOrNamed() {
        assertThat(HtmlText.of("<p>Pr&#233;nom: Aim&eacute;e</p><p>Note: l&rsquo;&eacute;t&eacute; &#x2014; ok</p>"))
                .contains("Prénom: Aimée").contains("Note: l’été — ok");
    }

    @Test
    void aGreaterThanInsideAnAttributeLeaksNoMarkup() {
        String text = HtmlText.of("<div><span title=\"a > b\">First name: Amara</span></div><div>Email: a@x.example</div>");
        assertThat(text).doesNotContain("b\">").doesNotContain("<").doesNotContain(">");
        assertThat(text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .containsExactly("First name: Amara", "Email: a@x.example");
    }

    @Test
    void blocksAndBreaksBecomeLinesAndScriptsStylesAreDropped() {
        String text = HtmlText.of("<html><head><style>p{}</style></head><body><script>x()</script>"
                + "First name: Lina<br>Last name: Haddad<table><tr><td>Phone: 416</td></tr><tr><td>Email:</td><td>l@x.example"
                + "</td></tr></table></body></html>");
        assertThat(text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .containsExactly("First name: Lina", "Last name: Haddad", "Phone: 416", "Email: l@x.example");
    }
}
