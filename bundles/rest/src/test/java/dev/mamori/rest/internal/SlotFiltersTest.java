package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.rest.spi.RestConstants;

class SlotFiltersTest {

    /** A request and response filter that only has a name. */
    static final class Named implements ContainerRequestFilter, ContainerResponseFilter {
        final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public void filter(ContainerRequestContext request) {
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Only a request filter. */
    static final class RequestOnly implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
        }

        @Override
        public String toString() {
            return "request-only";
        }
    }

    private static List<String> names(List<?> filters) {
        return filters.stream().map(Object::toString).collect(Collectors.toList());
    }

    @Test
    @DisplayName("EXT-1: request filters run slot by slot, within a slot by ranking (highest first) then service id")
    void order() {
        SlotFilters slots = new SlotFilters();
        slots.add(10, RestConstants.SLOT_AUDIT, 0, new Named("audit"));
        slots.add(11, RestConstants.SLOT_PERMISSION, 0, new Named("permission"));
        slots.add(12, RestConstants.SLOT_AUTHENTICATION, 0, new Named("auth-low-id12"));
        slots.add(13, RestConstants.SLOT_AUTHENTICATION, 50, new Named("auth-ranked"));
        slots.add(9, RestConstants.SLOT_AUTHENTICATION, 0, new Named("auth-low-id9"));
        slots.add(14, RestConstants.SLOT_TENANT, -5, new Named("tenant"));
        slots.add(15, RestConstants.SLOT_MFA, 0, new RequestOnly());
        assertEquals(List.of("auth-ranked", "auth-low-id9", "auth-low-id12", "tenant", "request-only", "permission", "audit"),
                names(slots.snapshot().requestFilters()));
        assertEquals(List.of("audit", "permission", "tenant", "auth-low-id12", "auth-low-id9", "auth-ranked"),
                names(slots.snapshot().responseFilters()), "response filters in reverse; the request-only one is absent");
    }

    @Test
    @DisplayName("EXT-1: every change publishes a new snapshot; one already taken stays as it was")
    void snapshots() {
        SlotFilters slots = new SlotFilters();
        SlotFilters.Snapshot empty = slots.snapshot();
        slots.add(1, RestConstants.SLOT_AUTHENTICATION, 0, new Named("a"));
        SlotFilters.Snapshot one = slots.snapshot();
        assertNotSame(empty, one);
        assertTrue(empty.requestFilters().isEmpty());
        slots.remove(1);
        assertEquals(List.of("a"), names(one.requestFilters()));
        assertTrue(slots.snapshot().requestFilters().isEmpty());
        SlotFilters.Snapshot after = slots.snapshot();
        slots.remove(42);
        assertSame(after, slots.snapshot(), "removing an unknown id changes nothing");
    }

    @Test
    @DisplayName("EXT-1: an unknown slot or an object that is no filter is refused")
    void refused() {
        SlotFilters slots = new SlotFilters();
        assertThrows(IllegalArgumentException.class, () -> slots.add(1, "authorisation", 0, new Named("x")));
        assertThrows(IllegalArgumentException.class, () -> slots.add(2, RestConstants.SLOT_AUDIT, 0, "not a filter"));
        assertTrue(slots.snapshot().entries().isEmpty());
    }

    @Test
    @DisplayName("SEC-4: required slots without a filter are missing; a name that is no slot stays missing (fail closed)")
    void required() {
        SlotFilters slots = new SlotFilters();
        assertEquals(List.of(), slots.missing());
        slots.require(List.of(" authentication", "permission", "authentication", ""));
        assertEquals(List.of("authentication", "permission"), slots.required());
        assertEquals(List.of("authentication", "permission"), slots.missing());
        slots.add(1, RestConstants.SLOT_AUTHENTICATION, 0, new Named("a"));
        assertEquals(List.of("permission"), slots.missing());
        slots.add(2, RestConstants.SLOT_PERMISSION, 0, new RequestOnly());
        assertEquals(List.of(), slots.missing());
        slots.require(List.of("tenant, mfa"));
        assertEquals(List.of("tenant", "mfa"), slots.required(), "a .cfg value lists slots separated by commas");
        slots.require(List.of("authentification"));
        assertEquals(List.of("authentification"), slots.missing());
    }

    @Test
    @DisplayName("SEC-4: 'slot:name' is met only by the filter of that name; a leaving filter still runs for requests under way but meets nothing")
    void namedAndLeaving() {
        SlotFilters slots = new SlotFilters();
        slots.require(List.of("authentication : auth-session, audit"));
        assertEquals(List.of("authentication:auth-session", "audit"), slots.required());
        slots.add(1, RestConstants.SLOT_AUTHENTICATION, "it-stray", 0, new Named("stray"));
        slots.add(2, RestConstants.SLOT_AUDIT, null, 0, new Named("audit"));
        assertEquals(List.of("authentication:auth-session"), slots.missing(), "a stray filter is no authentication");
        slots.add(3, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, new Named("session"));
        assertEquals(List.of(), slots.missing());
        slots.depart(3);
        assertEquals(List.of("authentication:auth-session"), slots.missing(), "new requests wait for a successor");
        assertEquals(List.of(), slots.snapshot().unmet(slots.required()), "requests under way still run it");
        assertTrue(names(slots.snapshot().requestFilters()).contains("session"));
        slots.remove(3);
        assertEquals(List.of("authentication:auth-session"), slots.snapshot().unmet(slots.required()));
        assertThrows(IllegalArgumentException.class, () -> slots.add(4, RestConstants.SLOT_AUDIT, "no spaces", 0, new Named("x")));
    }
}
