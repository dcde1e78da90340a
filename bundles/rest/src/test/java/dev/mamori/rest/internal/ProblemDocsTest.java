package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** EXT-3: the problem responses of /openapi.json come from the error kinds a resource declares, in one place. */
class ProblemDocsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ApiHarness api;

    /** A resource that declares kinds on its class and its methods, and documents one response itself. */
    @Path("docs")
    @ProblemResponses(ErrorKind.UNAUTHENTICATED)
    public static class Documented {
        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @ProblemResponses({ErrorKind.TOO_MANY_REQUESTS, ErrorKind.NOT_FOUND, ErrorKind.UNAVAILABLE})
        @Operation(operationId = "getDocs", summary = "Get", responses = {
            @ApiResponse(responseCode = "200", description = "The thing"),
            @ApiResponse(responseCode = "404", description = "Its own words")})
        public String get() {
            return "{}";
        }

        /** Does nothing. */
        @POST
        @Operation(operationId = "postDocs", summary = "Post")
        public void post() {
        }
    }

    /** A resource that declares nothing. */
    @Path("plain")
    public static class Plain {
        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @Operation(operationId = "getPlain", summary = "Plain", responses = @ApiResponse(responseCode = "200", description = "Fine"))
        public String get() {
            return "{}";
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private JsonNode document() throws Exception {
        Resp r = api.get("/api/v1/openapi.json");
        assertEquals(200, r.status, r.body);
        return JSON.readTree(r.body);
    }

    private static List<String> codes(JsonNode responses) {
        List<String> out = new ArrayList<>();
        responses.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    @DisplayName("EXT-3: each declared kind becomes its status with the Problem schema as problem+json, class and method kinds add up, "
            + "Retry-After for 429 and 503, a response documented by hand is kept, the schema (from /health) is there")
    void kindsBecomeProblemResponses() throws Exception {
        api.deploy(new Documented(), new Plain(), new HealthResource());
        JsonNode doc = document();
        JsonNode get = doc.at("/paths/~1docs/get/responses");
        assertEquals(List.of("200", "401", "404", "429", "503"), codes(get));
        for (String status : List.of("401", "429", "503")) {
            JsonNode problem = get.get(status).at("/content/" + RestConstants.PROBLEM_JSON.replace("/", "~1") + "/schema/$ref");
            assertEquals("#/components/schemas/Problem", problem.asText(), status);
        }
        assertEquals(ProblemDocs.description(ErrorKind.UNAUTHENTICATED), get.at("/401/description").asText());
        assertEquals("Its own words", get.at("/404/description").asText(), "a response the method documents itself is kept");
        assertEquals("integer", get.at("/429/headers/Retry-After/schema/type").asText());
        assertEquals("integer", get.at("/503/headers/Retry-After/schema/type").asText());
        assertTrue(get.at("/401/headers").isMissingNode());
        assertTrue(codes(doc.at("/paths/~1docs/post/responses")).contains("401"), "the class's kinds apply to every method");
        assertEquals(List.of("200"), codes(doc.at("/paths/~1plain/get/responses")), "nothing declared, nothing added");
        JsonNode schema = doc.at("/components/schemas/Problem/properties");
        for (String field : List.of("type", "title", "status", "detail", "instance", "requestId")) {
            assertTrue(schema.has(field), field + " in " + schema);
        }
        assertEquals(doc, document(), "asked again, the same document (nothing added twice)");
    }

    @Test
    @DisplayName("EXT-3: the REST bundle's own resources document no problem response by hand")
    void noHandWrittenProblemResponses() {
        for (Class<?> resource : List.of(JobResource.class, HealthResource.class)) {
            for (Method m : resource.getMethods()) {
                Operation op = m.getAnnotation(Operation.class);
                if (op == null) {
                    continue;
                }
                for (ApiResponse r : op.responses()) {
                    boolean kindStatus = List.of(ErrorKind.values()).stream().anyMatch(k -> Integer.toString(ProblemMapper.status(k))
                            .equals(r.responseCode()));
                    assertTrue(!kindStatus || r.content().length == 0 || !r.content()[0].mediaType().equals(RestConstants.PROBLEM_JSON),
                            resource.getSimpleName() + "." + m.getName() + " " + r.responseCode() + ": declare the kind with @ProblemResponses");
                }
            }
        }
    }
}
