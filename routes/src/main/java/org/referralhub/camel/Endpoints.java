package org.referralhub.camel;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The hub's {@code direct:} routes, by wing: every handler and trigger calls one of them, and route builders meet only
 * here, with the typed body each one names.
 */
public final class Endpoints {

    // ---- intake: agencies' channels in (camel/intake)

    /** An agency posts a referral (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String WEBHOOK_INTAKE = "direct:webhook-intake";
    /** An agency reads one of its referrals (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String REFERRAL_READ = "direct:referral-read";
    /** An agency lists its referrals (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String REFERRAL_LIST = "direct:referral-list";
    /** An agency answers about its referral held as a near match (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String NEAR_MATCH_ANSWER = "direct:near-match-answer";
    /**
     * Store a referral an HTTP door assembled, de-duplicated by its agency reference and the sender's Idempotency-Key
     * (body: Referral, headers {@code IDEMPOTENCY_KEY} and {@code REQUEST_FINGERPRINT}; answers ReferralStore.Stored,
     * or a 422 problem when the key came with another request before). Files and e-mail store their
     * rows in transactions of their own, through the same store and its de-duplication.
     */
    public static final String STORE_REFERRAL = "direct:store-referral";
    /** The header of {@link #STORE_REFERRAL} with the sender's Idempotency-Key, if any. */
    public static final String IDEMPOTENCY_KEY = "ReferralHubIdempotencyKey";
    /** The header of {@link #STORE_REFERRAL} with a digest of the request the key came with. */
    public static final String REQUEST_FINGERPRINT = "ReferralHubRequestFingerprint";
    /** An agency file landed in an inbound folder (body: its drop key; answers FileImport.Summary). */
    public static final String FILE_INTAKE = "direct:file-intake";
    /** Who may log in to the SFTP server (body: SftpLogin.Attempt; answers Transfer Family's response map). */
    public static final String SFTP_LOGIN = "direct:sftp-login";
    /** Fetch new files from agencies' own SFTP servers (pull mode); answers the FileImport summaries. */
    public static final String FILE_PULL = "direct:file-pull";
    /** Files left in an inbound folder past the intake lease (a crash, a lost event): taken now. */
    public static final String FILE_LEFTOVERS = "direct:file-leftovers";
    /** A received e-mail landed in the mail drop (body: its key; answers EmailImport.Outcome). */
    public static final String EMAIL_INTAKE = "direct:email-intake";
    /** Read new mail from agencies' own IMAP mailboxes (answers the EmailImport outcomes). */
    public static final String MAILBOX_PULL = "direct:mailbox-pull";

    // ---- dispatch: referrals out to partners (camel/dispatch)

    /**
     * Deliver the due among referrals (body: a referral id, or a list of them): claimed together, sent several at
     * once, recorded together; answers how many attempts were recorded.
     */
    public static final String DISPATCH = "direct:dispatch";
    /**
     * Deliver the referrals whose delivery is due, several at once (answers the number of deliveries started); none is
     * started once the Duration in header {@link #TIME_BUDGET}, if set, has passed — the rest wait for the next sweep.
     */
    public static final String DISPATCH_DUE = "direct:dispatch-due";
    /** The header of {@link #DISPATCH_DUE}: how long (a Duration, on the hub's clock) deliveries may be started. */
    public static final String TIME_BUDGET = "ReferralHubTimeBudget";
    /** Hand claimed referrals to their partner's webhook (exchange property: ClaimedDelivery). */
    public static final String DELIVER_WEBHOOK = "direct:deliver-webhook";
    /** Hand claimed referrals to their partner's inbox: one message, or one digest (property: ClaimedDelivery). */
    public static final String DELIVER_EMAIL = "direct:deliver-email";
    /** Hand claimed referrals to their partner's SFTP server, as one file (property: ClaimedDelivery). */
    public static final String DELIVER_SFTP = "direct:deliver-sftp";
    /** Creates a claimed referral as a Task on the partner's own FHIR server (exchange: a {@code ClaimedDelivery}). */
    public static final String DELIVER_FHIR = "direct:deliver-fhir";

