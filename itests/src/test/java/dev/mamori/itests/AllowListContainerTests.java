package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

import dev.mamori.auth.AuthEvents;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;
import dev.mamori.tenant.Tenant;

/**
 * IP allow-lists over HTTPS (issue #8): IPv4 and IPv6 ranges enforced at sign-in and on every request,
 * behind trusted and untrusted proxies.
 */
public abstract class AllowListContainerTests extends MfaContainerTests {
    /**
     * IAM-12: a tenant's IPv4 and IPv6 allow-list, enforced at sign-in and on every request of its
     * accounts. A list without the caller's own address is refused (no self-lock-out), so the clients
     * come through a trusted proxy (127.0.0.1 and ::1 configured in dev.mamori.auth trusted.proxies)
     * with X-Forwarded-For, read from the right. Without that configuration - or with another proxy
     * trusted - the header is ignored and the connection's address counts.
     */
    @Test
    public void iam12_ipAllowList_ipv4AndIpv6_behindTrustedProxy_andUntrustedProxyIgnored() throws Exception {
        Tenant t = newTenant("ipal");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        String wanted = "{\"ranges\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}";
        // not behind a trusted proxy: the caller is 127.0.0.1, outside the list - refused, no lock-out
        HttpResponse<String> self = https.send(bearer("/api/v1/ip-allowlist", admin.bearer).header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.5").PUT(HttpRequest.BodyPublishers.ofString(wanted)));
        assertProblem(self, 400, "invalid-ip-range");
        assertTrue(self.body(), self.body().contains("127.0.0.1") && self.body().contains("lock you out"));

        List<MamoriEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<MamoriEventListener> listener = bundleContext.registerService(MamoriEventListener.class, events::add, null);
        Dictionary<String, Object> before = config(AUTH_PID);
        try {
            update(AUTH_PID, before, "trusted.proxies", new String[] {"127.0.0.1", "::1"});
            HttpResponse<String> saved = Wait.until("the list saved from 203.0.113.5 behind the trusted proxy", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = https.send(bearer("/api/v1/ip-allowlist", admin.bearer).header("Content-Type", "application/json")
                        .header("X-Forwarded-For", "203.0.113.5").PUT(HttpRequest.BodyPublishers.ofString(wanted)));
                return r.statusCode() == 200 ? r : null;
            });
            assertTrue(saved.body(), saved.body().contains("203.0.113.0/24") && saved.body().contains("2001:db8::/32"));

            // every request of the tenant's accounts
            for (String allowed : List.of("203.0.113.77", "2001:db8::42", "2001:db8:ffff::1", "198.51.100.7, 203.0.113.9")) {
                assertEquals(allowed, 200, me(admin.bearer, allowed).statusCode());
                assertEquals(allowed, 200, me(e.bearer, allowed).statusCode());
            }
            for (String refused : List.of("198.51.100.7", "2001:db9::1", "::ffff:198.51.100.7", "203.0.113.9, 198.51.100.7")) {
                assertProblem(me(admin.bearer, refused), 403, "ip-not-allowed");
                assertProblem(me(e.bearer, refused), 403, "ip-not-allowed");
            }
            // the proxy's own address is outside the list
            assertProblem(me(e.bearer, null), 403, "ip-not-allowed");
            // listeners that are not required hear of events after commit, on another thread
            Wait.until("ip refusal event", Duration.ofSeconds(10), () -> events.stream().anyMatch(ev -> ev.is(AuthEvents.IP_REFUSED)
                    && "198.51.100.7".equals(ev.clientIp().orElse(null)) && e.id.equals(ev.targetId().orElse(null))));
            assertTrue(events.toString(), events.stream().anyMatch(ev -> ev.is(AuthEvents.IP_REFUSED)
                    && "198.51.100.7".equals(ev.clientIp().orElse(null)) && e.id.equals(ev.targetId().orElse(null))));

            // and at sign-in, with the answer of every other failure
            withAuthConfig("throttle.failures", 1000, () -> {
                for (String allowed : List.of("203.0.113.20", "2001:db8::20")) {
                    HttpResponse<String> r = login(t.slug(), e.login, e.password, null, "bearer", "X-Forwarded-For", allowed);
                    assertEquals(allowed + " " + r.body(), 200, r.statusCode());
                }
                for (String refused : List.of("198.51.100.20", "2001:db9::20")) {
                    assertProblem(login(t.slug(), e.login, e.password, null, "bearer", "X-Forwarded-For", refused), 401,
                            "invalid-credentials");
                }
            });
            Wait.until("sign-in refusal event", Duration.ofSeconds(10), () -> events.stream().anyMatch(ev -> ev.is(AuthEvents.SIGN_IN_FAILED)
                    && "2001:db9::20".equals(ev.clientIp().orElse(null))));
            assertTrue(events.toString(), events.stream().anyMatch(ev -> ev.is(AuthEvents.SIGN_IN_FAILED)
                    && "2001:db9::20".equals(ev.clientIp().orElse(null)) && "ip-refused".equals(ev.details().get("reason"))));
            assertTrue(events.toString(), events.stream().anyMatch(ev -> ev.is(AuthEvents.SIGN_IN_SUCCEEDED)
                    && "2001:db8::20".equals(ev.clientIp().orElse(null)) && e.id.equals(ev.targetId().orElse(null))));

            // another proxy trusted, not this one: X-Forwarded-For is the client's word and ignored
            update(AUTH_PID, before, "trusted.proxies", new String[] {"192.0.2.1"});
            Wait.until("X-Forwarded-For ignored from an untrusted proxy", Duration.ofSeconds(30),
                    () -> me(e.bearer, "203.0.113.77").statusCode() == 403);
            assertProblem(me(admin.bearer, "2001:db8::42"), 403, "ip-not-allowed");
            withAuthConfig("throttle.failures", 1000, () -> assertProblem(login(t.slug(), e.login, e.password, null, "bearer",
                    "X-Forwarded-For", "203.0.113.20"), 401, "invalid-credentials"));
        } finally {
            listener.unregister();
            update(AUTH_PID, before, "trusted.proxies", null);
        }
        // no proxy configured at all: the header is ignored as well
        Wait.until("X-Forwarded-For ignored without trusted proxies", Duration.ofSeconds(30),
                () -> me(e.bearer, "203.0.113.77").statusCode() == 403);
        assertProblem(me(admin.bearer, "2001:db8::42"), 403, "ip-not-allowed");
    }
}
