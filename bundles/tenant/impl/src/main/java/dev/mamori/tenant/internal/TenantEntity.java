package dev.mamori.tenant.internal;

import java.time.Instant;
import java.time.LocalDate;

import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

import dev.mamori.platform.db.InstantMillisConverter;
import dev.mamori.platform.db.LocalDateConverter;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantState;

/** Row of {@code mamori_tenant}. Platform-level: not itself tenant-scoped. */
@Entity(name = "Tenant")
@Table(name = "mamori_tenant")
public class TenantEntity {
    @Id
    @Column(name = "id", length = 36)
    String id;
    @Column(name = "slug", nullable = false, unique = true)
    String slug;
    @Column(name = "display_name", nullable = false)
    String displayName;
    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    TenantState state;
    @Column(name = "plan", nullable = false)
    String plan;
    @Column(name = "region", nullable = false)
    String region;
    @Convert(converter = LocalDateConverter.class)
    @Column(name = "trial_ends_on")
    LocalDate trialEndsOn;
    @Convert(converter = LocalDateConverter.class)
    @Column(name = "contract_start")
    LocalDate contractStart;
    @Convert(converter = LocalDateConverter.class)
    @Column(name = "contract_end")
    LocalDate contractEnd;
    @Convert(converter = LocalDateConverter.class)
    @Column(name = "termination_date")
    LocalDate terminationDate;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "state_changed_at", nullable = false)
    Instant stateChangedAt;
    @Version
    @Column(name = "version", nullable = false)
    long version;

    Tenant toValue() {
        return new Tenant(id, slug, displayName, state, plan, region, trialEndsOn, contractStart, contractEnd,
                terminationDate, createdAt, updatedAt, stateChangedAt);
    }
}
