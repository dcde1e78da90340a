package dev.mamori.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
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
}
