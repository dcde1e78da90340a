package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.MediaType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.RestConstants;

/**
 * EXT-1: a bundle swapped under load fails no request. The parts come and go through
 * {@link Contents}, as RestServer's whiteboard hands them over; generations are rebuilt when the
 * test says, so every in-between state can be looked at.
 */
class SwapTest {
    private static final String SESSION = "authentication:auth-session";
    private static final long BUNDLE = 7;
    private ApiHarness api;

    /** The resource that comes and goes. */
    @Path("probe")
    public static class Probe {
        final AtomicInteger calls = new AtomicInteger();

        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            calls.incrementAndGet();
            return Map.of("ok", "yes");
        }
    }

    /** A resource that stays, so that a generation exists while the probe is away. */
    @Path("other")
    public static class Other {
        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            return Map.of("other", "yes");
        }
    }

    /** A resource whose service is unavailable while {@link #sealed}, as the vault is until it has unsealed after a restart. */
    @Path("sealed")
    public static class Sealed {
        volatile boolean sealed = true;
        final AtomicInteger calls = new AtomicInteger();

        /** @return a fixed body, once unsealed */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            calls.incrementAndGet();
            if (sealed) {
                throw new MamoriException(ErrorCode.of("it-sealed", ErrorKind.UNAVAILABLE, "Sealed"), "Still unsealing.");
            }
            return Map.of("open", "yes");
        }

        /** @return never, while sealed */
        @javax.ws.rs.POST
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> post() {
            return get();
        }
    }

    /** An authentication filter that counts the requests it saw; may hold one until released. */
    static final class Authentication implements ContainerRequestFilter {
        final AtomicInteger seen = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release;
        volatile BooleanSupplier onRelease = () -> true;
        final AtomicBoolean sawItself = new AtomicBoolean();
        /** When each request it saw arrived ({@link RestConstants#ARRIVED}). */
        final List<Object> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void filter(ContainerRequestContext request) {
            seen.incrementAndGet();
            arrivals.add(request.getProperty(RestConstants.ARRIVED));
            CountDownLatch r = release;
            if (r != null) {
                entered.countDown();
                try {
                    assertTrue(r.await(20, TimeUnit.SECONDS), "never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sawItself.set(onRelease.getAsBoolean());
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
        api.slots.require(List.of(SESSION));
        api.hold(Duration.ofSeconds(20), 100);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private CompletableFuture<Resp> getAsync(String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.get(path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Polls until the condition holds or 10 s pass. */
    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private Probe serve() throws Exception {
        return serve(new Authentication());
    }

    private Probe serve(Authentication authentication) throws Exception {
        Probe probe = new Probe();
        api.contents.filterAdded(1, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, authentication);
        api.contents.resourceAdded(10, BUNDLE, probe, () -> false);
        api.contents.resourceAdded(11, BUNDLE, new Other(), () -> false);
        api.rebuild();
        assertEquals(200, api.get("/api/v1/probe").status);
        return probe;
    }

    @Test
    @DisplayName("EXT-1, SEC-4: a stray filter in the authentication slot does not meet 'authentication:auth-session'; the named one does")
    void requiredFilterByName() throws Exception {
        api.hold(Duration.ZERO, 100);
        api.contents.resourceAdded(10, BUNDLE, new Probe(), () -> false);
        api.rebuild();
        api.contents.filterAdded(5, RestConstants.SLOT_AUTHENTICATION, "it-stray", 0, new Authentication());
        Resp closed = api.get("/api/v1/probe");
        assertEquals(503, closed.status, closed.body);
        assertTrue(closed.body.contains("required-slot-empty") && closed.body.contains(SESSION), closed.body);
        api.contents.filterAdded(6, RestConstants.SLOT_AUTHENTICATION, null, 0, new Authentication());
        assertEquals(503, api.get("/api/v1/probe").status, "a filter without a name does not count either");
        api.contents.filterAdded(1, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, new Authentication());
        assertEquals(200, api.get("/api/v1/probe").status);
        api.contents.filterRemoved(1);
        assertEquals(503, api.get("/api/v1/probe").status);
    }

    @Test
    @DisplayName("EXT-1, SEC-4: a request that arrives while the required filter is being replaced waits for its successor and is "
            + "served by it, not 503; one missing for longer than the hold time is answered 503 at once; beyond hold.max.requests nobody waits")
    void waitsForTheFilter() throws Exception {
        Probe probe = serve();
        api.contents.filterRemoved(1);
        CompletableFuture<Resp> waiting = getAsync("/api/v1/probe");
        until("the request waits", () -> api.holds.held() == 1);
        Authentication successor = new Authentication();
        api.contents.filterAdded(2, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, successor);
        Resp r = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.status, r.body);
        assertEquals(1, successor.seen.get(), "run through the successor");
        assertEquals(2, probe.calls.get());

        api.contents.filterRemoved(2);
        api.clock.advance(Duration.ofSeconds(21));
        // missing for longer than the 20 s hold: gone, no wait
        Resp gone = getAsync("/api/v1/probe").get(5, TimeUnit.SECONDS);
        assertEquals(503, gone.status);
        assertTrue(gone.body.contains("required-slot-empty"), gone.body);
        api.contents.filterAdded(3, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, new Authentication());
        api.hold(Duration.ofSeconds(20), 0);
        api.contents.filterRemoved(3);
        assertEquals(503, getAsync("/api/v1/probe").get(5, TimeUnit.SECONDS).status, "nobody may wait");
        assertEquals(2, probe.calls.get());
    }

    @Test
    @DisplayName("EXT-1, SEC-12: a request that waited for the filter's successor reaches it with when it arrived, stamped "
            + "before the wait, not when the wait ended: what the flood limit counts by")
    void arrivalStampedBeforeTheWait() throws Exception {
        Authentication first = new Authentication();
        serve(first);
        Object served = first.arrivals.get(0);
        assertTrue(served instanceof java.time.Instant, "every request carries its arrival: " + served);
        api.contents.filterRemoved(1);
        java.time.Instant before = api.clock.instant();
        CompletableFuture<Resp> waiting = getAsync("/api/v1/probe");
        until("the request waits", () -> api.holds.held() == 1);
        java.time.Instant after = api.clock.instant();
        // the successor comes 5 s later (within the 20 s hold)
        api.clock.advance(Duration.ofSeconds(5));
        Authentication successor = new Authentication();
        api.contents.filterAdded(2, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, successor);
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).status);
        java.time.Instant arrived = (java.time.Instant) successor.arrivals.get(0);
        assertTrue(!arrived.isBefore(before) && !arrived.isAfter(after), before + " <= " + arrived + " <= " + after);
    }

    @Test
    @DisplayName("EXT-1: a filter that leaves waits for the requests under way, which finish with it")
    void leavingFilterDrainsRequestsUnderWay() throws Exception {
        Authentication leaving = new Authentication();
        api.contents.filterAdded(1, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, leaving);
        api.contents.resourceAdded(10, BUNDLE, new Probe(), () -> false);
        api.rebuild();
        leaving.release = new CountDownLatch(1);
        CompletableFuture<Resp> underWay = getAsync("/api/v1/probe");
        assertTrue(leaving.entered.await(10, TimeUnit.SECONDS));
        Thread[] remover = new Thread[1];
        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> {
            remover[0] = Thread.currentThread();
            api.contents.filterRemoved(1);
        });
        // the removal either waits for the request (as it must) or is already over (the failure this test catches)
        until("the removal waits or ends", () -> removal.isDone()
                || remover[0] != null && remover[0].getState() == Thread.State.TIMED_WAITING);
        leaving.onRelease = () -> !removal.isDone();
        leaving.release.countDown();
        assertEquals(200, underWay.get(20, TimeUnit.SECONDS).status);
        assertTrue(leaving.sawItself.get(), "the filter left before the request under way was done with it");
        removal.get(20, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("EXT-1: a resource that leaves and comes back: a request for its path meanwhile waits and is served by the successor, never 404")
    void waitsForTheResource() throws Exception {
        serve();
        api.contents.resourceRemoved(10);
        api.rebuild();
        CompletableFuture<Resp> waiting = getAsync("/api/v1/probe");
        until("the request waits", () -> api.holds.held() == 1);
        assertEquals(200, api.get("/api/v1/other").status, "other paths do not wait");
        Probe successor = new Probe();
        api.contents.resourceAdded(12, BUNDLE, successor, () -> false);
        assertFalse(waiting.isDone(), "registered is not yet served: it waits for the generation");
        api.rebuild();
        Resp r = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.status, r.body);
        assertEquals(1, successor.calls.get());
    }

    @Test
    @DisplayName("EXT-1: a resource that arrives is waited for until a generation serves it, not 404")
    void waitsForTheBuild() throws Exception {
        serve();
        @Path("later")
        class Later extends Other {
        }
        api.contents.resourceAdded(20, BUNDLE, new Later(), () -> false);
        CompletableFuture<Resp> waiting = getAsync("/api/v1/later");
        until("the request waits", () -> api.holds.held() == 1);
        api.rebuild();
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).status);
    }

    @Test
    @DisplayName("EXT-1: past the hold time a request is answered 503 resource-unavailable with Retry-After; gone longer than "
            + "that, or its bundle uninstalled, 404 at once")
    void pastTheHold() throws Exception {
        serve();
        api.hold(Duration.ofMillis(300), 100);
        api.contents.resourceRemoved(10);
        api.rebuild();
        Resp waited = api.get("/api/v1/probe");
        assertEquals(503, waited.status, waited.body);
        assertTrue(waited.body.contains("urn:mamori:problem:resource-unavailable"), waited.body);
        assertEquals("5", waited.get("Retry-After"));
        assertEquals(404, api.get("/api/v1/probe").status, "gone for longer than the hold time");

        AtomicBoolean uninstalled = new AtomicBoolean();
        api.hold(Duration.ofSeconds(20), 100);
        api.contents.resourceAdded(12, BUNDLE, new Probe(), uninstalled::get);
        api.rebuild();
        api.contents.resourceRemoved(12);
        uninstalled.set(true);
        api.rebuild();
        assertEquals(404, getAsync("/api/v1/probe").get(5, TimeUnit.SECONDS).status, "a wait would take the 20 s hold");
    }


    @Test
    @DisplayName("EXT-1: where the container has no asynchronous servlets a request waits on its thread, with the same outcome")
    void waitsOnItsThreadWithoutAsync() throws Exception {
        api.close();
        api = new ApiHarness(Duration.ofSeconds(30), false);
        api.slots.require(List.of(SESSION));
        api.hold(Duration.ofSeconds(20), 100);
        serve();
        api.contents.resourceRemoved(10);
        api.contents.filterRemoved(1);
        api.rebuild();
        CompletableFuture<Resp> waiting = getAsync("/api/v1/probe");
        until("the request waits", () -> api.holds.held() == 1);
        api.contents.filterAdded(2, RestConstants.SLOT_AUTHENTICATION, "auth-session", 0, new Authentication());
        Probe successor = new Probe();
        api.contents.resourceAdded(12, BUNDLE, successor, () -> false);
        api.rebuild();
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).status);
        assertEquals(1, successor.calls.get());
    }

    @Test
    @DisplayName("EXT-1: a GET that meets a service unavailable for a moment during a swap (the vault unsealing after a restart) is tried again and served; a POST, or a GET long after any swap, gets the 503")
    void safeRequestsRetryTransientUnavailability() throws Exception {
        Authentication authentication = new Authentication();
        serve(authentication);
        Sealed sealed = new Sealed();
        api.contents.resourceAdded(30, BUNDLE, sealed, () -> false);
        api.rebuild();
        CompletableFuture<Resp> waiting = getAsync("/api/v1/sealed");
        until("the request tried and paused", () -> sealed.calls.get() >= 1 && api.holds.held() == 1);
        sealed.sealed = false;
        Resp r = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.status, r.body);
        assertTrue(sealed.calls.get() >= 2, "tried again");
        List<Object> tries = authentication.arrivals.subList(1, authentication.arrivals.size());
        assertEquals(sealed.calls.get(), tries.size());
        assertEquals(1, new java.util.HashSet<>(tries).size(), "every try carries when the request arrived: " + tries);

        sealed.sealed = true;
        Resp post = api.request("POST", "/api/v1/sealed");
        assertEquals(503, post.status, "a POST is never repeated");
        assertTrue(post.body.contains("it-sealed"), post.body);
        api.clock.advance(Duration.ofSeconds(21));
        int before = sealed.calls.get();
        Resp late = getAsync("/api/v1/sealed").get(5, TimeUnit.SECONDS);
        assertEquals(503, late.status, "no swap within the hold time: a sealed vault is answered at once");
        assertEquals(before + 1, sealed.calls.get());
    }
}
