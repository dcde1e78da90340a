package dev.mamori.auth.internal.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.Multitenant;
import org.eclipse.persistence.annotations.MultitenantType;
import org.eclipse.persistence.annotations.TenantDiscriminatorColumn;

import dev.mamori.tenant.jpa.TenantScoped;

/** Row of {@code mamori_auth_user}; every query on it is scoped to the bound tenant. */
@Entity(name = "AuthUser")
@Table(name = "mamori_auth_user")
@Multitenant(MultitenantType.SINGLE_TABLE)
@TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN, contextProperty = TenantScoped.CONTEXT_PROPERTY)
public class UserEntity extends AccountEntity {
    @Column(name = "employee_number", length = 64)
    public String employeeNumber;
    @Column(name = "email_index", length = 64)
    public String emailIndex;
    @Column(name = "permissions", nullable = false, length = 4000)
    public String permissions;
}
