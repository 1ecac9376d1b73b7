package org.referralhub.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.FieldMappingSet;
import org.referralhub.config.HubConfiguration;
import org.referralhub.email.MessageReader;
import org.referralhub.fhir.BundleReader;
import org.referralhub.files.FileLimits;
import org.referralhub.files.FileRowsReader;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.FieldError;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.NotRead;
import org.referralhub.intake.ReferralDraft;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.intake.WebhookReader;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.routing.PartnerLoad;
import org.referralhub.routing.PartnerTally;

/**
 * What would happen to a sample, without storing or delivering anything: the canonical referrals an agency's
 * payload, file or e-mail would produce, each with its validation errors or its screening and routing decision.
 * It reads samples with the very code the live channels use, so its answer is what the live path then does.
 */
public final class Sandbox {

    private final ConfigurationSource live;
    private final PartnerLoad load;
    private final Function<ObjectNode, HubConfiguration> propose;
    private final Clock clock;

    /**
     * @param live    the configuration in force
     * @param load    partners' load in force (read, never added to)
     * @param propose the configuration in force with a proposed change merged in, checked
     */
    public Sandbox(ConfigurationSource live, PartnerLoad load, Function<ObjectNode, HubConfiguration> propose,
                   Clock clock) {
        this.live = live;
        this.load = load;
        this.propose = propose;
        this.clock = clock;
    }

    /** A sandbox on a configuration that does not change (tests). */
    public Sandbox(HubConfiguration config, Clock clock) {
        this(ConfigurationSource.of(config), new PartnerTally(), p -> {
            throw new BadSample("no proposals here");
        }, clock);
    }

    /**
     * @param channel       {@code webhook} (JSON), {@code file} (CSV, XLSX or JSON; name it) or {@code email} (raw MIME)
     * @param content       the sample as text, or
     * @param contentBase64 the sample's bytes (an XLSX, say)
     * @param proposed      a change not saved yet, as a JSON merge patch on the configuration (new {@code mappings},
     *                      a new {@code routing} table...): the sample runs as if it were in force
     * @param mapping       read the sample with this mapping instead of the agency's own for the channel
     */
    public record Request(String agencyId, String channel, String fileName, String content, String contentBase64,
                          ObjectNode proposed, String mapping) {
    }

    /** One referral the sample would produce: the canonical referral, or why it would be refused. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Item(String where, Referral referral, List<FieldError> errors) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Result(String agencyId, String channel, int accepted, int rejected, List<Item> referrals,
                         List<String> problems, List<NotRead> notRead) {
    }

    /** A request the sandbox cannot run; the message is fit for the administrator. */
    public static final class BadSample extends RuntimeException {
        public BadSample(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_ATTACHMENTS = 10;
    /** The sandbox's names of the channels (a file comes by SFTP, as the channel records it). */
    private static final Map<String, Channel> CHANNELS = Map.of("webhook", Channel.WEBHOOK, "file", Channel.SFTP,
            "sftp", Channel.SFTP, "email", Channel.EMAIL, "fhir", Channel.FHIR);
    /** Each channel's reader, the very one its intake reads with, for the sample's intake (its configuration). */
    private static final Map<Channel, Function<ReferralIntake, ChannelReader>> READERS = Map.of(
            Channel.WEBHOOK, WebhookReader::new,
            Channel.SFTP, intake -> new FileRowsReader(intake, FileLimits.DEFAULT),
            Channel.EMAIL, intake -> new MessageReader(intake, MAX_ATTACHMENTS),
            Channel.FHIR, BundleReader::new);

    public Result run(Request request) {
        HubConfiguration config = request.proposed() == null ? live.current() : propose.apply(request.proposed());
        ReferralIntake intake = new ReferralIntake(ConfigurationSource.of(config), new PartnerTally(load));
        Agency configured = config.agency(request.agencyId() == null ? "" : request.agencyId())
                .orElseThrow(() -> new BadSample("no agency '" + request.agencyId() + "'"));
        Agency agency = request.mapping() == null ? configured : withMapping(configured, request.mapping());
        if (request.mapping() != null && !FieldMappingSet.isBuiltIn(request.mapping())
                && !config.mappings().containsKey(request.mapping())) {
            throw new BadSample("no mapping '" + request.mapping() + "' (propose it in 'proposed.mappings')");
        }
        byte[] bytes = bytes(request);
        String channel = request.channel() == null ? Channel.WEBHOOK.code() : request.channel();
        Channel kind = CHANNELS.get(channel);
        if (kind == null) {
            throw new BadSample("channel must be webhook, file, email or fhir");
        }
        List<Item> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<NotRead> notRead = new LinkedHashSet<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            READERS.get(kind).apply(intake).read(agency, request.fileName(), bytes, new ChannelReader.Found() {
                @Override
                public void draft(ChannelReader.Labelled draft) {
                    notRead.addAll(draft.draft().notRead());
                    items.add(item(intake, agency, kind, draft.where(), draft.draft(), now));
                }

                @Override
                public void problem(String problem) {
                    problems.add(problem);
                }
            });
        } catch (ChannelReader.Unreadable unreadable) {
            throw new BadSample(unreadable.getMessage());
        }
        int accepted = (int) items.stream().filter(i -> i.referral() != null).count();
        return new Result(agency.id(), channel, accepted, items.size() - accepted, items, problems, List.copyOf(notRead));
    }

    private static Agency withMapping(Agency a, String mapping) {
        return new Agency(a.id(), a.name(), a.program(), a.apiKeyHashes(), mapping, mapping, null, a.fileSheet(), a.sftp(),
                a.pull(), a.email() == null ? new Agency.EmailSenders(List.of(), mapping)
                : new Agency.EmailSenders(a.email().senders(), mapping), a.mailbox(), a.notifications(), a.signedWebhooks(), a.locale(), mapping);
    }

    private static Item item(ReferralIntake intake, Agency agency, Channel channel, String where, ReferralDraft draft, Instant now) {
        try {
            Referral referral = intake.assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), agency, channel,
                    null, now, "sandbox:"), draft);
            return new Item(where, referral, List.of());
        } catch (InvalidReferralException invalid) {
            return new Item(where, null, invalid.errors());
        }
    }

    private static byte[] bytes(Request request) {
        if (request.contentBase64() != null) {
            try {
                return Base64.getDecoder().decode(request.contentBase64());
            } catch (IllegalArgumentException e) {
                throw new BadSample("contentBase64 is not base64");
            }
        }
        if (request.content() == null) {
            throw new BadSample("send the sample as content (text) or contentBase64 (bytes)");
        }
        return request.content().getBytes(StandardCharsets.UTF_8);
    }
}
