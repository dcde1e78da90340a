package dev.mamori.rest.internal;

import java.util.Map;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mamori.tenant.DuplicateTenantException;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantNotFoundException;

/**
 * Last in the chain: every error becomes RFC 7807 problem+json. Client mistakes get a 4xx with
 * a useful detail; anything unexpected is logged with the request id and answered 500 with
 * nothing internal in it.
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    private static final Map<String, Integer> TENANT_STATUS = Map.of(
            TenantNotFoundException.CODE, 404,
            SettingNotFoundException.CODE, 404,
            InvalidTenantDataException.CODE, 400,
            DuplicateTenantException.CODE, 409,
            IllegalTransitionException.CODE, 409,
            TenantNotAccessibleException.CODE, 403);

    @Override
    public Response toResponse(Throwable e) {
        return problemFor(e).toResponse();
    }

    Problem problemFor(Throwable e) {
        Throwable cause = rootOfInterest(e);
        if (cause instanceof BodyLimitFilter.TooLargeException) {
            return Problems.ofCurrent("payload-too-large", 413, "Payload too large",
                    "The request body exceeds the limit of " + ((BodyLimitFilter.TooLargeException) cause).limit + " bytes.");
        }
        if (cause instanceof JsonProcessingException) {
            return Problems.ofCurrent("malformed-json", 400, "Malformed JSON",
                    "The request body is not valid JSON for this endpoint: " + jsonMessage((JsonProcessingException) cause));
        }
        if (cause instanceof TenantException) {
            TenantException te = (TenantException) cause;
            Integer status = TENANT_STATUS.get(te.code());
            if (status != null) {
                return Problems.ofCurrent(te.code(), status, title(status), te.getMessage());
            }
        }
        if (e instanceof WebApplicationException) {
            int status = ((WebApplicationException) e).getResponse().getStatus();
            if (status < 500) {
                return Problems.ofCurrent(code(status), status, title(status), detail(e, status));
            }
        }
        String id = Problems.currentRequestId();
        LOG.error("Request {} failed", id, e);
        return Problems.ofCurrent("internal-error", 500, "Internal server error",
                "The server failed to handle the request. Quote request id " + id + " when reporting it.");
    }

    private static Throwable rootOfInterest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.TooLargeException || t instanceof JsonProcessingException
                    || t instanceof TenantException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    private static String jsonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "unreadable content";
        }
        // no class names or source excerpts back to the client
        m = m.replaceAll("\\(class [^)]*\\)", "").replaceAll("[\\r\\n]+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static String detail(Throwable e, int status) {
        switch (status) {
            case 404:
                return "No resource at this path.";
            case 405:
                return "Method not allowed here; allowed: "
                        + ((e instanceof NotAllowedException) ? ((NotAllowedException) e).getResponse().getAllowedMethods() : "see Allow header") + ".";
            case 406:
                return "None of the accepted media types can be produced; this API produces application/json.";
            case 415:
                return "Unsupported media type; send application/json.";
            default:
                return title(status) + ".";
        }
    }

    private static String code(int status) {
        switch (status) {
            case 400: return "bad-request";
            case 401: return "unauthenticated";
            case 403: return "forbidden";
            case 404: return "not-found";
            case 405: return "method-not-allowed";
            case 406: return "not-acceptable";
            case 409: return "conflict";
            case 413: return "payload-too-large";
            case 415: return "unsupported-media-type";
            case 429: return "too-many-requests";
            default: return "http-" + status;
        }
    }

    static String title(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s != null ? s.getReasonPhrase() : "HTTP " + status;
    }
}
