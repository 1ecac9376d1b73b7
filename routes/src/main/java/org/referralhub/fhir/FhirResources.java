package org.referralhub.fhir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Client;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.StatusChange;

/**
 * A referral as HL7 FHIR R4 resources, the way the Gravity SDOH Clinical Care guide's closed loop has it: a Task
 * (intent {@code order}, code {@code fulfill}) whose focus is the ServiceRequest, for the client, requested by the
 * referring agency and owned by the partner; {@code status}, {@code statusReason} and {@code businessStatus} are the
 * canonical referral's own, which already follows that lifecycle. The client is a Patient contained in each resource,
 * holding only what the partner may see (the consent scope and the partner's field selection: {@link PartnerReferral}).
 * Built as JSON with Jackson: the Lambda jar carries no FHIR library (HAPI FHIR, tens of megabytes, stays in the
 * tests, where it reads and validates what is built here).
 */
public final class FhirResources {

    /** FHIR's JSON media type. */
    public static final String FHIR_JSON = "application/fhir+json";
    /** The identifier system of an agency's own reference for a referral: one per agency. */
    static final String AGENCY_REFERENCE_SYSTEM = "urn:referral-hub:agency-reference:";
    /** The identifier system of the hub's referral ids, on the Tasks it creates on partners' own FHIR servers. */
    public static final String REFERRAL_SYSTEM = "urn:referral-hub:referral";
    /** The identifier system of the hub's agencies and partners, where a Task names them on another server. */
    public static final String ORGANIZATION_SYSTEM = "urn:referral-hub:organization";
    /** The identifier system of the hub's receipts: the archived request a transaction's answer names. */
    public static final String RECEIPT_SYSTEM = "urn:referral-hub:receipt";
    private static final String TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";
    private static final String CLIENT = "client";

    private FhirResources() {
    }

    /** When the referral last changed: its last status change, or its receipt. */
    public static Instant lastUpdated(Referral referral) {
        List<StatusChange> history = referral.statusHistory();
        Instant last = history.isEmpty() ? referral.source().receivedAt() : history.get(history.size() - 1).at();
        for (Output output : referral.outputs()) {
            if (output.at() != null && output.at().isAfter(last)) {
                last = output.at();
            }
        }
        return last;
    }

    /** The referral's Task, as the partner it was routed to sees it. */
    public static ObjectNode task(Referral referral, PartnerReferral view, String agencyName, String partnerName) {
        ObjectNode task = resource("Task", referral.referralId(), lastUpdated(referral));
        task.putArray("contained").add(patient(view.client()));
        identifier(task, referral);
        task.put("status", referral.status().code());
        if (referral.statusReason() != null) {
            task.putObject("statusReason").put("text", referral.statusReason());
        }
        if (referral.businessStatus() != null) {
            task.putObject("businessStatus").put("text", referral.businessStatus());
        }
        task.put("intent", "order");
        task.putObject("code").putArray("coding").addObject().put("system", TASK_CODE_SYSTEM).put("code", "fulfill");
        task.putObject("focus").put("reference", "ServiceRequest/" + referral.referralId());
        task.putObject("for").put("reference", "#" + CLIENT);
        task.put("authoredOn", referral.source().receivedAt().toString());
        task.put("lastModified", lastUpdated(referral).toString());
        organization(task.putObject("requester"), referral.agencyId(), agencyName);
        organization(task.putObject("owner"), referral.partnerId(), partnerName);
        if (!referral.outputs().isEmpty()) {
            ArrayNode outputs = task.putArray("output");
            referral.outputs().forEach(o -> {
                ObjectNode output = outputs.addObject();
                output.putObject("type").put("text", o.type());
                output.put("valueString", o.value());
            });
        }
        return task;
    }

    /**
     * The referral as a Task to create on its partner's own FHIR server: no id (the server gives one), the hub's
     * identifier for the referral first (a conditional create on it makes a retried delivery no second Task), the
     * ServiceRequest and the client contained ({@code #request}, {@code #client}), the agency and the partner named
     * by identifier (the server holds no Organization of the hub's).
     */
    public static ObjectNode partnerTask(Referral referral, PartnerReferral view, String agencyName, String partnerName,
                                         String programName) {
        ObjectNode task = task(referral, view, agencyName, partnerName);
        task.remove(List.of("id", "meta"));
        ObjectNode request = serviceRequest(referral, view, agencyName, partnerName, programName);
        request.remove(List.of("meta", "contained"));
        request.put("id", "request");
        byIdentifier((ObjectNode) request.get("requester"), referral.agencyId());
        byIdentifier((ObjectNode) request.get("performer").get(0), referral.partnerId());
        ((ArrayNode) task.get("contained")).add(request);
        task.putObject("focus").put("reference", "#request");
        ArrayNode identifiers = task.has("identifier") ? (ArrayNode) task.get("identifier") : task.putArray("identifier");
        identifiers.insert(0, CanonicalJson.MAPPER.createObjectNode().put("system", REFERRAL_SYSTEM)
                .put("value", referral.referralId()));
        byIdentifier((ObjectNode) task.get("requester"), referral.agencyId());
        byIdentifier((ObjectNode) task.get("owner"), referral.partnerId());
        return task;
    }

