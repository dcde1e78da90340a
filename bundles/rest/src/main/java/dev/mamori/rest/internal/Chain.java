package dev.mamori.rest.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javax.servlet.ServletConfig;

import org.apache.cxf.Bus;
import org.apache.cxf.jaxrs.openapi.OpenApiFeature;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

/**
 * The built-in chain of every generation, explicit and in order rather than left to discovery, and
 * the OpenAPI feature that describes exactly the generation's resources.
 */
final class Chain {
    private static final String OPENAPI_RESOURCE = "io.swagger.v3.jaxrs2.integration.resources.OpenApiResource";

    private Chain() {
    }

    /**
     * Builds a complete generation (not yet installed).
     *
     * @param number        generation number
     * @param bus           the bus
     * @param resources     resource objects
     * @param extensions    extension providers
     * @param maxBody       the body limits, read per request
     * @param slots         the slot filters, read per request
     * @param servletConfig the API servlet's configuration for CXF's controller
     * @return the started generation
     */
    static Generation build(long number, Bus bus, List<Object> resources, Collection<Object> extensions,
            Supplier<BodyLimitFilter.Limits> maxBody, SlotFilters slots, ServletConfig servletConfig) {
        return Generation.build(number, bus, resources, providers(maxBody, slots, extensions), List.of(openApi()),
                servletConfig);
    }

    /**
     * The chain, in order: request id, required-slot gate, body limit (the ceiling before matching,
     * the method's after), security headers, the slot filters, error mapping; then the
     * capabilities' extensions.
     */
    static List<Object> providers(Supplier<BodyLimitFilter.Limits> maxBody, SlotFilters slots, Collection<Object> extensions) {
        RequiredSlotGate gate = new RequiredSlotGate(slots);
        List<Object> p = new ArrayList<>();
        p.add(new RequestIdFilter());
        p.add(gate);
        p.add(new BodyLimitFilter(maxBody));
        p.add(new BodyLimitFilter.PerMethod());
        p.add(new SecurityHeaders());
        p.add(new SlotDispatcher(slots));
        p.add(new ProblemMapper());
        p.add(new JacksonJsonProvider(objectMapper()));
        p.add(new NoWadl(gate));
        p.addAll(extensions);
        return p;
    }

    static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // {"a":1,"a":2} is a client's mistake (or a smuggling attempt), never silently the last value
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    static OpenApiFeature openApi() {
        OpenApiFeature f = new OpenApiFeature();
        f.setTitle("Mamori API");
        f.setVersion("1.0.0");
        f.setDescription("Multi-tenant server that enforces published security and privacy promises.");
        f.setLicense("Proprietary");
        f.setContactName("Mamori operators");
        f.setScan(false);
        // a non-empty class list stops swagger from scanning the class path for @Path classes (which
        // would document resources this generation does not serve); the name is one swagger ignores,
        // so the document holds exactly the generation's resources
        f.setResourceClasses(Set.of(OPENAPI_RESOURCE));
        f.setSupportSwaggerUi(false);
        f.setPrettyPrint(true);
        f.setRunAsFilter(false);
        // the problem responses of every operation, from the error kinds its method declares
        ProblemDocs.install();
        return f;
    }
}
