package dev.mamori.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;

import dev.mamori.rest.spi.RestConstants;

/**
 * Answers every path outside the API with a problem+json 404 and the security headers, so no
 * container error page (HTML, version banner) is ever shown.
 */
@Component(immediate = true)
public class FallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient HttpService http;

    /** @param http where to register */
    @Activate
    public FallbackServlet(@Reference HttpService http) throws ServletException, NamespaceException {
        this.http = http;
        http.registerServlet("/", this, null, null);
    }

    @Deactivate
    void deactivate() {
        http.unregister("/");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = RequestIdFilter.newId();
        SecurityHeaders.ALWAYS.forEach(resp::setHeader);
        if (req.isSecure()) {
            resp.setHeader("Strict-Transport-Security", SecurityHeaders.HSTS);
        }
        resp.setHeader(RestConstants.REQUEST_ID_HEADER, id);
        resp.setStatus(404);
        resp.setContentType(RestConstants.PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        // the path is not echoed: nothing caller-controlled goes back out of this handler
        String body = "{\"type\":\"urn:mamori:problem:not-found\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"No resource at this path; the API lives under " + RestConstants.BASE_PATH + ".\","
                + "\"requestId\":\"" + id + "\"}";
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
