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

    Problem(String code, String title, int status, String detail, String instance, String requestId) {
        this.type = "urn:mamori:problem:" + code;
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.instance = instance;
        this.requestId = requestId;
    }

    Response toResponse() {
        return Response.status(status).type(RestConstants.PROBLEM_JSON).entity(this).build();
    }
}
