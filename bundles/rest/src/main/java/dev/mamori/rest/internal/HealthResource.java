package dev.mamori.rest.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

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

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Liveness and readiness, unauthenticated, with nothing secret in it. */
@Component(service = HealthResource.class, property = RestConstants.RESOURCE + "=true")
@Path("/health")
// the document-wide base URL rides on the one resource that is always there; relative, so it is
// right behind any host name or proxy
@OpenAPIDefinition(servers = @Server(url = RestConstants.BASE_PATH, description = "This server"))
@Tag(name = "health", description = "Liveness and readiness of the server")
public class HealthResource {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    /** The health report. */
    @JsonPropertyOrder({"status", "live", "ready", "checks"})
    public static final class Report {
        /** UP when ready, else DOWN. */
        public String status;
        /** The process answers. */
        public boolean live;
        /** Every check is up. */
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
            description = "Always answers while the process lives; ready when every health check (both DataSources, "
                    + "and later the key vault) is up.",
            responses = {
                @ApiResponse(responseCode = "200", description = "Ready",
                        content = @Content(mediaType = "application/json", schema = @Schema(implementation = Report.class))),
                @ApiResponse(responseCode = "503", description = "Live but not ready",
                        content = @Content(mediaType = "application/json", schema = @Schema(implementation = Report.class))),
                @ApiResponse(responseCode = "406", description = "The client accepts no JSON",
                        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))})
    public Response health() {
        Report r = report(checks);
        return Response.status(r.ready ? 200 : 503).entity(r).build();
    }

    static Report report(List<HealthCheck> checks) {
        Report r = new Report();
        r.live = true;
        r.checks = new TreeMap<>();
        boolean ready = !checks.isEmpty();
        for (HealthCheck c : checks) {
            HealthStatus s;
            try {
                s = c.check();
            } catch (RuntimeException e) {
                s = HealthStatus.down("check failed");
            }
            Check out = new Check();
            out.status = s.isUp() ? "UP" : "DOWN";
            out.detail = s.detail();
            r.checks.put(c.name(), out);
            ready &= s.isUp();
        }
        r.ready = ready;
        r.status = ready ? "UP" : "DOWN";
        return r;
    }
}
