package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.Contact;
import dev.mamori.auth.ContactDirectory;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

@DisplayName("ContactDirectory: addresses for the platform's own deliveries only (NTF-1, OPS-2, CRY-4)")
class ContactDirectoryImplTest {
    private AuthFixture fx;
    private String tenant;
    private ContactDirectoryImpl contacts;

    @BeforeEach
    void setUp() {
        fx = new AuthFixture(AuthDb.h2());
        tenant = fx.newTenant();
        contacts = new ContactDirectoryImpl(fx.store, fx.profiles, fx.events);
    }

    @AfterEach
    void tearDown() {
        fx.db.close();
    }

    private <T> T as(Principal p, String purpose, Supplier<T> work) {
        return ExecutionContext.builder(Channel.JOB).principal(p).tenant(tenant).purpose(purpose).build().call(work);
    }

    @Test
    @DisplayName("the platform under notification.delivery gets the active admins' addresses and languages; one read event, no address in it")
    void platformDelivery() {
        User admin = fx.create(tenant, "hana", "A-1", Set.of(Roles.TENANT_ADMIN),
                new Profile("花子", "hana@example.jp", null, null, "ja-JP"), AuthFixture.ADMIN_PASSWORD);
        fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), new Profile("太郎", "taro@example.jp", null, null, null),
                AuthFixture.EMPLOYEE_PASSWORD);
        User gone = fx.create(tenant, "jiro", "A-2", Set.of(Roles.TENANT_ADMIN), new Profile(null, "jiro@example.jp", null, null, null),
                AuthFixture.ADMIN_PASSWORD);
        fx.asAdmin(tenant, () -> fx.users.deactivate(gone.id()));
        List<Contact> admins = as(Principal.system("job:notification.deliver"), ContactDirectory.PURPOSE,
                () -> contacts.withRole(Roles.TENANT_ADMIN));
        assertEquals(List.of(new Contact(admin.id(), "hana@example.jp", "花子", "ja-JP")), admins, "active admins only");
        assertEquals(1, fx.events.of(AuthEvents.CONTACTS_READ).size());
        assertTrue(!fx.events.of(AuthEvents.CONTACTS_READ).get(0).toString().contains("hana@"), "no address in the event");
        assertEquals("hana@example.jp", as(Principal.system("job"), ContactDirectory.PURPOSE, () -> contacts.of(admin.id()))
                .orElseThrow().email());
        assertTrue(as(Principal.system("job"), ContactDirectory.PURPOSE, () -> contacts.of(gone.id())).isEmpty(), "deactivated");
    }

    @Test
    @DisplayName("operators, support, users, and the platform under another purpose are refused")
    void othersRefused() {
        User admin = fx.create(tenant, "hana", "A-1", Set.of(Roles.TENANT_ADMIN), new Profile(null, "hana@example.jp", null, null, null),
                AuthFixture.ADMIN_PASSWORD);
        List<Principal> refused = List.of(Principal.operator("op", Set.of(Roles.OPERATOR)), Principal.support("s", Set.of(Roles.SUPPORT)),
                Principal.user(admin.id(), tenant, Set.of(Roles.TENANT_ADMIN)));
        for (Principal p : refused) {
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> as(p, ContactDirectory.PURPOSE,
                    () -> contacts.withRole(Roles.TENANT_ADMIN))).kind(), p.toString());
        }
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> as(Principal.system("job"), "records.export",
                () -> contacts.of(admin.id()))).kind());
        assertEquals(ErrorKind.INVALID, assertThrows(MamoriException.class, () -> as(Principal.system("job"), ContactDirectory.PURPOSE,
                () -> contacts.withRole(Roles.OPERATOR))).kind());
        assertEquals(0, fx.events.of(AuthEvents.CONTACTS_READ).size());
    }
}
