package dev.mamori.auth.internal.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.Multitenant;
import org.eclipse.persistence.annotations.MultitenantType;
import org.eclipse.persistence.annotations.TenantDiscriminatorColumn;

import dev.mamori.tenant.jpa.TenantScoped;

/** Row of {@code mamori_auth_ip_range}: one allowed range of the bound tenant. */
@Entity(name = "AuthIpRange")
@Table(name = "mamori_auth_ip_range")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class IpRangeEntity {
    @Id
    @Column(name = "id", length = 36)
    public String id;
    @Column(name = "cidr", nullable = false, length = 64)
    public String cidr;
    @Column(name = "position", nullable = false)
    public int position;
}
