package dev.mamori.auth.rest.internal;

import static dev.mamori.auth.rest.internal.Fakes.endpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.rest.internal.Fakes.Request;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.RequiresPermission;

@DisplayName("PermissionFilter: @RequiresPermission checked with the Authorizer before the resource runs (IAM-2, SEC-11)")
class PermissionFilterTest {
    private final Fakes.Grants grants = new Fakes.Grants();
    private final PermissionFilter filter = new PermissionFilter(grants);

    private void runAs(String userId, Method endpoint) {
        ExecutionContext c = ExecutionContext.builder(Channel.REST).clientIp(Fakes.CLIENT_IP)
                .principal(userId == null ? null : Principal.user(userId, "t1", Set.of())).build();
        c.run(() -> filter.filter(Request.to(endpoint).context()));
    }

    private static List<Method> guarded() {
        List<Method> guarded = new ArrayList<>();
        for (Method m : Fakes.endpoints()) {
            if (m.isAnnotationPresent(RequiresPermission.class)) {
                guarded.add(m);
            }
        }
        assertTrue(guarded.size() >= 12, "only " + guarded.size() + " endpoints need a permission");
        return guarded;
    }

    @Test
    @DisplayName("IAM-2, SEC-11: without the endpoint's permission 403 permission-missing, although every other one is held")
    void missingPermission() {
        Set<String> all = new HashSet<>();
        guarded().forEach(m -> all.add(m.getAnnotation(RequiresPermission.class).value()));
        for (Method m : guarded()) {
            String needed = m.getAnnotation(RequiresPermission.class).value();
            Set<String> others = new HashSet<>(all);
            others.remove(needed);
            grants.grants.put("eve", others);
            MamoriException e = assertThrows(MamoriException.class, () -> runAs("eve", m), Fakes.name(m));
            assertEquals("permission-missing", e.code(), Fakes.name(m));
        }
    }

    @Test
    @DisplayName("IAM-2: with the endpoint's permission the request passes, having asked for exactly that permission")
    void presentPermission() {
        for (Method m : guarded()) {
            String needed = m.getAnnotation(RequiresPermission.class).value();
            grants.grants.put("admin", Set.of(needed));
            grants.checked.clear();
            runAs("admin", m);
            assertEquals(List.of(needed), grants.checked, Fakes.name(m));
        }
    }

    @Test
    @DisplayName("SEC-11: a guarded endpoint without a principal is 401 unauthenticated")
    void noPrincipal() {
        MamoriException e = assertThrows(MamoriException.class, () -> runAs(null, endpoint(UserResource.class, "create")));
        assertEquals("unauthenticated", e.code());
        assertEquals(List.of("users:write"), grants.checked);
    }

    @Test
    @DisplayName("IAM-2: an endpoint without @RequiresPermission asks the Authorizer nothing (its service checks)")
    void unannotated() {
        runAs(null, endpoint(MeResource.class, "me"));
        runAs(null, endpoint(AuthResource.class, "signIn"));
        assertTrue(grants.checked.isEmpty());
    }

    /** A capability's resource from another bundle, declaring its permissions with the exported annotation only. */
    @RequiresPermission("records:read")
    public static class Records {
        /** Reads: the class's permission. */
        public void list() {
        }

        /** Writes: its own. */
        @RequiresPermission("records:write")
        public void create() {
        }
    }

    @Test
    @DisplayName("IAM-2, SEC-11, EXT-1: another capability's resource declares its permission with the exported annotation, on the class or the method, and the permission slot enforces it")
    void anyCapabilitysResource() throws NoSuchMethodException {
        Method list = Records.class.getMethod("list");
        Method create = Records.class.getMethod("create");
        grants.grants.put("clerk", Set.of("records:read"));
        ExecutionContext c = ExecutionContext.builder(Channel.REST).principal(Principal.user("clerk", "t1", Set.of())).build();
        c.run(() -> filter.filter(new Request("GET", list).context()));
        assertEquals(List.of("records:read"), grants.checked);
        MamoriException e = assertThrows(MamoriException.class, () -> c.run(() -> filter.filter(new Request("POST", create).context())));
        assertEquals("permission-missing", e.code());
        assertEquals(List.of("records:read", "records:write"), grants.checked);
        assertEquals("unauthenticated", assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST).build()
                .run(() -> filter.filter(new Request("GET", list).context()))).code());
    }

    /** A resource whose service checks each record's scope: the slot checks the action in any scope. */
    public static class ScopedRecords {
        /** Lists records of many scopes. */
        @RequiresPermission(value = "records:read", anyScope = true)
        public void search() {
        }
    }

    @Test
    @DisplayName("IAM-2: anyScope - a grant of the action in one scope passes the slot (the service checks each record's scope), none is 403")
    void anyScopeEndpoint() throws NoSuchMethodException {
        Method search = ScopedRecords.class.getMethod("search");
        grants.grants.put("nurse", Set.of("records:read:health-checkup/dept/sales"));
        ExecutionContext c = ExecutionContext.builder(Channel.REST).principal(Principal.user("nurse", "t1", Set.of())).build();
        c.run(() -> filter.filter(new Request("GET", search).context()));
        assertEquals(List.of("any:records:read"), grants.checked);
        grants.grants.put("nurse", Set.of("records:write:health-checkup"));
        assertEquals("permission-missing", assertThrows(MamoriException.class,
                () -> c.run(() -> filter.filter(new Request("GET", search).context()))).code());
    }
}
