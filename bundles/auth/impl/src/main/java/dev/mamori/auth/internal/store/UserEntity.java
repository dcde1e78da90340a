package dev.mamori.auth.internal.store;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.Multitenant;
import org.eclipse.persistence.annotations.MultitenantType;
import org.eclipse.persistence.annotations.TenantDiscriminatorColumn;

import dev.mamori.platform.db.InstantMillisConverter;
import dev.mamori.tenant.jpa.TenantScoped;

import javax.persistence.Version;

/** Row of {@code mamori_auth_user}; every query on it is scoped to the bound tenant. */
@Entity(name = "AuthUser")
@Table(name = "mamori_auth_user")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class UserEntity {
    @Id
    @Column(name = "id", length = 36)
    public String id;
    @Column(name = "login_name", nullable = false, length = 64)
    public String loginName;
    @Column(name = "employee_number", length = 64)
    public String employeeNumber;
    @Column(name = "email_index", length = 64)
    public String emailIndex;
    @Column(name = "roles", nullable = false, length = 200)
    public String roles;
    @Column(name = "permissions", nullable = false, length = 4000)
    public String permissions;
    @Column(name = "state", nullable = false, length = 16)
    public String state;
    @Column(name = "password_hash", length = 80)
    public String passwordHash;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;
    @Column(name = "failed_count", nullable = false)
    public int failedCount;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "locked_at")
    public Instant lockedAt;
    @Column(name = "mfa_secret", length = 400)
    public String mfaSecret;
    @Column(name = "mfa_pending", length = 400)
    public String mfaPending;
    @Column(name = "mfa_last_step", nullable = false)
    public long mfaLastStep;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Version
    @Column(name = "version", nullable = false)
    public long version;
}
