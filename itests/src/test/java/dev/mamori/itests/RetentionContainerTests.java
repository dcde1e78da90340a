package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * Retention through the distribution (issue #18): the tenant calendar's dry run from the shell for a
 * day after a new trial's end (its expiry, then its deletion 90 days later), a legal hold that stops
 * the deletion, listed and released.
 */
public abstract class RetentionContainerTests extends NotificationContainerTests {
    private static final Pattern HOLD = Pattern.compile("Legal hold ([0-9a-f-]{36}) placed");

    /** TEN-3, RET-5: the plan for a later day; a hold marks the deletion HELD until it is released; a past day is refused. */
    @Test
    public void ret1_calendarPlanAndLegalHoldFromTheShell() throws Exception {
        Tenant t = newTenant("ret");
        LocalDate lastTrialDay = t.trialEndsOn().orElseThrow();
        String at = lastTrialDay.plusDays(91).toString();
        String plan = operator("mamori:retention-plan --no-format --at " + at);
        assertTrue(plan, Pattern.compile(lastTrialDay.plusDays(1) + "\\s+" + t.slug() + "\\s+EXPIRE").matcher(plan).find());
        assertTrue(plan, Pattern.compile(lastTrialDay.plusDays(91) + "\\s+" + t.slug() + "\\s+DELETE").matcher(plan).find());
        assertTrue(plan, plan.contains("nothing was changed"));

        String placed = operator("mamori:hold-place --tenant " + t.slug() + " --reason \"Court order 2026-7\"");
        Matcher m = HOLD.matcher(placed);
        assertTrue(placed, m.find());
        String hold = m.group(1);
        String held = operator("mamori:retention-plan --no-format --at " + at);
        assertTrue(held, held.contains("HELD " + hold));
        String list = operator("mamori:hold-list --no-format --tenant " + t.slug());
        assertTrue(list, list.contains(hold) && list.contains("Court order 2026-7"));

        assertTrue(operator("mamori:hold-release --reason \"Case closed\" " + hold).contains("released"));
        assertFalse(operator("mamori:retention-plan --no-format --at " + at).contains("HELD " + hold));
        String all = operator("mamori:hold-list --no-format --all --tenant " + t.slug());
        assertTrue(all, all.contains("Case closed"));

        String refused = operatorError("mamori:retention-plan --at 2000-01-01");
        assertTrue(refused, refused.contains("A day from today"));
    }

    /**
     * RET-5, TEN-7 over REST: a tenant's admin reads their own tenant's plan, holds a category of their
     * own tenant and releases it; the other tenant's admin sees none of it and cannot release it; an
     * employee is refused; bad input is a 400 problem.
     */
    @Test
    public void ret2_tenantAdminsHoldTheirOwnDataOverRest() throws Exception {
        Tenant t = newTenant("reth");
        Tenant other = newTenant("retho");
        Account admin = bootstrapAdmin(t);
        Account otherAdmin = bootstrapAdmin(other);
        Account employee = createEmployee(admin, "remp");
        String at = t.trialEndsOn().orElseThrow().plusDays(1).toString();
        HttpResponse<String> plan = https.send(bearer("/api/v1/retention/plan?at=" + at, admin.bearer).GET());
        assertEquals(plan.body(), 200, plan.statusCode());
        assertTrue(plan.body(), plan.body().contains("\"slug\":\"" + t.slug() + "\"") && plan.body().contains("EXPIRE"));
        assertFalse("only its own tenant", plan.body().contains(other.slug()));
        assertProblem(https.send(bearer("/api/v1/retention/plan?at=yesterday", admin.bearer).GET()), 400, "invalid-retention-plan");
        assertProblem(https.send(bearer("/api/v1/retention/plan", employee.bearer).GET()), 403, "retention-forbidden");

        HttpResponse<String> placed = https.send(jsonBody(bearer("/api/v1/legal-holds", admin.bearer)).POST(
                HttpRequest.BodyPublishers.ofString(toJson(Map.of("scope", "CATEGORY", "value", "stress-check", "reason",
                        "Labour inspection 12")))));
        assertEquals(placed.body(), 201, placed.statusCode());
        String hold = str(placed.body(), "id");
        assertTrue(placed.body(), placed.body().contains("\"tenantId\":\"" + t.id() + "\""));
        assertProblem(https.send(jsonBody(bearer("/api/v1/legal-holds", admin.bearer)).POST(HttpRequest.BodyPublishers.ofString(
                toJson(Map.of("scope", "SUBJECT", "value", "../etc/passwd", "reason", "x"))))), 400, "invalid-hold");
        assertEquals("[]", https.send(bearer("/api/v1/legal-holds", otherAdmin.bearer).GET()).body().strip());
        assertProblem(https.send(jsonBody(bearer("/api/v1/legal-holds/" + hold + "/release", otherAdmin.bearer)).POST(
                HttpRequest.BodyPublishers.ofString(json("reason", "mine now")))), 404, "no-such-hold");
        assertProblem(https.send(bearer("/api/v1/legal-holds", employee.bearer).GET()), 403, "retention-forbidden");
        HttpResponse<String> mine = https.send(bearer("/api/v1/legal-holds", admin.bearer).GET());
        assertTrue(mine.body(), mine.body().contains(hold) && mine.body().contains("stress-check"));

        HttpResponse<String> released = https.send(jsonBody(bearer("/api/v1/legal-holds/" + hold + "/release", admin.bearer)).POST(
                HttpRequest.BodyPublishers.ofString(json("reason", "Inspection closed"))));
        assertEquals(released.body(), 200, released.statusCode());
        assertTrue(released.body(), released.body().contains("Inspection closed"));
        assertEquals("[]", https.send(bearer("/api/v1/legal-holds", admin.bearer).GET()).body().strip());
        assertTrue(https.send(bearer("/api/v1/legal-holds?released=true", admin.bearer).GET()).body().contains(hold));
        assertProblem(https.send(bearer("/api/v1/legal-holds?released=yes", admin.bearer).GET()), 400, "invalid-hold");
    }
}
