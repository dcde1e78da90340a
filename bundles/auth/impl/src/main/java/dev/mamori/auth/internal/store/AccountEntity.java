package dev.mamori.auth.internal.store;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Id;
import javax.persistence.MappedSuperclass;
import javax.persistence.Version;

import dev.mamori.platform.db.InstantMillisConverter;

/**
 * The columns every account has, tenant user or platform account: sign-in state and secrets
 * (IAM-7, IAM-9, IAM-11, IAM-14). Only hashes and vault ciphertexts are stored.
 */
@MappedSuperclass
public abstract class AccountEntity {
    @Id
    @Column(name = "id", length = 36)
    public String id;
    @Column(name = "login_name", nullable = false, length = 64)
    public String loginName;
    @Column(name = "roles", nullable = false, length = 200)
    public String roles;
    @Column(name = "state", nullable = false, length = 16)
    public String state;
    @Column(name = "password_hash", length = 80)
    public String passwordHash;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;
    /** Consecutive failed checks since the last complete sign-in or unlock (IAM-9). */
    @Column(name = "failed_count", nullable = false)
    public int failedCount;
    /** Checks of a secret in progress, each holding one reservation (see {@code Attempts}). */
    @Column(name = "pending_count", nullable = false)
    public int pendingCount;
    /** When the newest of them was reserved. */
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "pending_at")
    public Instant pendingAt;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "locked_at")
    public Instant lockedAt;
    @Column(name = "mfa_secret", length = 400)
    public String mfaSecret;
    @Column(name = "mfa_pending", length = 400)
    public String mfaPending;
    @Column(name = "mfa_last_step", nullable = false)
    public long mfaLastStep;
    /** SHA-256 hashes of the unused recovery codes, space-separated. */
    @Column(name = "recovery_codes", length = 1000)
    public String recoveryCodes;
    @Column(name = "reset_hash", length = 64)
    public String resetHash;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "reset_expires_at")
    public Instant resetExpiresAt;
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
