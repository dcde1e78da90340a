package dev.mamori.rest.internal;

import java.security.SecureRandom;
import java.util.regex.Pattern;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;

import org.slf4j.MDC;

import dev.mamori.rest.spi.RestConstants;

/** First in the chain: every request gets an id, echoed on the response and put in the log MDC. */
@PreMatching
@Priority(RestConstants.PRIORITY_REQUEST_ID)
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String PROPERTY = "mamori.requestId";
    static final String MDC_KEY = "requestId";
    // a caller-supplied id is only reused when it cannot smuggle anything into headers or logs (SEC-7)
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(PROPERTY) != null) {
            return;
        }
        String supplied = request.getHeaderString(RestConstants.REQUEST_ID_HEADER);
        String id = supplied != null && SAFE.matcher(supplied).matches() ? supplied : newId();
        request.setProperty(PROPERTY, id);
        MDC.put(MDC_KEY, id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(RestConstants.REQUEST_ID_HEADER, id);
        }
        MDC.remove(MDC_KEY);
    }

    static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        char[] out = new char[24];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    static String of(ContainerRequestContext request) {
        Object id = request == null ? null : request.getProperty(PROPERTY);
        return id == null ? null : id.toString();
    }
}
