package dev.mamori.tenant.jpa;

/**
 * Names shared by every tenant-scoped entity. Annotate an entity with
 * <pre>
 * &#64;Multitenant(MultitenantType.SINGLE_TABLE)
 * &#64;TenantDiscriminatorColumn(name = TenantScoped.DISCRIMINATOR_COLUMN,
 *                           contextProperty = TenantScoped.CONTEXT_PROPERTY)
 * </pre>
 * register {@link TenantGuard} as the unit's {@code eclipselink.session.customizer}, and reach
 * the entities only through {@link TenantTransactions}.
 */
public final class TenantScoped {
    /** EclipseLink context property carrying the tenant id of an EntityManager. */
    public static final String CONTEXT_PROPERTY = "mamori.tenant";
    /** Column holding the owning tenant's id in every tenant-scoped table. */
    public static final String DISCRIMINATOR_COLUMN = "tenant_id";

    private TenantScoped() {
    }
}
