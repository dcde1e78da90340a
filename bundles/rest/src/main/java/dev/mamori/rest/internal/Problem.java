package dev.mamori.rest.internal;

import javax.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.mamori.rest.spi.RestConstants;

/** RFC 7807 problem details. The detail is for the caller: never internals. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "requestId"})
public final class Problem {
    /** Problem type URI. */
    public final String type;
    /** Short summary of the type. */
    public final String title;
    /** HTTP status. */
    public final int status;
    /** Explanation of this occurrence. */
    public final String detail;
    /** Path the request was for. */
    public final String instance;
    /** Request id, to find the server's log entry. */
    public final String requestId;
    // a header, not part of the body: private and without a getter, so neither Jackson nor the OpenAPI schema sees it
    private final long retryAfterSeconds;

    Problem(String code, String title, int status, String detail, String instance, String requestId) {
        this(code, title, status, detail, instance, requestId, -1);
    }

    private Problem(String code, String title, int status, String detail, String instance, String requestId,
            long retryAfterSeconds) {
        this.type = "urn:mamori:problem:" + code;
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.instance = instance;
        this.requestId = requestId;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @param seconds when to retry @return this problem answered with a {@code Retry-After} header */
    Problem retryAfter(long seconds) {
        return new Problem(type.substring("urn:mamori:problem:".length()), title, status, detail, instance, requestId,
                seconds);
    }

    /** @return the {@code Retry-After} seconds, or -1 for none */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).type(RestConstants.PROBLEM_JSON).entity(this);
        if (retryAfterSeconds >= 0) {
            r.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        return r.build();
    }
}
