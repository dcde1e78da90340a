package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.RestConstants;

class ProblemMapperTest {
    private static final Map<ErrorKind, Integer> STATUS = Map.ofEntries(Map.entry(ErrorKind.INVALID, 400),
            Map.entry(ErrorKind.UNAUTHENTICATED, 401), Map.entry(ErrorKind.FORBIDDEN, 403), Map.entry(ErrorKind.NOT_FOUND, 404),
            Map.entry(ErrorKind.CONFLICT, 409), Map.entry(ErrorKind.GONE, 410), Map.entry(ErrorKind.PRECONDITION_FAILED, 412),
            Map.entry(ErrorKind.PRECONDITION_REQUIRED, 428), Map.entry(ErrorKind.PAYLOAD_TOO_LARGE, 413),
            Map.entry(ErrorKind.TOO_MANY_REQUESTS, 429), Map.entry(ErrorKind.UNAVAILABLE, 503), Map.entry(ErrorKind.INTERNAL, 500));
    private final ProblemMapper mapper = new ProblemMapper();

    /** A capability's own exception class, unknown to the REST bundle. */
    static final class GadgetException extends MamoriException {
        private static final long serialVersionUID = 1L;

        GadgetException(ErrorCode code, String message, Duration retryAfter) {
            super(code, message, null, retryAfter);
        }
    }

    static ErrorCode code(ErrorKind kind) {
        return ErrorCode.of("gadget-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'), kind,
                "Gadget " + kind.name().toLowerCase(Locale.ROOT));
    }

    private static <T> T withRequestId(String id, java.util.function.Supplier<T> work) {
        return ExecutionContext.builder(Channel.REST).requestId(id).build().call(work);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorKind.class)
    @DisplayName("EXT-3/SEC-11: any MamoriException is mapped by its kind: status, urn:mamori:problem:<code>, the code's title")
    void everyKind(ErrorKind kind) {
        GadgetException e = new GadgetException(code(kind), "The gadget says no (" + kind + ").", null);
        Problem p = withRequestId("request-0001", () -> mapper.problemFor(e));
        int status = STATUS.get(kind);
        assertEquals(status, p.status);
        assertEquals("urn:mamori:problem:" + e.code(), p.type);
        assertEquals(e.errorCode().title(), p.title);
        assertEquals("request-0001", p.requestId);
        if (kind == ErrorKind.INTERNAL) {
            assertFalse(p.detail.contains("gadget says"), "SEC-11: no internals in a 500: " + p.detail);
            assertTrue(p.detail.contains("request-0001"), p.detail);
        } else {
            assertEquals(e.getMessage(), p.detail);
        }
        Response r = withRequestId("request-0001", () -> mapper.toResponse(e));
        assertEquals(status, r.getStatus());
        assertEquals(RestConstants.PROBLEM_JSON, r.getMediaType().toString());
        boolean retry = kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.TOO_MANY_REQUESTS;
        assertEquals(retry ? "1" : null, r.getHeaderString("Retry-After"), "Retry-After defaults to 1 s for 429/503 only");
    }

    @Test
    @DisplayName("SEC-4: Retry-After carries the exception's own delay, in whole seconds rounded up")
    void retryAfter() {
        Response r = mapper.toResponse(new GadgetException(code(ErrorKind.UNAVAILABLE), "Sealed.", Duration.ofSeconds(30)));
        assertEquals("30", r.getHeaderString("Retry-After"));
        r = mapper.toResponse(new GadgetException(code(ErrorKind.TOO_MANY_REQUESTS), "Slow down.", Duration.ofMillis(1500)));
        assertEquals(429, r.getStatus());
        assertEquals("2", r.getHeaderString("Retry-After"));
        r = mapper.toResponse(new GadgetException(code(ErrorKind.UNAVAILABLE), "Busy.", Duration.ZERO));
        assertEquals("1", r.getHeaderString("Retry-After"), "never 0: a client would retry in a tight loop");
        r = mapper.toResponse(new GadgetException(code(ErrorKind.CONFLICT), "Taken.", Duration.ofSeconds(9)));
        assertNull(r.getHeaderString("Retry-After"), "only 429 and 503 carry it");
    }

