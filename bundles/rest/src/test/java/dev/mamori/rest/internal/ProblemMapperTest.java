package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.Stream;

import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.rest.spi.RestConstants;
import dev.mamori.tenant.DuplicateTenantException;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantNotFoundException;

class ProblemMapperTest {
    private final ProblemMapper mapper = new ProblemMapper();

    static Stream<Arguments> tenantErrors() {
        return Stream.of(
                Arguments.of(new TenantNotFoundException("No tenant 'x'."), 404),
                Arguments.of(new SettingNotFoundException("No setting."), 404),
                Arguments.of(new InvalidTenantDataException("Invalid tenant: slug."), 400),
                Arguments.of(new DuplicateTenantException("Taken."), 409),
                Arguments.of(new IllegalTransitionException("Cannot go from A to B."), 409),
                Arguments.of(new TenantNotAccessibleException("Tenant is EXPIRED."), 403));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("tenantErrors")
    @DisplayName("EXT-3: typed tenant errors become problem+json with their code as type and their message as detail")
    void tenantErrors(TenantException e, int status) {
        Problem p = mapper.problemFor(e);
        assertEquals(status, p.status);
        assertEquals("urn:mamori:problem:" + e.code(), p.type);
        assertEquals(e.getMessage(), p.detail);
        Response r = mapper.toResponse(e);
        assertEquals(status, r.getStatus());
        assertEquals(RestConstants.PROBLEM_JSON, r.getMediaType().toString());
    }

    @Test
    @DisplayName("TEN-2: a typed error wrapped by a persistence layer is still recognised")
    void wrapped() {
        Problem p = mapper.problemFor(new RuntimeException("wrapper", new TenantNotAccessibleException("Tenant is EXPIRED.")));
        assertEquals(403, p.status);
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
    @DisplayName("SEC-1/SEC-11: unexpected errors are 500 without internals; a tenant code without a mapping is not exposed either")
    void unexpected() {
        Problem p = mapper.problemFor(new IllegalStateException("SELECT * FROM mamori_tenant failed at db.internal"));
        assertEquals(500, p.status);
        assertEquals("urn:mamori:problem:internal-error", p.type);
        assertFalse(p.detail.contains("mamori_tenant"), p.detail);
        assertFalse(p.detail.contains("db.internal"), p.detail);
        Problem unmapped = mapper.problemFor(new NoTenantContextException("Query on tenant-scoped X refused"));
        assertEquals(500, unmapped.status);
        assertFalse(unmapped.detail.contains("tenant-scoped"), unmapped.detail);
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
    @DisplayName("SEC-11: JAX-RS client errors keep their status with a fixed detail")
    void webApplicationException() {
        Problem p = mapper.problemFor(new NotFoundException());
        assertEquals(404, p.status);
        assertEquals("urn:mamori:problem:not-found", p.type);
        assertEquals("No resource at this path.", p.detail);
    }
}
