package org.referralhub.outcome;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.delivery.RetrySchedule;
import org.referralhub.email.MailSender;
import org.referralhub.email.OutboundEmail;
import org.referralhub.files.CsvText;
import org.referralhub.files.FileDropStore;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.store.NoticeOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The referring agencies told on their own channels: each due notice as a signed webhook call; an agency's due
 * notices by e-mail in one message (a digest when several); its status rows in one CSV file in its SFTP
 * {@code results/} folder. A notice not sent is tried again on the retry schedule, and given up after
 * {@value #MAX_ATTEMPTS} tries (it then waits in the dead letters).
 */
public final class NoticeSending {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeSending.class);
    private static final int MAX_ATTEMPTS = 10;
    private static final int BATCH = 200;

    private final ConfigurationSource configs;
    private final NoticeOutbox outbox;
    private final FileDropStore fileDrop;
    private final MailSender mail;
    private final String hubAddress;
    private final SignedCall.Sender calls;
    private final RetrySchedule retries;
    private final Clock clock;

    /**
     * @param fileDrop   agencies' SFTP homes (null where the hub has none)
     * @param hubAddress the hub's own address, the messages' sender
     */
    public NoticeSending(ConfigurationSource configs, NoticeOutbox outbox, FileDropStore fileDrop, MailSender mail,
                         String hubAddress, SignedCall.Sender calls, Clock clock) {
        this.configs = configs;
        this.outbox = outbox;
        this.fileDrop = fileDrop;
        this.mail = mail;
        this.hubAddress = hubAddress;
        this.calls = calls;
        this.retries = new RetrySchedule(configs.current().delivery());
        this.clock = clock;
    }

    /** Sends the notices due now; answers how many were due. */
    public int sendDue() {
        Instant now = clock.instant();
        List<NoticeOutbox.Pending> due = outbox.due(now, BATCH);
        for (NoticeOutbox.Pending pending : due.stream().filter(p -> p.notice().forAdministrators()).toList()) {
            attempt(List.of(pending), now, () -> tellAdministrators(pending.notice()));
        }
        for (NoticeOutbox.Pending pending : due.stream().filter(p -> !p.notice().forAdministrators()
                && p.channel() == Channel.WEBHOOK).toList()) {
            attempt(List.of(pending), now, () -> sendWebhook(pending));
        }
        Map<String, List<NoticeOutbox.Pending>> byAgency = due.stream().filter(p -> !p.notice().forAdministrators()
                && p.channel() != Channel.WEBHOOK)
                .collect(Collectors.groupingBy(p -> p.notice().agencyId() + "|" + p.channel().code(),
                        LinkedHashMap::new, Collectors.toList()));
        byAgency.forEach((key, notices) -> attempt(notices, now, notices.get(0).channel() == Channel.EMAIL
                ? () -> sendEmail(notices) : () -> writeStatusFile(notices, now)));
        return due.size();
    }

    /** Sends, then records each notice sent — or to be tried again, or given up after {@value #MAX_ATTEMPTS} tries. */
    private void attempt(List<NoticeOutbox.Pending> notices, Instant now, Runnable send) {
        try {
            send.run();
            notices.forEach(n -> outbox.sent(n, now));
        } catch (RuntimeException e) {
            for (NoticeOutbox.Pending n : notices) {
                if (n.attempts() + 1 >= MAX_ATTEMPTS) {
                    LOG.warn("notice {} of referral {} to agency {} by {} given up after {} attempts", n.notice().noticeId(),
                            n.notice().referralId(), n.notice().agencyId(), n.channel().code(), n.attempts() + 1);
                    outbox.failed(n, now);
                } else {
                    LOG.info("notice {} to agency {} by {} not sent ({}); trying again", n.notice().noticeId(),
                            n.notice().agencyId(), n.channel().code(), e.getClass().getSimpleName());
                    outbox.retry(n, now.plus(retries.delayAfter(n.attempts() + 1)));
                }
            }
        }
    }

    /**
     * Administrators told by e-mail of a partner paused, at the addresses they gave; when none gave one, the pause is
     * on the dashboard and in the activity report only, which the log says.
     */
    private void tellAdministrators(Notice notice) {
        List<String> to = configs.current().adminAddresses();
        if (to.isEmpty()) {
            LOG.warn("partner {} paused; no administrator has an e-mail address (admins[].email) to be told at",
                    notice.partnerId());
            return;
        }
        String text = "The hub paused partner " + notice.partnerId() + " at " + notice.at() + ".\n\n"
                + "Why: " + notice.reason() + "\n\n"
                + "Its referrals wait on hold (their agencies were told) and no delivery is tried until an administrator\n"
                + "takes the pause away: the console's partner page, or\n"
                + "  PATCH /admin/v1/partners/" + notice.partnerId() + " {\"paused\": null}\n"
                + "Once it is away, every held referral is delivered under its same idempotency id.\n";
        for (String address : to) {
            mail.send(new OutboundEmail(hubAddress, address, "Partner " + notice.partnerId() + " paused: its endpoint is gone",
                    text, "<notice-" + notice.noticeId() + "@" + hubAddress.substring(hubAddress.indexOf('@') + 1) + ">",
                    null, null));
        }
    }

    private Agency.Notify notify(String agencyId) {
        return configs.current().agency(agencyId).map(Agency::notifications)
                .orElseThrow(() -> new IllegalStateException("agency " + agencyId + " is told nothing now"));
    }

    private void sendWebhook(NoticeOutbox.Pending pending) {
        Agency.Notify.Webhook webhook = notify(pending.notice().agencyId()).webhook();
        if (webhook == null) {
            throw new IllegalStateException("agency " + pending.notice().agencyId() + " has no webhook now");
        }
        calls.send(SignedCall.of(webhook.url(), webhook.signingSecret(), pending.notice().noticeId(),
                CanonicalJson.write(pending.notice()), clock.instant()));
    }

    private void sendEmail(List<NoticeOutbox.Pending> notices) {
        String agencyId = notices.get(0).notice().agencyId();
        Agency.Notify.Email email = notify(agencyId).email();
        if (email == null) {
            throw new IllegalStateException("agency " + agencyId + " has no notice address now");
        }
        StringBuilder text = new StringBuilder(notices.size() == 1 ? "A referral of yours has news:\n\n"
                : notices.size() + " updates on your referrals:\n\n");
        for (NoticeOutbox.Pending p : notices) {
            Notice n = p.notice();
            text.append("  - ").append(n.referralId())
                    .append(n.agencyReference() == null ? "" : " (your reference " + n.agencyReference() + ")")
                    .append(": ").append(n.status()).append(n.businessStatus() == null ? "" : " / " + n.businessStatus())
                    .append(n.partnerId() == null ? "" : " at " + n.partnerId())
                    .append(n.reason() == null ? "" : " - " + n.reason()).append(" (").append(n.at()).append(")\n");
        }
        text.append("\nRead any referral at GET /v1/referrals/{id} with your API key.\n");
        Notice first = notices.get(0).notice();
        mail.send(new OutboundEmail(hubAddress, email.address(),
                notices.size() == 1 ? "Referral " + first.referralId() + ": " + first.status()
                        : "Referral updates (" + notices.size() + ")",
                text.toString(), "<notice-" + first.noticeId() + "@" + hubAddress.substring(hubAddress.indexOf('@') + 1) + ">",
                null, null));
    }

    private void writeStatusFile(List<NoticeOutbox.Pending> notices, Instant now) {
        String agencyId = notices.get(0).notice().agencyId();
        Agency agency = configs.current().agency(agencyId).orElseThrow();
        if (agency.sftp() == null || fileDrop == null) {
            throw new IllegalStateException("agency " + agencyId + " has no SFTP home now");
        }
        StringBuilder csv = new StringBuilder("noticeId,referralId,agencyReference,partnerId,status,businessStatus,reason,at\r\n");
        for (NoticeOutbox.Pending p : notices) {
            Notice n = p.notice();
            String[] row = {n.noticeId(), n.referralId(), n.agencyReference(), n.partnerId(), n.status(),
                    n.businessStatus(), n.reason(), n.at() == null ? null : n.at().toString()};
            csv.append(Arrays.stream(row).map(CsvText::cell).collect(Collectors.joining(","))).append("\r\n");
        }
        String name = "status-" + now.toString().replace(":", "").replace(".", "") + "-" + notices.get(0).notice().noticeId() + ".csv";
        fileDrop.write(agency.sftp().username() + "/results/" + name, csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