    /** The search that finds the Task made for a referral on a partner's server: its conditional create's If-None-Exist. */
    public static String partnerTaskCondition(Referral referral) {
        return "identifier=" + REFERRAL_SYSTEM + "|" + referral.referralId();
    }

    private static void byIdentifier(ObjectNode reference, String id) {
        reference.remove("reference");
        ObjectNode identifier = CanonicalJson.MAPPER.createObjectNode().put("system", ORGANIZATION_SYSTEM).put("value", id);
        reference.set("identifier", identifier);
    }

    /** The ServiceRequest the Task is about: the program asked for, for the client. */
    public static ObjectNode serviceRequest(Referral referral, PartnerReferral view, String agencyName,
                                            String partnerName, String programName) {
        ObjectNode request = resource("ServiceRequest", referral.referralId(), lastUpdated(referral));
        request.putArray("contained").add(patient(view.client()));
        identifier(request, referral);
        request.put("status", serviceRequestStatus(referral.status()));
        request.put("intent", "order");
        request.putObject("code").put("text", programName == null ? referral.program() : programName);
        request.putObject("subject").put("reference", "#" + CLIENT);
        request.put("authoredOn", referral.source().receivedAt().toString());
        organization(request.putObject("requester"), referral.agencyId(), agencyName);
        organization(request.putArray("performer").addObject(), referral.partnerId(), partnerName);
        return request;
    }

    /** A searchset Bundle of the resources found, each with its full URL under {@code base}. */
    public static ObjectNode searchset(String base, List<ObjectNode> matches, List<ObjectNode> included, Instant now) {
        ObjectNode bundle = CanonicalJson.MAPPER.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.putObject("meta").put("lastUpdated", now.toString());
        bundle.put("type", "searchset");
        bundle.put("total", matches.size());
        ArrayNode entries = bundle.putArray("entry");
        matches.forEach(r -> entry(entries, base, r, "match"));
        included.forEach(r -> entry(entries, base, r, "include"));
        return bundle;
    }

    /**
     * The answer to an agency's transaction: one entry per entry it sent, in its order. The ServiceRequest and Task
     * are the referral's ({@code 201 Created}, or {@code 200 OK} when the referral was sent before: its id); the
     * Task's outcome says what became of the referral (stored, screened, routed) and what of the Bundle was not read.
     * Patient, Consent and Observations were read into the referral, which keeps the client: each says so.
     *
     * @param notRead the Bundle's elements and Observations the agency's mapping read nothing from
     */
    public static ObjectNode transactionResponse(List<ReferralBundle.Entry> entries, Referral referral, boolean duplicate,
                                                 String receiptId, List<String> notRead, Instant now) {
        ObjectNode bundle = CanonicalJson.MAPPER.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.putObject("meta").put("lastUpdated", now.toString());
        bundle.putObject("identifier").put("system", RECEIPT_SYSTEM).put("value", receiptId);
        bundle.put("type", "transaction-response");
        ArrayNode list = bundle.putArray("entry");
        String id = referral.referralId();
        for (ReferralBundle.Entry entry : entries) {
            ObjectNode response = list.addObject().putObject("response");
            String type = entry.resourceType();
            if (type.equals("ServiceRequest") || type.equals("Task")) {
                response.put("status", duplicate ? "200 OK" : "201 Created");
                response.put("location", type + "/" + id);
                response.put("lastModified", lastUpdated(referral).toString());
                if (type.equals("Task")) {
                    response.set("outcome", referralOutcome(referral, duplicate, notRead));
                }
            } else {
                response.put("status", "200 OK");
                ObjectNode outcome = informational("Read into referral " + id + ", which keeps the client's details: "
                        + "the hub holds no " + type + " resource of its own.");
                response.set("outcome", outcome);
            }
        }
        return bundle;
    }

