package dev.mamori.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

import dev.mamori.rest.spi.RestConstants;

/** Headers every response carries (SEC-9 clickjacking, sniffing, caching, referrer leaks, HSTS). */
@Priority(RestConstants.PRIORITY_SECURITY_HEADERS)
public final class SecurityHeaders implements ContainerResponseFilter {
    static final String HSTS = "max-age=31536000; includeSubDomains";
    static final Map<String, String> ALWAYS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        h.put("Pragma", "no-cache");
        ALWAYS = java.util.Collections.unmodifiableMap(h);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        ALWAYS.forEach((k, v) -> response.getHeaders().putSingle(k, v));
        if ("https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme())) {
            response.getHeaders().putSingle("Strict-Transport-Security", HSTS);
        }
    }
}
