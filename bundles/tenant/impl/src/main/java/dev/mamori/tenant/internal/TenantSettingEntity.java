package dev.mamori.tenant.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import dev.mamori.platform.db.InstantMillisConverter;

import org.eclipse.persistence.annotations.Multitenant;
import org.eclipse.persistence.annotations.MultitenantType;
import org.eclipse.persistence.annotations.TenantDiscriminatorColumn;

import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.jpa.TenantScoped;

/** Row of {@code mamori_tenant_setting}; every query on it is scoped to the bound tenant. */
@Entity(name = "TenantSetting")
@Table(name = "mamori_tenant_setting")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class TenantSettingEntity {
    @Id
    @Column(name = "id", length = 36)
    String id;
    @Column(name = "setting_key", nullable = false)
    String key;
    @Column(name = "setting_value", nullable = false, length = 4000)
    String value;
    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    TenantSetting toValue() {
        return new TenantSetting(id, key, value, updatedAt);
    }
}
