package dev.mamori.tenant;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What is needed to create a tenant. Use {@link #builder(String, String)}.
 */
public final class NewTenant {
    /** The default region (TEN-6). */
    public static final String DEFAULT_REGION = "jp";
    /** The default plan of a new tenant. */
    public static final String DEFAULT_PLAN = "trial";

    private final String slug;
    private final String displayName;
    private final String plan;
    private final String region;
    private final boolean trial;
    private final LocalDate trialEndsOn;
    private final LocalDate contractStart;
    private final LocalDate contractEnd;

    private NewTenant(Builder b) {
        this.slug = b.slug;
        this.displayName = b.displayName;
        this.plan = b.plan;
        this.region = b.region;
        this.trial = b.trial;
        this.trialEndsOn = b.trialEndsOn;
        this.contractStart = b.contractStart;
        this.contractEnd = b.contractEnd;
    }

    /**
     * @param slug        unique handle: 3–63 characters, lower-case letters, digits and '-'
     * @param displayName company name, 1–200 characters
     * @return a builder for a trial tenant in region {@value #DEFAULT_REGION}
     */
    public static Builder builder(String slug, String displayName) {
        return new Builder(slug, displayName);
    }

    /** @return the slug */
    public String slug() { return slug; }
    /** @return the display name */
    public String displayName() { return displayName; }
    /** @return the plan */
    public String plan() { return plan; }
    /** @return the region */
    public String region() { return region; }
    /** @return whether the tenant starts in TRIAL (otherwise ACTIVE) */
    public boolean trial() { return trial; }
    /** @return the last trial day, or null for the service's default trial length */
    public LocalDate trialEndsOn() { return trialEndsOn; }
    /** @return the contract start, or null */
    public LocalDate contractStart() { return contractStart; }
    /** @return the contract end, or null */
    public LocalDate contractEnd() { return contractEnd; }

    /** Builder for {@link NewTenant}. */
    public static final class Builder {
        private final String slug;
        private final String displayName;
        private String plan = DEFAULT_PLAN;
        private String region = DEFAULT_REGION;
        private boolean trial = true;
        private LocalDate trialEndsOn;
        private LocalDate contractStart;
        private LocalDate contractEnd;

        private Builder(String slug, String displayName) {
            this.slug = Objects.requireNonNull(slug, "slug");
            this.displayName = Objects.requireNonNull(displayName, "displayName");
        }

        /** @param plan plan name @return this */
        public Builder plan(String plan) { this.plan = Objects.requireNonNull(plan, "plan"); return this; }
        /** @param region region code @return this */
        public Builder region(String region) { this.region = Objects.requireNonNull(region, "region"); return this; }
        /** @param trialEndsOn last trial day @return this */
        public Builder trialEndsOn(LocalDate trialEndsOn) { this.trialEndsOn = trialEndsOn; return this; }
        /**
         * Starts the tenant ACTIVE on a paid contract instead of TRIAL.
         * @param start first contract day
         * @param end   last contract day, or null for open-ended
         * @return this
         */
        public Builder paid(LocalDate start, LocalDate end) {
            this.trial = false;
            this.contractStart = Objects.requireNonNull(start, "start");
            this.contractEnd = end;
            return this;
        }
        /** @return the value */
        public NewTenant build() { return new NewTenant(this); }
    }
}
