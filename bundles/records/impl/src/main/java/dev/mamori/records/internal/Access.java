package dev.mamori.records.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordService;

/**
 * Who may touch which record, for one call (IAM-2): a tenant's own account, bound to its tenant,
 * with {@code records:<action>:<category>[/<scope>]} granted — or, to read, the person the record is
 * about (their employee number is its subject). Answers are kept for the call, so a page of records
 * of one category and scope asks the authorizer once. Platform accounts (operators, support) never
 * read or write payloads (OPS-1, OPS-2).
 */
final class Access {
    static final String READ = "read";
    static final String WRITE = "write";

    private final Authorizer authorizer;
    private final UserService users;
    private final String tenantId;
    private final Principal principal;
    private final Map<String, Boolean> answers = new HashMap<>();
    private String ownEmployeeNumber;
    private boolean ownLooked;

    private Access(Authorizer authorizer, UserService users, String tenantId, Principal principal) {
        this.authorizer = authorizer;
        this.users = users;
        this.tenantId = tenantId;
        this.principal = principal;
    }

    /**
     * @return the access of the tenant's account acting now
     * @throws MamoriException 401 without a principal, 403 for any other kind of principal or another tenant's account
     */
    static Access of(Authorizer authorizer, UserService users, String tenantId) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.USER);
        if (!Objects.equals(p.tenantId().orElse(null), tenantId)) {
            throw new MamoriException(RecordErrors.FORBIDDEN, "Records are for the tenant's own accounts.");
        }
        return new Access(authorizer, users, tenantId, p);
    }

    Principal principal() {
        return principal;
    }

    String actorId() {
        return principal.id();
    }

    boolean isAdmin() {
        return principal.hasRole(Roles.TENANT_ADMIN);
    }

    void requireAdmin(String what) {
        if (!isAdmin()) {
            throw new MamoriException(RecordErrors.FORBIDDEN, what + " is for the tenant's admins.");
        }
    }

    static String permission(String action, String category, String scope) {
        return RecordService.DOMAIN + ":" + action + ":" + category + (scope == null ? "" : "/" + scope);
    }

    boolean granted(String action, String category, String scope) {
        return answers.computeIfAbsent(permission(action, category, scope), authorizer::isPermitted);
    }

    /** @return whether the caller may write records in some category and scope (each row is checked on its own) */
    boolean mayWriteSomewhere() {
        return answers.computeIfAbsent(RecordService.DOMAIN + ":" + WRITE + "?any",
                k -> authorizer.isPermittedInAnyScope(RecordService.DOMAIN + ":" + WRITE));
    }

    /** @return whether the caller may read a record of that category, scope and subject */
    boolean mayRead(String category, String scope, String subject) {
        return granted(READ, category, scope) || subject.equals(ownEmployeeNumber());
    }

    void requireWrite(String category, String scope) {
        if (!granted(WRITE, category, scope)) {
            throw new MamoriException(RecordErrors.FORBIDDEN, "The permission '" + permission(WRITE, category, scope)
                    + "' is not granted to this account.");
        }
    }

    private String ownEmployeeNumber() {
        if (!ownLooked) {
            ownLooked = true;
            ownEmployeeNumber = users.find(principal.id()).map(User::employeeNumber).orElse(null);
        }
        return ownEmployeeNumber;
    }

    String tenantId() {
        return tenantId;
    }

    /** @return the record if it is live and the caller may read it; else nothing, whichever the reason */
    java.util.Optional<RecordStore.Row> readable(RecordStore store, String id, boolean lock) {
        if (!Fields.isId(id)) {
            return java.util.Optional.empty();
        }
        return store.row(tenantId, id, lock).filter(r -> !r.trashed()).filter(r -> mayRead(r.category(), r.scope(), r.subject()));
    }
}
