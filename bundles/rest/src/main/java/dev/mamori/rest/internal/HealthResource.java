package dev.mamori.rest.internal;

import java.util.Map;
import java.util.TreeMap;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthService;
import dev.mamori.platform.health.HealthStatus;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Liveness and readiness, unauthenticated, with nothing secret in it: the platform's
 * {@link HealthService} report (registered checks plus the configured required ones, a missing
 * required check being DOWN "not registered").
 */
@Component(service = HealthResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/health")
// the document-wide base URL rides on the one resource that is always there; relative, so it is
// right behind any host name or proxy
@OpenAPIDefinition(servers = @Server(url = RestConstants.BASE_PATH, description = "This server"))
@Tag(name = "health", description = "Liveness and readiness of the server")
public class HealthResource {
    /** Name under which a missing health service itself is reported. */
    static final String SERVICE_CHECK = "health-service";

    // optional, so /health keeps answering (503) while the platform bundle is being updated
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HealthService service;

    /** The health report. */
    @JsonPropertyOrder({"status", "live", "ready", "checks"})
    public static final class Report {
        /** UP when ready, else DOWN. */
        public String status;
        /** The process answers. */
        public boolean live;
        /** Every required check is registered and every check is up. */
        public boolean ready;
        /** Each check's state. */
        public Map<String, Check> checks;
    }

    /** One check's state. */
    public static final class Check {
        /** UP or DOWN. */
        public String status;
        /** Short public note. */
        public String detail;
    }

    /** @return 200 when ready, 503 otherwise; the body says which check fails */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getHealth", summary = "Liveness and readiness",
            description = "Always answers while the process lives; ready when every required health check (both "
                    + "DataSources, the key vault, ...) is registered and every registered check is up.",
            responses = {
                @ApiResponse(responseCode = "200", description = "Ready",
                        content = @Content(mediaType = "application/json", schema = @Schema(implementation = Report.class))),
                @ApiResponse(responseCode = "503", description = "Live but not ready",
                        content = @Content(mediaType = "application/json", schema = @Schema(implementation = Report.class))),
                @ApiResponse(responseCode = "406", description = "The client accepts no JSON",
                        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))})
    public Response health() {
        Report r = report(service);
        return Response.status(r.ready ? 200 : 503).entity(r).build();
    }

    /**
     * @param service the platform's health service, or null while there is none
     * @return the report; without a service (or if it fails) not ready
     */
    static Report report(HealthService service) {
        Report r = new Report();
        r.live = true;
        r.checks = new TreeMap<>();
        if (service == null) {
            r.checks.put(SERVICE_CHECK, check(HealthStatus.down("not registered")));
            return ready(r, false);
        }
        HealthReport report;
        try {
            report = service.report();
        } catch (RuntimeException e) {
            r.checks.put(SERVICE_CHECK, check(HealthStatus.down("health service failed")));
            return ready(r, false);
        }
        report.checks().forEach((name, status) -> r.checks.put(name, check(status)));
        return ready(r, report.ready());
    }

    private static Report ready(Report r, boolean ready) {
        r.ready = ready;
        r.status = ready ? "UP" : "DOWN";
        return r;
    }

    private static Check check(HealthStatus s) {
        Check out = new Check();
        out.status = s.isUp() ? "UP" : "DOWN";
        out.detail = s.detail();
        return out;
    }
}
