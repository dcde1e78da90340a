package dev.mamori.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import dev.mamori.rest.spi.RestConstants;

/**
 * Answers every path outside the API with a problem+json 404 and the security headers, so no
 * container error page (HTML, version banner) is ever shown. Registered at "/" by
 * {@link RestServer}, next to the API servlet.
 */
final class FallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        problem(req, resp, 404, "not-found", "Not Found",
                "No resource at this path; the API lives under " + RestConstants.BASE_PATH + ".");
    }

    /**
     * Writes a problem outside CXF, with the headers the filter chain would have set. Nothing
     * caller-controlled (path, headers) is echoed.
     */
    static void problem(HttpServletRequest req, HttpServletResponse resp, int status, String code, String title,
            String detail) throws IOException {
        String id = RequestIdFilter.newId();
        SecurityHeaders.ALWAYS.forEach(resp::setHeader);
        if (req.isSecure()) {
            resp.setHeader("Strict-Transport-Security", SecurityHeaders.HSTS);
        }
        resp.setHeader(RestConstants.REQUEST_ID_HEADER, id);
        resp.setStatus(status);
        resp.setContentType(RestConstants.PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"urn:mamori:problem:" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"requestId\":\"" + id + "\"}";
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
