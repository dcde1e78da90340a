package dev.mamori.tenant.jpa;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.queries.DatabaseQuery;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

import dev.mamori.tenant.NoTenantContextException;

/**
 * EclipseLink session customizer that makes tenant scoping fail closed: any query on a
 * multitenant entity (JPQL, criteria, find, insert, update, delete) executed by a session that
 * carries no {@link TenantScoped#CONTEXT_PROPERTY} is refused with
 * {@link NoTenantContextException}, instead of silently running unscoped or with a null tenant.
 */
public final class TenantGuard implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        session.getEventManager().addListener(new SessionEventAdapter() {
            @Override
            public void preExecuteQuery(SessionEvent event) {
                check(event.getSession(), event.getQuery());
            }
        });
    }

    static void check(Session session, DatabaseQuery query) {
        if (query == null) {
            return;
        }
        ClassDescriptor descriptor = query.getDescriptor();
        if (descriptor == null && query.getReferenceClass() != null) {
            descriptor = session.getDescriptor(query.getReferenceClass());
        }
        if (descriptor != null && descriptor.hasMultitenantPolicy()) {
            Object tenant = session.getProperty(TenantScoped.CONTEXT_PROPERTY);
            if (!(tenant instanceof String) || ((String) tenant).isEmpty()) {
                throw new NoTenantContextException("Query on tenant-scoped " + descriptor.getAlias()
                        + " refused: no tenant context is bound.");
            }
        }
    }
}
