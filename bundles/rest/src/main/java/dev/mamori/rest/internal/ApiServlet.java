package dev.mamori.rest.internal;

import java.io.IOException;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;

/**
 * CXF's servlet over the API's own destination registry, registered at
 * {@link dev.mamori.rest.spi.RestConstants#BASE_PATH} by {@link RestServer}.
 */
final class ApiServlet extends CXFNonSpringServlet {
    private static final long serialVersionUID = 1L;
    private final transient DestinationRegistry registry;

    /**
     * @param registry where RestServer's endpoint lives; passing it marks it as not ours, so
     *                 {@link #destroy()} leaves the endpoint to the server that owns it
     * @param bus      the bus the endpoint is built on
     */
    ApiServlet(DestinationRegistry registry, Bus bus) {
        super(registry, bus);
        this.registry = registry;
    }

    @Override
    protected void invoke(HttpServletRequest request, HttpServletResponse response) throws ServletException {
        // no live endpoint before the first build, during a rebuild, or between create and start:
        // CXF would answer text/plain (and log "Can't find the request ... Observer")
        if (!ready()) {
            try {
                response.setHeader("Retry-After", "1");
                FallbackServlet.problem(request, response, 503, "unavailable", "Service Unavailable",
                        "The API is starting; retry shortly.");
            } catch (IOException e) {
                throw new ServletException(e);
            }
            return;
        }
        super.invoke(request, response);
    }

    @Override
    public void destroyBus() {
        // CXF shuts the bus down when the servlet is unregistered; the bus is RestServer's to manage
    }

    private boolean ready() {
        for (org.apache.cxf.transport.http.AbstractHTTPDestination d : registry.getDestinations()) {
            if (d.getMessageObserver() != null) {
                return true;
            }
        }
        return false;
    }
}
