package dev.mamori.auth.internal.store;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import dev.mamori.platform.db.InstantMillisConverter;

/**
 * Row of {@code mamori_auth_session}. Not tenant-scoped: a request is matched to its session (and
 * so to its tenant, or to none for a platform account) by the token's hash before any tenant is known.
 */
@Entity(name = "AuthSession")
@Table(name = "mamori_auth_session")
public class SessionEntity {
    @Id
    @Column(name = "token_hash", length = 64)
    public String tokenHash;
    @Column(name = "session_id", nullable = false, length = 16)
    public String sessionId;
    @Column(name = "kind", nullable = false, length = 16)
    public String kind;
    @Column(name = "tenant_id", length = 36)
    public String tenantId;
    @Column(name = "user_id", nullable = false, length = 36)
    public String userId;
    @Column(name = "roles", nullable = false, length = 200)
    public String roles;
    @Column(name = "state", nullable = false, length = 32)
    public String state;
    @Column(name = "client_ip", length = 64)
    public String clientIp;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;
}