    /** What became of the referral, for its agency: an id, a status and why, and what the hub did not read. */
    private static ObjectNode referralOutcome(Referral referral, boolean duplicate, List<String> notRead) {
        StringBuilder said = new StringBuilder();
        said.append(duplicate ? "Sent before: Task " : "Task ").append(referral.referralId()).append(" is referral ")
                .append(referral.referralId()).append(", ").append(referral.status().code());
        if (referral.statusReason() != null) {
            said.append(" (").append(referral.statusReason()).append(")");
        }
        said.append(referral.partnerId() == null ? "; not routed to a partner." : "; routed to partner "
                + referral.partnerId() + ".");
        ObjectNode outcome = informational(said.toString());
        ArrayNode issues = (ArrayNode) outcome.get("issue");
        referral.screening().reasons().forEach(reason -> issues.addObject().put("severity", "warning")
                .put("code", "business-rule").put("diagnostics", reason.code() + ": " + reason.message()));
        notRead.forEach(name -> issues.addObject().put("severity", "warning").put("code", "not-supported")
                .put("diagnostics", name + " was not read: the agency's FHIR mapping reads nothing from it.")
                .putArray("expression").add(name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name));
        return outcome;
    }

    private static ObjectNode informational(String text) {
        ObjectNode outcome = CanonicalJson.MAPPER.createObjectNode();
        outcome.put("resourceType", "OperationOutcome");
        outcome.putArray("issue").addObject().put("severity", "information").put("code", "informational")
                .put("diagnostics", text);
        return outcome;
    }

    private static void entry(ArrayNode entries, String base, ObjectNode resource, String mode) {
        ObjectNode entry = entries.addObject();
        entry.put("fullUrl", base + "/" + resource.get("resourceType").asText() + "/" + resource.get("id").asText());
        entry.set("resource", resource);
        entry.putObject("search").put("mode", mode);
    }

    /**
     * An OperationOutcome: the answer to every FHIR request the hub refuses, as a problem document is elsewhere.
     * {@code details} each become an issue (a referral's field errors, a configuration's reasons).
     */
    public static ObjectNode operationOutcome(int httpStatus, String title, String diagnostics, List<String> details) {
        ObjectNode outcome = CanonicalJson.MAPPER.createObjectNode();
        outcome.put("resourceType", "OperationOutcome");
        ArrayNode issues = outcome.putArray("issue");
        ObjectNode first = issues.addObject().put("severity", httpStatus >= 500 ? "fatal" : "error")
                .put("code", issueCode(httpStatus));
        first.putObject("details").put("text", title);
        if (diagnostics != null) {
            first.put("diagnostics", diagnostics);
        }
        if (details != null) {
            details.forEach(d -> issues.addObject().put("severity", "error").put("code", issueCode(httpStatus))
                    .put("diagnostics", d));
        }
        return outcome;
    }

    /** FHIR's issue type for an HTTP status. */
    static String issueCode(int httpStatus) {
        switch (httpStatus) {
            case 400:
                return "invalid";
            case 401:
                return "login";
            case 403:
                return "forbidden";
            case 404:
                return "not-found";
            case 405:
            case 415:
                return "not-supported";
            case 409:
            case 412:
                return "conflict";
            case 410:
                return "deleted";
            case 413:
                return "too-long";
            case 429:
                return "throttled";
            case 503:
                return "transient";
            default:
                return httpStatus >= 500 ? "exception" : "processing";
        }
    }

