package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.email.EmailImport;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.EmailIntakeFunction;

/** The e-mail handler fed with the S3 event SES's receipt rule causes, on a message as SES stores it. */
class EmailIntakeFunctionIT extends HubOnDynamoDbLocal {

    private static final String SES_STORED = """
            Return-Path: <coach@polycultural.example>
            Received: from mail.polycultural.example (mail.polycultural.example [203.0.113.7])
             by inbound-smtp.ca-central-1.amazonaws.com with SMTP id o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1
             for referrals@referrals.example.org; Mon, 23 Nov 2026 15:10:10 +0000 (UTC)
            X-SES-Spam-Verdict: PASS
            X-SES-Virus-Verdict: PASS
            Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=coach@polycultural.example; dkim=pass header.i=@polycultural.example; dmarc=pass header.from=polycultural.example;
            From: Coach <coach@polycultural.example>
            To: referrals@referrals.example.org
            Subject: Referral
            Message-ID: <CAB1@mail.polycultural.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8

            First name: Lina
            Last name: Haddad
            Email: lina.haddad@example.net
            Consent: yes
            """;

    @Test
    void aMessageSesStoredBecomesAReferralAndAForgedOneIsQuarantined() throws Exception {
        Path inbound = Files.createDirectories(data.resolve("mail/inbound"));
        Files.writeString(inbound.resolve("o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1"), SES_STORED.replace("\n", "\r\n"),
                StandardCharsets.UTF_8);
        S3Event event = AwsEvents.read(S3Event.class, "events/s3-ses-mail.json");
        EmailIntakeFunction handler = new EmailIntakeFunction(hub);

        List<EmailImport.Outcome> outcomes = handler.handleRequest(event, new LocalLambdaContext("email-intake"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.disposition()).isEqualTo("accepted");
            assertThat(o.agencyId()).isEqualTo("polycultural");
            assertThat(o.referralIds()).hasSize(1);
        });

        Files.writeString(inbound.resolve("o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1"), SES_STORED
                .replace("dmarc=pass header.from", "dmarc=fail header.from").replace("\n", "\r\n"), StandardCharsets.UTF_8);
        List<EmailImport.Outcome> forged = handler.handleRequest(event, new LocalLambdaContext("email-intake"));
        assertThat(forged).singleElement().satisfies(o -> {
            assertThat(o.disposition()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("failed-authentication");
            assertThat(hub.services().store().quarantined(o.receiptId())).get().asString().contains("failed-authentication");
        });
    }
}
