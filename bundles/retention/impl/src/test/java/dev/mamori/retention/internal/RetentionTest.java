package dev.mamori.retention.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.Roles;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.retention.CalendarAction;
import dev.mamori.retention.HoldScope;
import dev.mamori.retention.LegalHold;
import dev.mamori.retention.NewHold;
import dev.mamori.retention.PlannedAction;
import dev.mamori.retention.RetentionErrors;
import dev.mamori.retention.RetentionEvents;
import dev.mamori.retention.RetentionPlan;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantState;

@DisplayName("Retention: the tenant calendar's dry run and run, legal holds, who may do what (TEN-3..5, RET-5), on H2 and PostgreSQL")
class RetentionTest {
    private RetentionFixture f;

    static Stream<String> databases() {
        return Stream.of("h2", "pg");
    }

    private void open(String db) {
        f = db.equals("h2") ? RetentionFixture.h2() : RetentionFixture.postgres();
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    private RetentionPlan plan(LocalDate at) {
        return RetentionFixture.asOperator(() -> f.retention.plan(at));
    }

    private TenantState state(String id) {
        return f.tenants.byId.get(id).state();
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("The dry run lists exactly what the run then does; a hold on the tenant stops its deletion, never its expiry; a second "
            + "run does nothing")
    void dryRunEqualsRun(String db) {
        open(db);
        // today is 2026-12-01 (JST)
        String endedTrial = f.tenants.add("a-ended-trial", TenantState.TRIAL, d("2026-08-01"), null, null, null, null);
        String heldTrial = f.tenants.add("b-held-trial", TenantState.TRIAL, d("2026-08-01"), null, null, null, null);
        String runningTrial = f.tenants.add("c-running-trial", TenantState.TRIAL, d("2026-12-01"), null, null, null, null);
        String endedContract = f.tenants.add("d-ended-contract", TenantState.ACTIVE, null, d("2025-12-01"), d("2026-11-30"), null, null);
        String expiredPaid = f.tenants.add("e-expired-paid", TenantState.EXPIRED, null, d("2025-01-01"), d("2025-12-31"), null, null);
        String terminated = f.tenants.add("f-terminated", TenantState.EXPIRED, null, d("2025-01-01"), null, d("2026-11-30"), null);
        LegalHold hold = RetentionFixture.asOperator(() -> f.holds.place(new NewHold("b-held-trial", HoldScope.TENANT, null,
                "Court order 2026-123")));

        RetentionPlan plan = plan(null);
        assertEquals(d("2026-12-01"), plan.at());
        List<String> planned = plan.actions().stream().map(a -> a.slug() + " " + a.action() + (a.heldBy() == null ? "" : " HELD"))
                .sorted().toList();
        assertEquals(List.of("a-ended-trial DELETE", "a-ended-trial EXPIRE", "b-held-trial DELETE HELD", "b-held-trial EXPIRE",
                "d-ended-contract EXPIRE", "f-terminated DELETE"), planned);
        assertEquals(hold.id(), plan.actions().stream().filter(a -> a.heldBy() != null).findFirst().orElseThrow().heldBy());
        assertEquals(0, f.of(RetentionEvents.CALENDAR_APPLIED).size(), "the dry run changed nothing");
        assertEquals(TenantState.TRIAL, state(endedTrial));

        assertEquals(5, f.runCalendar(), "every step the plan listed but the held one");
        assertEquals(TenantState.DELETED, state(endedTrial));
        assertEquals(TenantState.EXPIRED, state(heldTrial), "expired (locked), not deleted: the hold stops deletion only");
        assertEquals(TenantState.TRIAL, state(runningTrial));
        assertEquals(TenantState.EXPIRED, state(endedContract));
        assertEquals(TenantState.EXPIRED, state(expiredPaid), "an expired paid tenant stays locked");
        assertEquals(TenantState.DELETED, state(terminated));
        assertEquals(5, f.of(RetentionEvents.CALENDAR_APPLIED).size());
        assertTrue(f.of(RetentionEvents.CALENDAR_APPLIED).stream().allMatch(e -> e.tenantId().isPresent()));

        assertEquals(0, f.runCalendar(), "idempotent");
        List<PlannedAction> left = plan(null).actions();
        assertEquals(1, left.size());
        assertEquals(hold.id(), left.get(0).heldBy());

        RetentionFixture.asOperator(() -> f.holds.release(hold.id(), "Case closed"));
        assertEquals(1, f.runCalendar(), "released: the rule applies again");
        assertEquals(TenantState.DELETED, state(heldTrial));
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("TEN-3: a plan for a later day shows what is coming, expiry then deletion; a tenant renewed after the run read it is left alone")
    void laterAndRenewed(String db) {
        open(db);
        String trial = f.tenants.add("trial", TenantState.TRIAL, d("2026-12-10"), null, null, null, null);
        RetentionPlan later = plan(d("2027-03-15"));
        assertEquals(List.of(CalendarAction.EXPIRE, CalendarAction.DELETE), later.actions().stream().map(PlannedAction::action).toList());
        assertEquals(List.of(d("2026-12-11"), d("2027-03-11")), later.actions().stream().map(PlannedAction::due).toList());
        assertTrue(plan(d("2026-12-10")).actions().isEmpty(), "its last day is still a trial day");

        f.clock.advance(Duration.ofDays(10));
        Tenant read = f.tenants.find(trial).orElseThrow();
        // an operator converts it to a paid plan after the run read it
        RetentionFixture.asOperator(() -> f.tenants.activate(trial, "standard", d("2026-12-11"), null));
        assertEquals(0, (long) dev.mamori.platform.context.ExecutionContext.system("job:retention.calendar").call(
                () -> f.job.apply(read, f.retention.today())));
        assertEquals(TenantState.ACTIVE, state(trial));
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("Legal holds: by scope; a tenant's admin holds and releases on their own tenant only, never an operator's hold; audited "
            + "without the employee number")
    void holds(String db) {
        open(db);
        String a = f.tenants.add("a", TenantState.ACTIVE, null, d("2026-01-01"), null, null, null);
        String b = f.tenants.add("b", TenantState.ACTIVE, null, d("2026-01-01"), null, null, null);
        LegalHold legal = RetentionFixture.asOperator(() -> f.holds.place(new NewHold("a", HoldScope.SUBJECT, "E-0042", "Subpoena 77")));
        LegalHold own = RetentionFixture.as(RetentionFixture.admin(a), a, () -> f.holds.place(new NewHold(null, HoldScope.CATEGORY,
                "stress-check", "Labour inspection")));
        assertEquals(a, own.tenantId());
        Boolean[] held = RetentionFixture.asOperator(() -> new Boolean[] {f.holds.held(a, null, "E-0042"), f.holds.held(a, "stress-check",
                null), f.holds.held(a, "health-checkup", "E-0001"), f.holds.held(b, "stress-check", "E-0042"), f.holds.held(a, null, null)});
        assertEquals(List.of(true, true, false, false, false), List.of(held));

        MamoriException notHers = assertThrows(MamoriException.class, () -> RetentionFixture.as(RetentionFixture.admin(a), a,
                () -> f.holds.release(legal.id(), "Not needed")));
        assertEquals(RetentionErrors.FORBIDDEN.code(), notHers.code(), "an operator's hold answers a legal request");
        MamoriException otherTenant = assertThrows(MamoriException.class, () -> RetentionFixture.as(RetentionFixture.admin(b), b,
                () -> f.holds.release(own.id(), "x")));
        assertEquals(RetentionErrors.NO_SUCH_HOLD.code(), otherTenant.code());
        MamoriException named = assertThrows(MamoriException.class, () -> RetentionFixture.as(RetentionFixture.admin(b), b,
                () -> f.holds.place(new NewHold("a", HoldScope.TENANT, null, "x"))));
        assertEquals(RetentionErrors.INVALID_HOLD.code(), named.code(), "another tenant is one that does not exist");
        assertEquals(RetentionErrors.INVALID_HOLD.code(), assertThrows(MamoriException.class, () -> RetentionFixture.as(
                RetentionFixture.admin(b), b, () -> f.holds.list("a", true))).code(), "b cannot name a");
        assertEquals(List.of(), RetentionFixture.as(RetentionFixture.admin(b), b, () -> f.holds.list(null, true)), "b sees only its own");
        Principal employee = Principal.user("emp", a, Set.of(Roles.EMPLOYEE));
        assertEquals(RetentionErrors.FORBIDDEN.code(), assertThrows(MamoriException.class, () -> RetentionFixture.as(employee, a,
                () -> f.holds.list(null, false))).code());

        LegalHold released = RetentionFixture.as(RetentionFixture.admin(a), a, () -> f.holds.release(own.id(), "Inspection closed"));
        assertFalse(released.inForce());
        assertEquals("Inspection closed", released.releaseReason());
        assertEquals("admin-of-" + a, released.releasedBy());
        assertEquals(RetentionErrors.HOLD_RELEASED.code(), assertThrows(MamoriException.class, () -> RetentionFixture.asOperator(
                () -> f.holds.release(own.id(), "again"))).code());
        assertEquals(List.of(legal.id()), RetentionFixture.asOperator(() -> f.holds.list("a", false)).stream().map(LegalHold::id).toList());
        assertEquals(2, RetentionFixture.asOperator(() -> f.holds.list(null, true)).size());

        assertEquals(2, f.of(RetentionEvents.HOLD_PLACED).size());
        assertEquals(1, f.of(RetentionEvents.HOLD_RELEASED).size());
        assertTrue(f.events.stream().noneMatch(e -> e.details().toString().contains("E-0042")), "no employee number in the audit log");
        assertEquals(a, f.of(RetentionEvents.HOLD_RELEASED).get(0).tenantId().orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("Bad holds and plans are 400s; a tenant's admin sees their own tenant's plan only; employees nothing")
    void refused(String db) {
        open(db);
        String a = f.tenants.add("a", TenantState.TRIAL, d("2026-08-01"), null, null, null, null);
        f.tenants.add("b", TenantState.TRIAL, d("2026-08-01"), null, null, null, null);
        for (NewHold bad : List.of(new NewHold("a", null, null, "x"), new NewHold("a", HoldScope.TENANT, "x", "x"),
                new NewHold("a", HoldScope.CATEGORY, "Stress Check", "x"), new NewHold("a", HoldScope.SUBJECT, "../etc", "x"),
                new NewHold("a", HoldScope.TENANT, null, " "), new NewHold("a", HoldScope.TENANT, null, "x".repeat(501)),
                new NewHold("nobody", HoldScope.TENANT, null, "x"), new NewHold(null, HoldScope.TENANT, null, "x"))) {
            assertEquals(RetentionErrors.INVALID_HOLD.code(), assertThrows(MamoriException.class, () -> RetentionFixture.asOperator(
                    () -> f.holds.place(bad))).code(), bad.toString());
        }
        LegalHold h = RetentionFixture.asOperator(() -> f.holds.place(new NewHold("a", HoldScope.TENANT, null, "Case\r\nBcc: x")));
        assertEquals("Case  Bcc: x", h.reason(), "one line");
        assertEquals(RetentionErrors.NO_SUCH_HOLD.code(), assertThrows(MamoriException.class, () -> RetentionFixture.asOperator(
                () -> f.holds.release("not-an-id", "x"))).code());
        for (LocalDate bad : List.of(d("2026-11-30"), d("2036-12-02"))) {
            assertEquals(RetentionErrors.INVALID_PLAN.code(), assertThrows(MamoriException.class, () -> plan(bad)).code(), bad.toString());
        }
        RetentionPlan own = RetentionFixture.as(RetentionFixture.admin(a), a, () -> f.retention.plan(null));
        assertEquals(Set.of("a"), own.actions().stream().map(PlannedAction::slug).collect(Collectors.toSet()));
        assertNull(own.actions().stream().filter(x -> x.action() == CalendarAction.EXPIRE).findFirst().orElseThrow().heldBy());
        Principal employee = Principal.user("emp", a, Set.of(Roles.EMPLOYEE));
        assertEquals(RetentionErrors.FORBIDDEN.code(), assertThrows(MamoriException.class, () -> RetentionFixture.as(employee, a,
                () -> f.retention.plan(null))).code());
    }
}
