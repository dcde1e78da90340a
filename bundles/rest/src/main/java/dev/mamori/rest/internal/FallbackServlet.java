package dev.mamori.rest.internal;

import java.io.IOException;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.MDC;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

/**
 * Answers every path outside the API with a problem+json 404 and the security headers, so no
 * container error page (HTML, version banner) is ever shown. Registered at "/" by
 * {@link RestServer}, next to the API servlet. Its request id is always its own: a caller's
 * {@code X-Request-Id} is not echoed here. A path under the API reaches it only while the API
 * servlet is not registered (the REST bundle stopping or starting): that is 503 with Retry-After,
 * never a 404 that tells a client its resource is gone (EXT-1).
 */
final class FallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ExecutionContext context = ApiServlet.contextOf(req, false);
        MDC.put(ApiServlet.MDC_KEY, context.requestId());
        try (ExecutionContext.Binding bound = ExecutionContext.bind(context)) {
            if (underApi(req.getRequestURI())) {
                resp.setHeader("Retry-After", "1");
                ServletProblems.write(req, resp, 503, "unavailable", "Service Unavailable", "The API is restarting; retry shortly.");
                return;
            }
            ServletProblems.write(req, resp, 404, "not-found", "Not Found",
                    "No resource at this path; the API lives under " + RestConstants.BASE_PATH + ".");
        } finally {
            MDC.remove(ApiServlet.MDC_KEY);
        }
    }

    /** @param uri a request URI (not decoded) @return whether it is the API's path or under it */
    static boolean underApi(String uri) {
        return uri != null && (uri.equals(RestConstants.BASE_PATH) || uri.startsWith(RestConstants.BASE_PATH + "/"));
    }
}