    /** What the hub's FHIR door does: the CapabilityStatement at {@code [base]/metadata}. */
    public static ObjectNode capabilityStatement(String base, Instant published) {
        ObjectNode statement = CanonicalJson.MAPPER.createObjectNode();
        statement.put("resourceType", "CapabilityStatement");
        statement.put("status", "active");
        statement.put("date", published.toString());
        statement.put("publisher", "Referral Hub");
        statement.put("kind", "instance");
        statement.putObject("software").put("name", "Referral Hub");
        statement.putObject("implementation").put("description", "Referral Hub FHIR door").put("url", base);
        statement.put("fhirVersion", "4.0.1");
        statement.putArray("format").add("json");
        ObjectNode rest = statement.putArray("rest").addObject();
        rest.put("mode", "server");
        rest.put("documentation", "Agencies refer a client by POSTing a transaction Bundle (ServiceRequest and Task, "
                + "with Patient, Consent and Observations) to this base, with their agency API key. Partners read the "
                + "referrals routed to them as Tasks (SDOH Clinical Care closed loop) and move them (status, "
                + "statusReason, businessStatus, output), with their partner API key. Keys go in X-Api-Key or as "
                + "Authorization: Bearer.");
        rest.putObject("security").put("description", "An agency's or partner's API key, in X-Api-Key or as a bearer token.");
        rest.putArray("interaction").addObject().put("code", "transaction")
                .put("documentation", "An agency's referral: one transaction Bundle, answered with a transaction-response "
                        + "whose Task location is the referral's id.");
        ArrayNode resources = rest.putArray("resource");
        ObjectNode task = resources.addObject();
        task.put("type", "Task");
        ArrayNode interactions = task.putArray("interaction");
        for (String interaction : List.of("read", "search-type", "update", "patch")) {
            interactions.addObject().put("code", interaction);
        }
        ArrayNode params = task.putArray("searchParam");
        params.addObject().put("name", "owner").put("type", "reference")
                .put("documentation", "The partner's own Organization (Organization/<partner id>): the only one it may read.");
        params.addObject().put("name", "status").put("type", "token");
        params.addObject().put("name", "_lastUpdated").put("type", "date")
                .put("documentation", "gt, ge, lt or le and an instant: the Tasks changed since the last poll.");
        params.addObject().put("name", "_id").put("type", "token");
        task.putArray("searchInclude").add("Task:focus");
        ObjectNode request = resources.addObject();
        request.put("type", "ServiceRequest");
        request.putArray("interaction").addObject().put("code", "read");
        return statement;
    }

    /** The client, as a Patient contained in the resource that refers to it as {@code #client}. */
    static ObjectNode patient(Client client) {
        ObjectNode patient = CanonicalJson.MAPPER.createObjectNode();
        patient.put("resourceType", "Patient");
        patient.put("id", CLIENT);
        if (client == null) {
            return patient;
        }
        if (client.firstName() != null || client.lastName() != null) {
            ObjectNode name = patient.putArray("name").addObject();
            if (client.lastName() != null) {
                name.put("family", client.lastName());
            }
            if (client.firstName() != null) {
                name.putArray("given").add(client.firstName());
            }
        }
        if (client.email() != null || client.phone() != null) {
            ArrayNode telecom = patient.putArray("telecom");
            if (client.phone() != null) {
                telecom.addObject().put("system", "phone").put("value", client.phone());
            }
            if (client.email() != null) {
                telecom.addObject().put("system", "email").put("value", client.email());
            }
        }
        if (client.birthDate() != null) {
            patient.put("birthDate", client.birthDate().toString());
        }
        if (client.city() != null || client.postalCode() != null) {
            ObjectNode address = patient.putArray("address").addObject();
            if (client.city() != null) {
                address.put("city", client.city());
            }
            if (client.postalCode() != null) {
                address.put("postalCode", client.postalCode());
            }
            address.put("country", "CA");
        }
        if (client.preferredLanguage() != null || !client.otherLanguages().isEmpty()) {
            ArrayNode communication = patient.putArray("communication");
            if (client.preferredLanguage() != null) {
                language(communication, client.preferredLanguage()).put("preferred", true);
            }
            client.otherLanguages().forEach(l -> language(communication, l));
        }
        return patient;
    }

    private static ObjectNode language(ArrayNode communication, String code) {
        ObjectNode language = communication.addObject();
        language.putObject("language").putArray("coding").addObject().put("system", "urn:ietf:bcp:47").put("code", code);
        return language;
    }

    /** A ServiceRequest's status for the referral's: asked for, done, or no longer wanted. */
    static String serviceRequestStatus(ReferralStatus status) {
        switch (status) {
            case COMPLETED:
                return "completed";
            case REJECTED:
            case CANCELLED:
            case FAILED:
                return "revoked";
            default:
                return "active";
        }
    }

    private static ObjectNode resource(String type, String id, Instant lastUpdated) {
        ObjectNode resource = CanonicalJson.MAPPER.createObjectNode();
        resource.put("resourceType", type);
        resource.put("id", id);
        resource.putObject("meta").put("lastUpdated", lastUpdated.toString());
        return resource;
    }

    private static void identifier(ObjectNode resource, Referral referral) {
        if (referral.source().agencyReference() != null) {
            resource.putArray("identifier").addObject()
                    .put("system", AGENCY_REFERENCE_SYSTEM + referral.agencyId())
                    .put("value", referral.source().agencyReference());
        }
    }

    private static void organization(ObjectNode reference, String id, String name) {
        reference.put("reference", "Organization/" + id);
        if (name != null) {
            reference.put("display", name);
        }
    }
}
