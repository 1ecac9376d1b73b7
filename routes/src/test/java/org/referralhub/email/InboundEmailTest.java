package org.referralhub.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Raw MIME as SES stores it, read without any server. */
class InboundEmailTest {

    private static InboundEmail parse(String raw) {
        return InboundEmail.parse(raw.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1), 10, 1_000_000);
    }

    private static final String HEADERS = """
            Return-Path: <coach@cics.example>
            Received: from mail.cics.example by inbound-smtp.ca-central-1.amazonaws.com with SMTP id abc
            X-SES-Spam-Verdict: PASS
            X-SES-Virus-Verdict: PASS
            %s
            From: =?UTF-8?Q?Jo=C3=ABl_Coach?= <Coach@CICS.example>
            To: referrals@referrals.example.org
            Subject: =?UTF-8?Q?R=C3=A9f=C3=A9rence?=
            Message-ID: <m1@cics.example>
            MIME-Version: 1.0
            """;

    @Test
    void quotedPrintableLatin1AndAnRfc2231AttachmentName() {
        InboundEmail email = parse(HEADERS.formatted("Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass") + """
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=ISO-8859-1
                Content-Transfer-Encoding: quoted-printable

                Pr=E9nom : H=E9l=E8ne
                --b1
                Content-Type: text/csv
                Content-Disposition: attachment; filename*=UTF-8''r%C3%A9f%C3%A9r%C3%A9s.csv
                Content-Transfer-Encoding: base64

                YSxiCjEsMgo=
                --b1--
                """);
        assertThat(email.from()).isEqualTo("coach@cics.example");
        assertThat(email.subject()).isEqualTo("Référence");
        assertThat(email.body()).contains("Prénom : Hélène");
        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("référés.csv");
            assertThat(new String(a.content(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
        });
        assertThat(email.senderUnproven()).isFalse();
    }

    /** Malformed but readable messages, as real mailers send them, are read — not quarantined as unreadable. */
    @Test
    void malformedButReadableMessagesAreRead() {
        String form = "First name: Amara\nEmail: amara@example.org\n";
        // double semicolons in parameters
        InboundEmail doubled = parse(HEADERS.formatted("X-Mailer: odd") + """
                Content-Type: multipart/mixed;; boundary="b1"

                --b1
                Content-Type: text/plain;; charset="utf-8"

                %s
                --b1
                Content-Type: text/csv
                Content-Disposition: attachment;; filename="r.csv"

                a,b
                --b1--
                """.formatted(form));
        assertThat(doubled.body()).contains("First name: Amara");
        assertThat(doubled.attachments()).singleElement().satisfies(a -> assertThat(a.fileName()).isEqualTo("r.csv"));

        // no boundary parameter: the body's own delimiter line is the boundary
        InboundEmail noBoundary = parse(HEADERS.formatted("X-Mailer: odd") + """
                Content-Type: multipart/mixed

                --zz
                Content-Type: text/plain

                %s
                --zz--
                """.formatted(form));
        assertThat(noBoundary.body()).contains("First name: Amara");

        // a boundary declared but another one used
        InboundEmail otherBoundary = parse(HEADERS.formatted("X-Mailer: odd") + """
                Content-Type: multipart/alternative; boundary="--=_declared"

                ----=_used
                Content-Type: text/plain

                %s
                ----=_used--
                """.formatted(form));
        assertThat(otherBoundary.body()).contains("First name: Amara");

        // no closing boundary
        InboundEmail unclosed = parse(HEADERS.formatted("X-Mailer: odd") + """
                Content-Type: multipart/mixed; boundary="b2"

                --b2
                Content-Type: text/plain

                %s
                """.formatted(form));
        assertThat(unclosed.body()).contains("First name: Amara");
    }

    /** Raw 8-bit UTF-8 in headers (no encoded words), as many mailers send it, reads as the sender wrote it. */
    @Test
    void rawUtf8HeadersAreRead() {
        String raw = ("From: Joël Coach <coach@cics.example>\nTo: referrals@referrals.example.org\nSubject: Référence\n"
                + "Content-Type: text/plain; charset=utf-8\n\nPrénom: Hélène\n").replace("\n", "\r\n");
        InboundEmail email = InboundEmail.parse(raw.getBytes(StandardCharsets.UTF_8), 10, 1_000_000);
        assertThat(email.from()).isEqualTo("coach@cics.example");
        assertThat(email.subject()).isEqualTo("Référence");
        assertThat(email.body()).contains("Prénom: Hélène");
    }

    /** An attachment's name is a name, never a path: folders (Unix or Windows) and dot-dot are left out. */
    @Test
    void pathsInAttachmentNamesAreLeftOut() {
        String[][] names = {{"/evil/filename.csv", "filename.csv"}, {"..\\..\\windows\\r.csv", "r.csv"},
                {"../../etc/passwd", "passwd"}, {"..", "attachment"}, {"C:\\Users\\coach\\week 3.xlsx", "week 3.xlsx"}};
        for (String[] name : names) {
            InboundEmail email = parse(HEADERS.formatted("X-Mailer: test") + """
                    Content-Type: multipart/mixed; boundary="b1"

                    --b1
                    Content-Type: text/plain

                    See attached.
                    --b1
                    Content-Type: text/csv
                    Content-Disposition: attachment; filename="%s"

                    a,b
                    --b1--
                    """.formatted(name[0].replace("\\", "\\\\")));   // a quoted MIME parameter escapes its backslashes
            assertThat(email.attachments()).singleElement().satisfies(a -> assertThat(a.fileName()).as(name[0])
                    .isEqualTo(name[1]));
        }
    }

    @Test
    void sesVerdictsVouchForTheFromAddressOnlyWhenAlignedAndOthersAreNeverTrusted() {
        String body = "Content-Type: text/plain\n\nFirst name: A\n";
        // as SES writes them (a message from a Gmail account through Google's servers), for From: Coach@CICS.example
        String ses = """
                Authentication-Results: amazonses.com;
                 spf=pass (spfCheck: domain of %s designates 209.85.160.178 as permitted sender) client-ip=209.85.160.178; envelope-from=%s; helo=mail-qt1-f178.google.com;
                 dkim=%s header.i=@%s;
                 dmarc=%s header.from=%s;""";
        Map<String, Boolean> unproven = new LinkedHashMap<>();
        unproven.put(ses.formatted("cics.example", "coach@cics.example", "pass", "cics.example", "pass", "cics.example"), false);
        // DKIM alone, aligned (a subdomain signs), no DMARC policy published
        unproven.put(ses.formatted("x.example", "bounce@x.example", "pass", "mail.cics.example", "none", "cics.example"), false);
        // SPF alone, aligned envelope sender
        unproven.put(ses.formatted("cics.example", "list@cics.example", "fail", "cics.example", "none", "cics.example"), false);
        // SPF passing for an unrelated envelope domain, no DMARC: proves nothing about cics.example
        unproven.put(ses.formatted("unrelated.example", "a@unrelated.example", "none", "unrelated.example", "none",
                "cics.example"), true);
        // an envelope sender named to look like a verdict
        unproven.put(ses.formatted("evil.example", "dkim=pass@evil.example", "fail", "cics.example", "none", "cics.example"),
                true);
        // DMARC failed, whatever else passed
        unproven.put(ses.formatted("cics.example", "coach@cics.example", "pass", "cics.example", "fail", "cics.example"), true);
        // DMARC passed for another From domain
        unproven.put("Authentication-Results: amazonses.com; dmarc=pass header.from=evil.example", true);
        // a DKIM pass for a one-label domain aligns with nothing
        unproven.put("Authentication-Results: amazonses.com; dkim=pass header.d=example", true);
        unproven.put("Authentication-Results: amazonses.com; spf=fail; dkim=none; dmarc=fail", true);
        unproven.put("Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass", false);
        unproven.forEach((header, expected) -> assertThat(parse(HEADERS.formatted(header) + body).senderUnproven())
                .as(header).isEqualTo(expected));

        assertThat(parse(HEADERS.formatted("Authentication-Results: evil.example; dmarc=pass") + body)
                .authenticationResults()).as("another service's verdicts").isNull();
        // a sender's own header naming amazonses.com, below the one SES put on top, is never read
        InboundEmail below = parse(HEADERS.formatted(
                "Authentication-Results: amazonses.com; spf=none; dkim=none; dmarc=none header.from=cics.example\n"
                        + "Authentication-Results: amazonses.com; dmarc=pass header.from=cics.example") + body);
        assertThat(below.senderUnproven()).isTrue();
    }

    @Test
    void withoutASenderOrWithTooManyAttachmentsTheMessageIsUnreadable() {
        assertThatThrownBy(() -> parse("Subject: x\n\nhello\n")).isInstanceOf(InboundEmail.UnreadableEmailException.class)
                .hasMessageContaining("sender");
        StringBuilder many = new StringBuilder(HEADERS.formatted("X-Nothing: 1") + "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
        for (int i = 0; i < 11; i++) {
            many.append("--b\nContent-Type: text/csv\nContent-Disposition: attachment; filename=\"f").append(i)
                    .append(".csv\"\n\na,b\n");
        }
        many.append("--b--\n");
        assertThatThrownBy(() -> parse(many.toString())).isInstanceOf(InboundEmail.UnreadableEmailException.class)
                .hasMessageContaining("more than 10 attachments");
    }
}
