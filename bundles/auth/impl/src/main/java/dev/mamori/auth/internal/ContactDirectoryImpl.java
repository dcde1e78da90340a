package dev.mamori.auth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.Contact;
import dev.mamori.auth.ContactDirectory;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.UserState;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Contacts for the platform's own deliveries: the platform principal under the delivery purpose only,
 * active accounts only, one read event per call.
 */
@Component(service = ContactDirectory.class)
public class ContactDirectoryImpl implements ContactDirectory {
    private final AuthStore store;
    private final Profiles profiles;
    private final EventPublisher events;

    /**
     * @param store    accounts
     * @param profiles the personal-data store
     * @param events   the read events
     */
    @Activate
    public ContactDirectoryImpl(@Reference AuthStore store, @Reference Profiles profiles, @Reference EventPublisher events) {
        this.store = store;
        this.profiles = profiles;
        this.events = events;
    }

    @Override
    public List<Contact> withRole(String role) {
        String tenantId = requireDelivery();
        if (role == null || !Roles.TENANT_ROLES.contains(role)) {
            throw new MamoriException(PlatformErrors.INVALID, "Contacts are asked for by tenant role: " + Roles.TENANT_ROLES + ".");
        }
        List<UserEntity> accounts = store.tenant(em -> em.createQuery(
                "SELECT u FROM AuthUser u WHERE u.state = :s ORDER BY u.loginName", UserEntity.class)
                .setParameter("s", UserState.ACTIVE.name()).getResultList());
        List<Contact> out = new ArrayList<>();
        for (UserEntity u : accounts) {
            if (Sessions.roles(u.roles).contains(role)) {
                out.add(contact(tenantId, u.id));
            }
        }
        events.publish(MamoriEvent.builder(AuthEvents.CONTACTS_READ).target("role", role).detail("role", role)
                .detail("count", out.size()));
        return out;
    }

    @Override
    public Optional<Contact> of(String userId) {
        String tenantId = requireDelivery();
        if (userId == null || userId.isEmpty() || userId.length() > 64) {
            return Optional.empty();
        }
        Optional<UserEntity> u = store.tenant(em -> Optional.ofNullable(em.find(UserEntity.class, userId)))
                .filter(e -> UserState.ACTIVE.name().equals(e.state));
        if (u.isEmpty()) {
            return Optional.empty();
        }
        Contact c = contact(tenantId, userId);
        events.publish(MamoriEvent.builder(AuthEvents.CONTACTS_READ).target("user", userId).detail("count", 1));
        return Optional.of(c);
    }

    private Contact contact(String tenantId, String userId) {
        Profile p = profiles.load(tenantId, userId).orElse(Profile.EMPTY);
        return new Contact(userId, p.email(), p.fullName(), p.locale());
    }

    /** @return the bound tenant, for the platform itself under the delivery purpose; else refused */
    private String requireDelivery() {
        ExecutionContext ctx = ExecutionContext.require();
        ctx.requirePrincipal(PrincipalKind.SYSTEM);
        if (!ContactDirectory.PURPOSE.equals(ctx.purpose().orElse(null))) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Contacts are read by the platform for a delivery only ("
                    + ContactDirectory.PURPOSE + ").");
        }
        return store.tenants().requireTenantId();
    }
}
