package dev.mamori.retention;

import java.time.LocalDate;
import java.util.List;

/**
 * What the tenant calendar would have done by the end of a day — the dry run: nothing is changed to
 * make it, and the calendar job does exactly what a plan for today lists (held actions excepted).
 *
 * @param at      the day (configured zone)
 * @param actions every action due by then, in date order; held ones name their hold
 */
public record RetentionPlan(LocalDate at, List<PlannedAction> actions) {
    /** Copies the list. */
    public RetentionPlan {
        actions = List.copyOf(actions);
    }
}
