package dev.mamori.retention.internal;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import dev.mamori.retention.CalendarAction;
import dev.mamori.tenant.Tenant;

/**
 * The tenant calendar's rules (TEN-3..5), as dates in the configured zone, nothing else: for a
 * tenant as it is now, what is due from which day, in order. A tenant's later steps are listed too
 * (a trial's expiry and then its deletion), so that a plan for a later date shows both.
 *
 * <ul>
 * <li>A trial expires the day after its last day; a paid contract the day after its end date.</li>
 * <li>An expired trial (never paid) is deleted {@code trialDeleteDays} (90) after it expired: after
 * its last day, or after an operator expired it earlier.</li>
 * <li>A terminated contract's tenant is deleted the day after its termination date (TEN-5: its data
 * goes by the end of the following month; the deletion is its start).</li>
 * <li>An expired paid tenant stays locked, never deleted by the calendar (TEN-3).</li>
 * </ul>
 */
final class TenantCalendar {
    private TenantCalendar() {
    }

    /** One step due. */
    record Due(CalendarAction action, LocalDate from, String rule) {
    }

    static List<Due> due(Tenant t, int trialDeleteDays, ZoneId zone) {
        List<Due> out = new ArrayList<>();
        boolean paid = t.contractStart().isPresent();
        switch (t.state()) {
            case TRIAL -> t.trialEndsOn().ifPresent(last -> {
                LocalDate expired = last.plusDays(1);
                out.add(new Due(CalendarAction.EXPIRE, expired, "trial's last day " + last));
                out.add(new Due(CalendarAction.DELETE, expired.plusDays(trialDeleteDays), "trial's last day " + last + "; deleted "
                        + trialDeleteDays + " days after it expired"));
            });
            case ACTIVE -> t.contractEnd().ifPresent(last -> out.add(new Due(CalendarAction.EXPIRE, last.plusDays(1),
                    "contract's last day " + last)));
            case EXPIRED -> {
                if (t.terminationDate().isPresent()) {
                    LocalDate terminated = t.terminationDate().get();
                    out.add(new Due(CalendarAction.DELETE, terminated.plusDays(1), "contract terminated on " + terminated
                            + "; its data goes by " + terminated.plusMonths(1).withDayOfMonth(terminated.plusMonths(1).lengthOfMonth())));
                } else if (!paid) {
                    LocalDate changed = t.stateChangedAt().atZone(zone).toLocalDate();
                    // expired by the calendar (the day after its last day) or earlier by an operator: whichever came first
                    LocalDate expired = t.trialEndsOn().map(last -> last.plusDays(1)).filter(d -> d.isBefore(changed)).orElse(changed);
                    out.add(new Due(CalendarAction.DELETE, expired.plusDays(trialDeleteDays), "trial expired on " + expired + "; deleted "
                            + trialDeleteDays + " days after"));
                }
            }
            default -> {
                // DELETED and PURGED: the purge is not the calendar's step here
            }
        }
        return out;
    }
}
