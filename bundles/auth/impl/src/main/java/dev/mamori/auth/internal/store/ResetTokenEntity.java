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

/** Row of {@code mamori_auth_reset_token}: the SHA-256 of one unused password reset token. */
@Entity(name = "AuthResetToken")
@Table(name = "mamori_auth_reset_token")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class ResetTokenEntity {
    @Id
    @Column(name = "token_hash", length = 64)
    public String tokenHash;
    @Column(name = "user_id", nullable = false, length = 36)
    public String userId;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