    // ---- outcome: partners report, agencies are told (camel/outcome)

    /** A partner reports a referral's status (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String PARTNER_STATUS = "direct:partner-status";
    /** A partner opens or confirms a status link from a delivery e-mail (body: {@link ApiRequest}; answers HTML). */
    public static final String STATUS_LINK = "direct:status-link";
    /** FHIR R4: what the hub's FHIR door does, its CapabilityStatement (body: {@link ApiRequest}; answers FHIR JSON). */
    public static final String FHIR_METADATA = "direct:fhir-metadata";
    /** FHIR R4: a partner reads its Tasks, or one Task or ServiceRequest (body: {@link ApiRequest}; answers FHIR JSON). */
    public static final String FHIR_PARTNER_READ = "direct:fhir-partner-read";
    /** FHIR R4: a partner moves a Task, by PUT or JSON Patch (body: {@link ApiRequest}; answers the Task). */
    public static final String FHIR_TASK_UPDATE = "direct:fhir-task-update";
    /**
     * FHIR R4: an agency refers by a transaction Bundle POSTed to the base (body: {@link ApiRequest}; answers a
     * transaction-response Bundle, or an OperationOutcome).
     */
    public static final String FHIR_REFERRAL_INTAKE = "direct:fhir-referral-intake";
    /** FHIR R4: anything else under the door, answered with an OperationOutcome that says what the door does. */
    public static final String FHIR_UNSUPPORTED = "direct:fhir-unsupported";
    /** Remind partners of referrals they let wait, send on those they let wait too long (answers the steps taken). */
    public static final String STALE_SWEEP = "direct:stale-sweep";
    /** Send the agencies' notices that are due (answers how many were due). */
    public static final String NOTIFY_DUE = "direct:notify-due";
    /** Post one signed call to an agency's or partner's webhook (body: SignedCall; fails unless answered 2xx). */
    public static final String SIGNED_CALL = "direct:signed-call";
    /**
     * The one HTTP endpoint every outbound webhook call goes through, its options fixed here. The address an
     * administrator configured travels as data in the {@code CamelHttpUri} header ({@link #webhookAddress}): it is
     * never resolved as an endpoint, so a query in it (even {@code throwExceptionOnFailure=false}) or a placeholder is
     * the receiver's to read, not Camel's.
     */
    public static final String OUTBOUND_WEBHOOK = "http://outbound-webhook.invalid?throwExceptionOnFailure=true"
            + "&followRedirects=false&bridgeEndpoint=false";

    /** Puts the configured webhook address on an outbound message, as the header {@link #OUTBOUND_WEBHOOK} reads. */
    public static void webhookAddress(Message message, String url) {
        message.setHeader(Exchange.HTTP_URI, url);
        message.removeHeader(Exchange.HTTP_PATH);
        message.removeHeader(Exchange.HTTP_QUERY);
    }

    // ---- admin: administrators' API and console (camel/admin)

    /** An administrator tries a sample (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String ADMIN_SANDBOX = "direct:admin-sandbox";
    /** Everything else administrators do under /admin/v1/ (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String ADMIN_API = "direct:admin-api";
    /** The administrators' web console: its static pages (no data; the pages call the admin API). */
    public static final String CONSOLE = "direct:console";
    /** The configuration, its versions, and its agencies, partners, programs, mappings and rules (body: AdminCall). */
    public static final String ADMIN_CONFIGURATION = "direct:admin-configuration";
    /** Referrals across agencies: search, one referral, its raw payload, erasure, reports (body: AdminCall). */
    public static final String ADMIN_REFERRALS = "direct:admin-referrals";
    /** Dead letters and quarantined inputs: listed and replayed (body: AdminCall). */
    public static final String ADMIN_REPLAY = "direct:admin-replay";

    // ---- every function

    /** Health of the hub's stores (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String HEALTH = "direct:health";
    /** The hub's OpenAPI document, as JSON or YAML by the path asked (body: {@link ApiRequest}; answers {@link ApiReply}). */
    public static final String OPENAPI = "direct:openapi";

    private Endpoints() {
    }
}
