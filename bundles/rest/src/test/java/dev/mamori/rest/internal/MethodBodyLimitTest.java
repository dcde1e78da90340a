package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.BodyLimit;

/** SEC-10: body limits per resource method, exact for a Content-Length and for a chunked body, on Jetty with CXF. */
class MethodBodyLimitTest {
    static final long DEFAULT = 64;
    static final long CEILING = 256;
    private ApiHarness api;

    /** Methods with and without their own limit. */
    @Path("upload")
    public static class Upload {
        /** @return the size of the JSON object read */
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Object> plain(Map<String, Object> body) {
            return Map.of("size", body.size());
        }

        /** @return the size */
        @POST
        @Path("attachment")
        @BodyLimit(200)
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Object> attachment(Map<String, Object> body) {
            return Map.of("size", body.size());
        }

        /** @return the size */
        @POST
        @Path("small")
        @BodyLimit(10)
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Object> small(Map<String, Object> body) {
            return Map.of("size", body.size());
        }

        /** @return the size */
        @POST
        @Path("greedy")
        @BodyLimit(1_000_000_000L)
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Object> greedy(Map<String, Object> body) {
            return Map.of("size", body.size());
        }
    }

    /** A class-wide limit, which a method may still set for itself. */
    @Path("bulk")
    @BodyLimit(100)
    public static class Bulk {
        /** @return the size */
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, Object> post(Map<String, Object> body) {
            return Map.of("size", body.size());
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
        api.limits = new BodyLimitFilter.Limits(DEFAULT, CEILING);
        api.deploy(new Upload(), new Bulk());
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    /** A JSON object of exactly {@code size} bytes: braces around blanks. */
    private static String json(long size) {
        StringBuilder b = new StringBuilder("{");
        while (b.length() < size - 1) {
            b.append(' ');
        }
        return b.append('}').toString();
    }

    private void assertExact(String path, long limit) throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            String how = path + (chunked ? " chunked" : " with Content-Length");
            Resp at = api.post(path, json(limit), chunked);
            assertEquals(200, at.status, how + ": " + at.body);
            Resp over = api.post(path, json(limit + 1), chunked);
            assertEquals(413, over.status, how + ": " + over.body);
            assertTrue(over.body.contains("urn:mamori:problem:payload-too-large"), over.body);
            assertTrue(over.body.contains("limit of " + limit + " bytes"), how + ": " + over.body);
        }
    }

    @Test
    @DisplayName("SEC-10: a method without @BodyLimit keeps the default, exactly, with Content-Length and chunked")
    void defaultLimit() throws Exception {
        assertExact("/api/v1/upload", DEFAULT);
    }

    @Test
    @DisplayName("SEC-10: @BodyLimit on a method raises (attachments) or lowers its limit, exactly, with Content-Length and chunked")
    void perMethod() throws Exception {
        assertExact("/api/v1/upload/attachment", 200);
        assertExact("/api/v1/upload/small", 10);
    }

    @Test
    @DisplayName("SEC-10: @BodyLimit on the resource class applies to its methods")
    void perClass() throws Exception {
        assertExact("/api/v1/bulk", 100);
    }

    @Test
    @DisplayName("SEC-10: no method lifts the limit past the configured ceiling")
    void ceiling() throws Exception {
        assertExact("/api/v1/upload/greedy", CEILING);
        api.limits = new BodyLimitFilter.Limits(DEFAULT, 150);
        assertExact("/api/v1/upload/attachment", 150);
        assertExact("/api/v1/upload", DEFAULT);
    }
}
