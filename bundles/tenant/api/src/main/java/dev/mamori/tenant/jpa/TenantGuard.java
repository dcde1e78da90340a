package dev.mamori.tenant.jpa;

import java.util.Optional;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.queries.DatabaseQuery;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantErrors;
import dev.mamori.tenant.TenantException;

/**
 * EclipseLink session customizer that makes tenant scoping fail closed. On a persistence unit
 * with tenant-scoped entities:
 * <ul>
 * <li>a query on a multitenant entity (JPQL, criteria, find, insert, update, delete) runs only if
 * the EntityManager's {@link TenantScoped#CONTEXT_PROPERTY} is the tenant bound in the calling
 * thread's {@link ExecutionContext} — not merely present: an EntityManager opened for another
 * tenant, or used after the context changed, is refused;</li>
 * <li>native SQL is refused outright: it bypasses the tenant discriminator.</li>
 * </ul>
 */
public final class TenantGuard implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        session.getEventManager().addListener(new SessionEventAdapter() {
            /** Whether the unit has tenant-scoped entities; known once the descriptors are all there. */
            private volatile Boolean tenantScopedUnit;

            @Override
            public void preExecuteQuery(SessionEvent event) {
                Boolean scoped = tenantScopedUnit;
                if (scoped == null) {
                    scoped = event.getSession().getDescriptors().values().stream().anyMatch(ClassDescriptor::hasMultitenantPolicy);
                    tenantScopedUnit = scoped;
                }
                check(event.getSession(), event.getQuery(), scoped);
            }
        });
    }

    static void check(Session session, DatabaseQuery query, boolean tenantScopedUnit) {
        if (query == null) {
            return;
        }
        ClassDescriptor descriptor = query.getDescriptor();
        if (descriptor == null && query.getReferenceClass() != null) {
            descriptor = session.getDescriptor(query.getReferenceClass());
        }
        boolean nativeSql = query.isUserDefinedSQLCall() || descriptor == null
                && (query.isDataReadQuery() || query.isDataModifyQuery() || query.isValueReadQuery() || query.isDirectReadQuery()
                        || query.isResultSetMappingQuery());
        if (tenantScopedUnit && nativeSql) {
            throw new TenantException(TenantErrors.NO_CONTEXT, "Native SQL is refused on a tenant-scoped persistence unit: "
                    + "it would bypass the tenant filter.");
        }
        if (descriptor != null && descriptor.hasMultitenantPolicy()) {
            Object tenant = session.getProperty(TenantScoped.CONTEXT_PROPERTY);
            if (!(tenant instanceof String) || ((String) tenant).isEmpty()) {
                throw new NoTenantContextException("Query on tenant-scoped " + descriptor.getAlias()
                        + " refused: no tenant context is bound.");
            }
            Optional<String> bound = ExecutionContext.current().flatMap(ExecutionContext::tenantId);
            if (bound.isEmpty()) {
                throw new NoTenantContextException("Query on tenant-scoped " + descriptor.getAlias()
                        + " refused: no tenant context is bound.");
            }
            if (!bound.get().equals(tenant)) {
                throw new TenantException(TenantErrors.CONTEXT_CONFLICT, "Query on tenant-scoped " + descriptor.getAlias()
                        + " refused: the EntityManager belongs to another tenant than the one bound.");
            }
        }
    }
}
