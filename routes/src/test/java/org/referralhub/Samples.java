package org.referralhub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;

/** The demo configuration and the sample agency payloads that ship with the hub. */
public final class Samples {

    /** Stand-ins for the demo's signing secrets, which live in a secret store, not in the configuration. */
    public static final Function<String, String> DEMO_SECRETS =
            name -> "whsec_" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8));


    private Samples() {
    }

    public static HubConfiguration demoConfiguration() {
        return ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://localhost:8080"),
                DEMO_SECRETS);
    }

    /** CICS's canonical sample as the hub stores it: requested, routed to its partner, its delivery pending. */
    public static Referral storedReferral() {
        HubConfiguration config = demoConfiguration();
        Instant now = Instant.parse("2026-11-23T15:00:00.123Z");
        var agency = config.agency("cics").orElseThrow();
        return new ReferralIntake(config).assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), agency,
                Channel.WEBHOOK, agency.webhookMapping(), now, "s3://archive/raw/webhook/x.json"),
                payload("cics-canonical.json"));
    }

    public static JsonNode payload(String name) {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream("samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return CanonicalJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
