package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.RestConstants;

/** The slot filters inside the running CXF server. */
class SlotChainTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private ApiHarness api;
    private Probe probe;

    /** A resource that logs its call. */
    @Path("probe")
    public static class Probe {
        final List<String> log;

        Probe(List<String> log) {
            this.log = log;
        }

        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            log.add("resource");
            return Map.of("ok", "yes");
        }
    }

    /** Logs both directions; may abort or throw. */
    final class Recorder implements ContainerRequestFilter, ContainerResponseFilter {
        final String name;
        boolean abort;
        boolean fail;
        Object resourceClass;
        Object resourceMethod;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            log.add(name + ">");
            resourceClass = request.getProperty(RestConstants.RESOURCE_CLASS);
            resourceMethod = request.getProperty(RestConstants.RESOURCE_METHOD);
            if (fail) {
                throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "Sign in first.");
            }
            if (abort) {
                request.abortWith(Response.status(401).type(MediaType.TEXT_PLAIN).entity("stopped by " + name).build());
            }
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            log.add("<" + name);
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
        probe = new Probe(log);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private Recorder add(long id, String slot, int ranking, String name) {
        Recorder r = new Recorder(name);
        api.slots.add(id, slot, ranking, r);
        return r;
    }

    @Test
    @DisplayName("EXT-1: slot filters run in slot order, within a slot by ranking; response filters in reverse")
    void order() throws Exception {
        add(1, RestConstants.SLOT_AUDIT, 0, "audit");
        add(2, RestConstants.SLOT_PERMISSION, 0, "permission");
        add(3, RestConstants.SLOT_AUTHENTICATION, 0, "auth-low");
        add(4, RestConstants.SLOT_AUTHENTICATION, 10, "auth-high");
        add(5, RestConstants.SLOT_MFA, 0, "mfa");
        add(6, RestConstants.SLOT_TENANT, 0, "tenant");
        api.deploy(probe);
        assertEquals(200, api.get("/api/v1/probe").status);
        assertEquals(List.of("auth-high>", "auth-low>", "tenant>", "mfa>", "permission>", "audit>", "resource",
                "<audit", "<permission", "<mfa", "<tenant", "<auth-low", "<auth-high"), log);
    }

    @Test
    @DisplayName("SEC-4: an aborting authentication filter stops the chain before the resource; response filters still run")
    void abortStops() throws Exception {
        add(1, RestConstants.SLOT_AUTHENTICATION, 0, "auth").abort = true;
        add(2, RestConstants.SLOT_PERMISSION, 0, "permission");
        add(3, RestConstants.SLOT_AUDIT, 0, "audit");
        api.deploy(probe);
        Resp r = api.get("/api/v1/probe");
        assertEquals(401, r.status, r.body);
        assertEquals("stopped by auth", r.body);
        assertEquals(List.of("auth>", "<audit", "<permission", "<auth"), log);
        assertEquals("DENY", r.get("X-Frame-Options"), "built-in headers on an aborted request too");
    }

    @Test
    @DisplayName("SEC-4/EXT-3: a MamoriException UNAUTHENTICATED thrown by a slot filter becomes 401 problem+json")
    void thrownIsMapped() throws Exception {
        add(1, RestConstants.SLOT_AUTHENTICATION, 0, "auth").fail = true;
        add(2, RestConstants.SLOT_AUDIT, 0, "audit");
        api.deploy(probe);
        Resp r = api.get("/api/v1/probe");
        assertEquals(401, r.status, r.body);
        assertTrue(r.get("Content-Type").startsWith(RestConstants.PROBLEM_JSON), r.get("Content-Type"));
        assertTrue(r.body.contains("\"type\":\"urn:mamori:problem:unauthenticated\""), r.body);
        assertTrue(r.body.contains("Sign in first."), r.body);
        assertTrue(!log.contains("resource") && !log.contains("audit>"), log.toString());
        assertTrue(log.contains("<audit"), "response filters see the mapped error: " + log);
    }

    @Test
    @DisplayName("SEC-4: a permission filter sees the matched resource class and method")
    void resourceInfo() throws Exception {
        Recorder permission = add(1, RestConstants.SLOT_PERMISSION, 0, "permission");
        api.deploy(probe);
        assertEquals(200, api.get("/api/v1/probe").status);
        assertSame(Probe.class, permission.resourceClass);
        assertEquals("get", ((Method) permission.resourceMethod).getName());
    }

    @Test
    @DisplayName("EXT-1: adding or removing a slot filter takes effect on the next request, without a new generation")
    void liveChanges() throws Exception {
        Generation g = api.deploy(probe);
        assertEquals(200, api.get("/api/v1/probe").status);
        add(7, RestConstants.SLOT_AUTHENTICATION, 0, "auth").abort = true;
        assertEquals(401, api.get("/api/v1/probe").status);
        api.slots.remove(7);
        assertEquals(200, api.get("/api/v1/probe").status);
        assertSame(g, api.generations.current(), "no rebuild for filters");
        assertEquals(1, g.number());
    }
}
