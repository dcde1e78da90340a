package dev.mamori.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;

import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;

import dev.mamori.platform.context.ExecutionContext;

/** Builds problems bound to the current request. */
final class Problems {
    private Problems() {
    }

    static Problem of(ContainerRequestContext request, String code, int status, String title, String detail) {
        String path = request == null ? null : "/" + request.getUriInfo().getPath();
        String id = RequestIdFilter.of(request);
        return new Problem(code, title, status, detail, path == null ? null : path.replace("//", "/"),
                id != null ? id : currentRequestId());
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

    /** The request id of this thread's request: the API servlet bound it with the execution context. */
    static String currentRequestId() {
        return ExecutionContext.current().map(ExecutionContext::requestId).orElse(null);
    }
}
