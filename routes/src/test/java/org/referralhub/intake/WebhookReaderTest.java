package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;

/** A webhook body is one JSON object, read as sent: nothing after it, no key twice. */
class WebhookReaderTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final Agency CICS = CONFIG.agency("cics").orElseThrow();
    private final WebhookReader reader = new WebhookReader(new ReferralIntake(CONFIG));

    @ParameterizedTest
    @ValueSource(strings = {"{\"client\":{}}xyz", "{\"client\":{}}{\"client\":{}}", "{\"client\":{}} [1]", "{} 7"})
    void contentAfterTheObjectIsRefusedWithWhereItStarts(String body) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(ChannelReader.Unreadable.class)
                .hasMessageContaining("after the JSON object").hasMessageContaining("line 1, column");
    }

    @Test
    void aKeyTwiceIsRefusedByName() {
        String body = "{\"consent\": {\"given\": false, \"given\": true}, \"client\": {\"firstName\": \"A\"}}";
        assertThatThrownBy(() -> read(body)).isInstanceOf(ChannelReader.Unreadable.class)
                .hasMessageContaining("'given'").hasMessageContaining("more than once");
    }

    @Test
    void oneObjectWithSpaceAfterItIsRead() {
        assertThat(read("{\"client\": {\"firstName\": \"A\"}}\n\n")).hasSize(1);
    }

    private List<ChannelReader.Labelled> read(String body) {
        List<ChannelReader.Labelled> drafts = new ArrayList<>();
        reader.read(CICS, null, body.getBytes(StandardCharsets.UTF_8), new ChannelReader.Found() {
            @Override
            public void draft(ChannelReader.Labelled draft) {
                drafts.add(draft);
            }

            @Override
            public void problem(String problem) {
                throw new AssertionError(problem);
            }
        });
        return drafts;
    }
}
