package org.referralhub.camel;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.referralhub.intake.FieldError;

/**
 * An RFC 9457 problem: the body of every error answer, sent as {@code application/problem+json}. Thrown by routes
 * and turned into the answer by {@link ApiErrorHandling}. Never carries client data.
 */
public class ApiProblem extends RuntimeException {

    private final Body body;
    private int retryAfterSeconds;

    public ApiProblem(int status, String type, String title, String detail) {
        this(new Body("/problems/" + type, title, status, detail, null, null, null, null));
    }

    public ApiProblem(Body body) {
        super(body.title() + ": " + body.detail(), null, false, false);
        this.body = body;
    }

    public Body body() {
        return body;
    }

    /** The same problem, answered with {@code Retry-After}: the request may succeed if sent again later. */
    public ApiProblem retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The problem document. {@code receiptId} names the archived payload, so an agency can quote it; {@code errors}
     * are a referral's field errors; {@code problems} every reason a configuration change was refused.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String type, String title, int status, String detail, String instance, String receiptId,
                       List<FieldError> errors, List<String> problems) {

        public Body(String type, String title, int status, String detail, String instance, String receiptId,
                    List<FieldError> errors) {
            this(type, title, status, detail, instance, receiptId, errors, null);
        }

        /** The same problem, completed with the request path and the archive receipt where it lacks them. */
        public Body completedWith(String path, String receipt) {
            return new Body(type, title, status, detail, instance == null ? path : instance,
                    receiptId == null ? receipt : receiptId, errors, problems);
        }
    }
}
