package dev.mamori.rest.internal;

import java.time.Duration;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import javax.servlet.http.HttpServletRequest;

import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

/**
 * Last in the chain: every error becomes RFC 7807 problem+json. A {@link MamoriException}
 * anywhere in the cause chain is mapped by its kind, never its class, so capabilities need no
 * change here (one with special needs registers a more specific mapper as an extension). Client
 * mistakes get a 4xx with a useful detail; anything unexpected is logged with the request id and
 * answered 500 with nothing internal in it.
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    /** Retry-After for a 503 or 429 whose exception does not say. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        return problemFor(e).toResponse();
    }

    Problem problemFor(Throwable e) {
        Throwable cause = firstOfInterest(e);
        if (cause instanceof BodyLimitFilter.TooLargeException) {
            return Problems.ofCurrent("payload-too-large", 413, "Payload too large",
                    "The request body exceeds the limit of " + ((BodyLimitFilter.TooLargeException) cause).limit + " bytes.");
        }
        if (cause instanceof JsonProcessingException) {
            return Problems.ofCurrent("malformed-json", 400, "Malformed JSON",
                    "The request body is not valid JSON for this endpoint: " + jsonMessage((JsonProcessingException) cause));
        }
        if (cause instanceof MamoriException) {
            return typed((MamoriException) cause, e);
        }
        if (clientGone(e)) {
            // the client broke the connection off mid-body: its mistake (or its network's), not the server's - no ERROR, no trace
            LOG.debug("Request {}: the client went away: {}", Problems.currentRequestId(), e.toString());
            return Problems.ofCurrent("request-aborted", 400, "Bad Request", "The request broke off before its body ended.");
        }
        if (e instanceof WebApplicationException) {
            int status = ((WebApplicationException) e).getResponse().getStatus();
            if (status < 500) {
                return Problems.ofCurrent(code(status), status, title(status), detail(e, status));
            }
        }
        return internal(e);
    }

    private static Problem typed(MamoriException m, Throwable thrown) {
        ErrorKind kind = m.kind();
        if (kind == ErrorKind.INTERNAL) {
            String id = Problems.currentRequestId();
            LOG.error("Request {} failed: {}", id, m.code(), thrown);
            return Problems.ofCurrent(m.code(), 500, m.errorCode().title(), internalDetail(id));
        }
        int status = status(kind);
        LOG.debug("Request {} answered {} {}", Problems.currentRequestId(), status, m.code());
        Problem p = Problems.ofCurrent(m.code(), status, m.errorCode().title(), m.getMessage());
        if (kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.TOO_MANY_REQUESTS) {
            p = p.retryAfter(m.retryAfter().map(ProblemMapper::seconds).orElse(DEFAULT_RETRY_AFTER_SECONDS));
        }
        if (kind == ErrorKind.UNAVAILABLE) {
            markTransient(m.code());
        }
        return p;
    }

    /** Tells the API servlet that a service was unavailable: a safe request may be tried again during a swap. */
    private static void markTransient(String code) {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        Object request = m == null ? null : m.get(AbstractHTTPDestination.HTTP_REQUEST);
        if (request instanceof HttpServletRequest) {
            ((HttpServletRequest) request).setAttribute(Retrying.TRANSIENT, code);
        }
    }

    private static Problem internal(Throwable e) {
        String id = Problems.currentRequestId();
        LOG.error("Request {} failed", id, e);
        return Problems.ofCurrent("internal-error", 500, "Internal server error", internalDetail(id));
    }

    private static String internalDetail(String requestId) {
        return "The server failed to handle the request. Quote request id " + requestId + " when reporting it.";
    }

    /**
     * @param kind an error kind
     * @return its HTTP status
     */
    static int status(ErrorKind kind) {
        switch (kind) {
            case INVALID: return 400;
            case UNAUTHENTICATED: return 401;
            case FORBIDDEN: return 403;
            case NOT_FOUND: return 404;
            case CONFLICT: return 409;
            case GONE: return 410;
            case PRECONDITION_FAILED: return 412;
            case PRECONDITION_REQUIRED: return 428;
            case PAYLOAD_TOO_LARGE: return 413;
            case TOO_MANY_REQUESTS: return 429;
            case UNAVAILABLE: return 503;
            case INTERNAL:
            default:
                return 500;
        }
    }

    /** Whole seconds, rounded up, at least one: a client told "0" would retry at once in a loop. */
    static long seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    /**
     * @return whether the chain says the client closed the connection while its request was read or
     *         its answer written (Jetty's end-of-file, or its parser closed under a reader)
     */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.eclipse.jetty.io.EofException") || t instanceof java.io.EOFException
                    || t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().startsWith("Parser is terminated")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The outermost exception in the chain this mapper knows how to explain. */
    private static Throwable firstOfInterest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.TooLargeException || t instanceof JsonProcessingException
                    || t instanceof MamoriException) {
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
        // qualified type names (`dev.mamori.x.internal.Resource$Body`, java.lang.String) as their simple names: no internals
        m = m.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+(?:[A-Z][A-Za-z0-9_]*\\$)*([A-Z][A-Za-z0-9_]*)", "$1");
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
