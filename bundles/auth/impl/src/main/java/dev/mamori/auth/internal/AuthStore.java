package dev.mamori.auth.internal;

import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.Transactions;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.jpa.TenantTransactions;

/**
 * The auth capability's two persistence units: accounts, sessions and allow-lists on
 * {@code mamori}, personal data on {@code mamori-pii} (CRY-4). Starts only once both schemas are
 * migrated.
 */
@Component(service = AuthStore.class)
public class AuthStore {
    private final EntityManagerFactory main;
    private final TenantTransactions tenantMain;
    private final TenantTransactions tenantPii;
    private final TenantContext tenants;

    /**
     * @param main       unit on {@code mamori}
     * @param pii        unit on {@code mamori-pii}
     * @param mainSchema present once the {@code auth} schema is migrated
     * @param piiSchema  present once the {@code auth-pii} schema is migrated
     * @param tenants    the tenant context
     */
    @Activate
    public AuthStore(@Reference(target = "(osgi.unit.name=mamori-auth)") EntityManagerFactory main,
            @Reference(target = "(osgi.unit.name=mamori-auth-pii)") EntityManagerFactory pii,
            @Reference(target = "(" + SchemaReady.NAME + "=auth)") SchemaReady mainSchema,
            @Reference(target = "(" + SchemaReady.NAME + "=auth-pii)") SchemaReady piiSchema,
            @Reference TenantContext tenants) {
        this(main, pii, tenants);
    }

    /** For tests. */
    public AuthStore(EntityManagerFactory main, EntityManagerFactory pii, TenantContext tenants) {
        this.main = main;
        this.tenants = tenants;
        this.tenantMain = new TenantTransactions(main, tenants);
        this.tenantPii = new TenantTransactions(pii, tenants);
    }

    /** @return the tenant context */
    public TenantContext tenants() {
        return tenants;
    }

    /** Runs in one transaction on the bound tenant's rows of {@code mamori}. */
    public <T> T tenant(Function<EntityManager, T> work) {
        return tenantMain.inTenant(work);
    }

    /** Runs in one transaction on the bound tenant's rows of {@code mamori-pii}. */
    public <T> T pii(Function<EntityManager, T> work) {
        return tenantPii.inTenant(work);
    }

    /** Runs in one transaction on the tables of no tenant (sessions). */
    public <T> T global(Function<EntityManager, T> work) {
        return Transactions.inTransaction(main, work);
    }

    /**
     * Like {@link #tenant}, committed at once in a unit of work of its own: failure counters and
     * reservations that every other request and node must see now (IAM-9), never held back or
     * undone by a caller's unit.
     */
    public <T> T tenantNow(Function<EntityManager, T> work) {
        return tenantMain.independent(work);
    }

    /** Like {@link #global}, committed at once in a unit of work of its own (see {@link #tenantNow}). */
    public <T> T globalNow(Function<EntityManager, T> work) {
        return Transactions.independent(main, java.util.Map.of(), work);
    }
}
