package dev.mamori.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;

import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;

/** Builds problems bound to the current request. */
final class Problems {
    private Problems() {
    }

    static Problem of(ContainerRequestContext request, String code, int status, String title, String detail) {
        String path = request == null ? null : "/" + request.getUriInfo().getPath();
        return new Problem(code, title, status, detail, path == null ? null : path.replace("//", "/"),
                RequestIdFilter.of(request));
    }

    /** For exception mappers, which see the CXF message rather than the request context. */
    static Problem ofCurrent(String code, int status, String title, String detail) {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        String path = null;
        if (m != null) {
            Object info = m.get(Message.PATH_INFO);
            path = info == null ? null : info.toString();
        }
        return new Problem(code, title, status, detail, path, currentRequestId());
    }

    /** The request id of this thread's request: the filter put it in the log MDC for the whole call. */
    static String currentRequestId() {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        Object rid = m == null ? null : m.get(RequestIdFilter.PROPERTY);
        if (rid == null && m != null && m.getExchange() != null && m.getExchange().getInMessage() != null) {
            rid = m.getExchange().getInMessage().get(RequestIdFilter.PROPERTY);
        }
        if (rid == null) {
            rid = org.slf4j.MDC.get(RequestIdFilter.MDC_KEY);
        }
        return rid == null ? null : rid.toString();
    }
}
