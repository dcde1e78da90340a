package dev.mamori.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a tenant and its contract record (TEN-8).
 */
public final class Tenant {
    private final String id;
    private final String slug;
    private final String displayName;
    private final TenantState state;
    private final String plan;
    private final String region;
    private final LocalDate trialEndsOn;
    private final LocalDate contractStart;
    private final LocalDate contractEnd;
    private final LocalDate terminationDate;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final Instant stateChangedAt;

    /**
     * @param id              opaque, immutable id (UUID)
     * @param slug            unique, human-readable handle
     * @param displayName     the company's name as shown to operators
     * @param state           lifecycle state
     * @param plan            contract plan name
     * @param region          data residency region (TEN-6)
     * @param trialEndsOn     last day of the trial, if any
     * @param contractStart   first day of the paid contract, if any
     * @param contractEnd     last day of the paid contract, if any
     * @param terminationDate the day the contract was terminated (TEN-5), if any
     * @param createdAt       when the tenant was created
     * @param updatedAt       when the record last changed
     * @param stateChangedAt  when the current state was entered
     */
    public Tenant(String id, String slug, String displayName, TenantState state, String plan, String region,
            LocalDate trialEndsOn, LocalDate contractStart, LocalDate contractEnd, LocalDate terminationDate,
            Instant createdAt, Instant updatedAt, Instant stateChangedAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.slug = Objects.requireNonNull(slug, "slug");
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.state = Objects.requireNonNull(state, "state");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.region = Objects.requireNonNull(region, "region");
        this.trialEndsOn = trialEndsOn;
        this.contractStart = contractStart;
        this.contractEnd = contractEnd;
        this.terminationDate = terminationDate;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.stateChangedAt = Objects.requireNonNull(stateChangedAt, "stateChangedAt");
    }

    /** @return the opaque id */
    public String id() { return id; }
    /** @return the unique slug */
    public String slug() { return slug; }
    /** @return the display name */
    public String displayName() { return displayName; }
    /** @return the lifecycle state */
    public TenantState state() { return state; }
    /** @return the plan */
    public String plan() { return plan; }
    /** @return the data residency region */
    public String region() { return region; }
    /** @return the last trial day */
    public Optional<LocalDate> trialEndsOn() { return Optional.ofNullable(trialEndsOn); }
    /** @return the contract start */
    public Optional<LocalDate> contractStart() { return Optional.ofNullable(contractStart); }
    /** @return the contract end */
    public Optional<LocalDate> contractEnd() { return Optional.ofNullable(contractEnd); }
    /** @return the termination date */
    public Optional<LocalDate> terminationDate() { return Optional.ofNullable(terminationDate); }
    /** @return creation time */
    public Instant createdAt() { return createdAt; }
    /** @return last change */
    public Instant updatedAt() { return updatedAt; }
    /** @return when the current state was entered */
    public Instant stateChangedAt() { return stateChangedAt; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tenant && ((Tenant) o).id.equals(id) && ((Tenant) o).updatedAt.equals(updatedAt)
                && ((Tenant) o).state == state;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Tenant[" + slug + " " + id + " " + state + "]";
    }
}