    @Test
    @DisplayName("TEN-2: a typed error wrapped by a persistence layer is still found in the cause chain")
    void wrapped() {
        Problem p = mapper.problemFor(new RuntimeException("wrapper",
                new IllegalStateException(new GadgetException(code(ErrorKind.FORBIDDEN), "Tenant is EXPIRED.", null))));
        assertEquals(403, p.status);
        assertEquals("urn:mamori:problem:gadget-forbidden", p.type);
        assertEquals("Tenant is EXPIRED.", p.detail);
    }

    @Test
    @DisplayName("SEC-10: a body cut off while streaming becomes 413 naming the limit")
    void tooLarge() {
        Problem p = mapper.problemFor(new RuntimeException(new BodyLimitFilter.TooLargeException(1024)));
        assertEquals(413, p.status);
        assertEquals("urn:mamori:problem:payload-too-large", p.type);
        assertTrue(p.detail.contains("1024"));
    }

    @Test
    @DisplayName("SEC-1/SEC-11: unexpected errors are 500 without internals, quoting the request id")
    void unexpected() {
        Problem p = withRequestId("request-0002",
                () -> mapper.problemFor(new IllegalStateException("SELECT * FROM mamori_tenant failed at db.internal")));
        assertEquals(500, p.status);
        assertEquals("urn:mamori:problem:internal-error", p.type);
        assertFalse(p.detail.contains("mamori_tenant"), p.detail);
        assertFalse(p.detail.contains("db.internal"), p.detail);
        assertTrue(p.detail.contains("request-0002"), p.detail);
    }

    @Test
    @DisplayName("SEC-5: malformed JSON is a 400 that names neither Java classes nor echoes line breaks")
    void malformedJson() {
        IOException e = null;
        try {
            new ObjectMapper().readValue("{\"a\":\n tru", HealthResource.Check.class);
        } catch (IOException ex) {
            e = ex;
        }
        Problem p = mapper.problemFor(new RuntimeException(e));
        assertEquals(400, p.status);
        assertEquals("urn:mamori:problem:malformed-json", p.type);
        assertFalse(p.detail.contains("dev.mamori"), p.detail);
        assertFalse(p.detail.contains("\n"), p.detail);
    }

    @Test
    @DisplayName("SEC-5: a body of the wrong shape names the expected type by its simple name, never a package or nested class "
            + "(found by an outside attack: `dev.mamori.records.rest.internal.ExportResource$ExportBody`)")
    void wrongShapeNamesNoInternals() {
        IOException e = null;
        try {
            new ObjectMapper().readValue("[1]", HealthResource.Check.class);
        } catch (IOException ex) {
            e = ex;
        }
        Problem p = mapper.problemFor(new RuntimeException(e));
        assertEquals(400, p.status);
        assertFalse(p.detail.contains("dev.mamori") || p.detail.contains("internal") || p.detail.contains("$"), p.detail);
        assertTrue(p.detail.contains("Check"), p.detail);
    }

    @Test
    @DisplayName("A client that breaks off its body mid-way is a 400, not a 500 with an ERROR and a stack trace (an aborted upload "
            + "logged two of them)")
    void clientGoneIsNotAServerError() {
        for (Throwable gone : new Throwable[] {new IllegalStateException("Parser is terminated: HttpParser{s=CLOSED,5010 of 900000}"),
            new RuntimeException(new java.io.EOFException("Early EOF"))}) {
            Problem p = mapper.problemFor(gone);
            assertEquals(400, p.status, gone.toString());
            assertEquals("urn:mamori:problem:request-aborted", p.type);
        }
        assertEquals(500, mapper.problemFor(new IllegalStateException("something else")).status);
    }

    @Test
    @DisplayName("SEC-11: JAX-RS client errors keep their status with a fixed detail")
    void webApplicationException() {
        Problem p = mapper.problemFor(new NotFoundException());
        assertEquals(404, p.status);
        assertEquals("urn:mamori:problem:not-found", p.type);
        assertEquals("No resource at this path.", p.detail);
    }

    @Test
    @DisplayName("SEC-4: retry delays round up to whole seconds and are at least one")
    void seconds() {
        assertEquals(1, ProblemMapper.seconds(Duration.ZERO));
        assertEquals(1, ProblemMapper.seconds(Duration.ofMillis(1)));
        assertEquals(5, ProblemMapper.seconds(Duration.ofSeconds(5)));
        assertEquals(6, ProblemMapper.seconds(Duration.ofMillis(5001)));
    }
}
