package dev.mamori.retention.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.retention.CalendarAction;
import dev.mamori.retention.HoldScope;
import dev.mamori.retention.LegalHold;
import dev.mamori.retention.PlannedAction;
import dev.mamori.retention.RetentionPlan;

/** What the retention resources read and write, as JSON. */
final class Views {
    static final String JSON = "application/json";

    private Views() {
    }

    /** @return a true/false query parameter (absent: false), 400 for anything else */
    static boolean flag(String name, String text, dev.mamori.platform.error.ErrorCode code) {
        if (text == null || text.isBlank() || text.strip().equals("false")) {
            return false;
        }
        if (text.strip().equals("true")) {
            return true;
        }
        throw new MamoriException(code, name + ": true or false.");
    }

    /** The calendar's plan for a day. */
    @Schema(name = "RetentionPlan", description = "What the tenant calendar would have done by the end of a day; nothing was changed")
    public static final class PlanView {
        /** Day. */
        @Schema(description = "The day, in the configured zone")
        public LocalDate at;
        /** Actions. */
        public List<ActionView> actions;

        static PlanView of(RetentionPlan p) {
            PlanView v = new PlanView();
            v.at = p.at();
            v.actions = p.actions().stream().map(ActionView::of).toList();
            return v;
        }
    }

    /** One step. */
    @Schema(name = "PlannedAction", description = "One step of the tenant calendar")
    public static final class ActionView {
        /** Tenant. */
        public String tenantId;
        /** Slug. */
        public String slug;
        /** Action. */
        public CalendarAction action;
        /** Due. */
        @Schema(description = "The day from which it is due")
        public LocalDate due;
        /** Rule. */
        @Schema(description = "The rule and the date it counts from")
        public String rule;
        /** Hold. */
        @Schema(description = "The legal hold that stops it; absent when none does")
        public String heldBy;

        static ActionView of(PlannedAction a) {
            ActionView v = new ActionView();
            v.tenantId = a.tenantId();
            v.slug = a.slug();
            v.action = a.action();
            v.due = a.due();
            v.rule = a.rule();
            v.heldBy = a.heldBy();
            return v;
        }
    }

    /** A hold. */
    @Schema(name = "LegalHold", description = "A legal hold: while in force, nothing it covers is deleted, moved to the trash or purged")
    public static final class HoldView {
        /** Id. */
        public String id;
        /** Tenant. */
        public String tenantId;
        /** Scope. */
        public HoldScope scope;
        /** Value. */
        @Schema(description = "The category's name or the employee number; absent for a hold on the tenant")
        public String value;
        /** Reason. */
        public String reason;
        /** By. */
        @Schema(description = "The account that placed it (opaque id)")
        public String placedBy;
        /** At. */
        public Instant placedAt;
        /** Released by. */
        public String releasedBy;
        /** Released at. */
        public Instant releasedAt;
        /** Release reason. */
        public String releaseReason;

        static HoldView of(LegalHold h) {
            HoldView v = new HoldView();
            v.id = h.id();
            v.tenantId = h.tenantId();
            v.scope = h.scope();
            v.value = h.value();
            v.reason = h.reason();
            v.placedBy = h.placedBy();
            v.placedAt = h.placedAt();
            v.releasedBy = h.releasedBy();
            v.releasedAt = h.releasedAt();
            v.releaseReason = h.releaseReason();
            return v;
        }
    }

    /** A hold to place. */
    @Schema(name = "NewLegalHold", description = "A legal hold to place")
    public static final class HoldRequest {
        /** Tenant. */
        @Schema(description = "Operators: the tenant (id or slug); a tenant's admins: absent (their own)")
        public String tenant;
        /** Scope. */
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        public HoldScope scope;
        /** Value. */
        @Schema(description = "The category's name (CATEGORY) or the employee number (SUBJECT)")
        public String value;
        /** Reason. */
        @Schema(description = "Why: one line, 1-500 characters, no personal data", requiredMode = Schema.RequiredMode.REQUIRED)
        public String reason;
    }

    /** A release. */
    @Schema(name = "LegalHoldRelease", description = "Why a hold is released")
    public static final class ReleaseRequest {
        /** Reason. */
        @Schema(description = "One line, 1-500 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String reason;
    }
}
