package dev.mamori.itests;

import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * A whiteboard resource the tests plug into the running server, to drive the REST base's error
 * handling (the API itself has no unauthenticated endpoint that takes a body yet).
 */
@Path("/it-probe")
public class ProbeResource {
    public static final String SECRET = "internal-detail-7f3a";
    /** What the attachment method accepts: 2 MiB. */
    public static final long ATTACHMENT_LIMIT = 2L * 1024 * 1024;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> ping() {
        return Map.of("ok", true);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> echo(Map<String, Object> body) {
        return Map.of("size", body.size());
    }

    /** Attachments need more than the default 1 MiB: a method's own limit (SEC-10). */
    @POST
    @Path("/attachment")
    @dev.mamori.rest.spi.BodyLimit(ATTACHMENT_LIMIT)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> attachment(Map<String, Object> body) {
        return Map.of("size", body.size());
    }

    @GET
    @Path("/fail")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> fail() {
        throw new IllegalStateException("boom " + SECRET + " at com.example.Secret");
    }
}
