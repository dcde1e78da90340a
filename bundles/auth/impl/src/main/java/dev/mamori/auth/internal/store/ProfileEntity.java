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

/** Row of {@code mamori_auth_profile} on the PII store: the encrypted personal data of one account. */
@Entity(name = "AuthProfile")
@Table(name = "mamori_auth_profile")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class ProfileEntity {
    @Id
    @Column(name = "user_id", length = 36)
    public String userId;
    @Column(name = "data", nullable = false, length = 8000)
    public String data;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
