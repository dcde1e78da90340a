package dev.mamori.platform.context;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who acts: an opaque id (never personal data: a user id, an operator account name, a component
 * name), its kind, its roles, for users and plugins the tenant it belongs to, and how far it has
 * come through signing in ({@link Assurance}; {@link Assurance#COMPLETE} unless the adapter that
 * authenticated it says otherwise with {@link #withAssurance}). Immutable.
 */
public final class Principal {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._@:+-]{1,128}");
    private final String id;
    private final PrincipalKind kind;
    private final Set<String> roles;
    private final String tenantId;
    private final Assurance assurance;

    private Principal(String id, PrincipalKind kind, Set<String> roles, String tenantId) {
        this(id, kind, roles, tenantId, Assurance.COMPLETE);
    }

    private Principal(String id, PrincipalKind kind, Set<String> roles, String tenantId, Assurance assurance) {
        if (id == null || !TOKEN.matcher(id).matches()) {
            throw new IllegalArgumentException("A principal id is 1-128 characters of letters, digits and ._@:+-");
        }
        this.id = id;
        this.kind = Objects.requireNonNull(kind, "kind");
        TreeSet<String> r = new TreeSet<>();
        for (String role : roles) {
            if (role == null || !TOKEN.matcher(role).matches()) {
                throw new IllegalArgumentException("Invalid role name: " + role);
            }
            r.add(role);
        }
        this.roles = Collections.unmodifiableSet(r);
        if ((kind == PrincipalKind.USER) && tenantId == null) {
            throw new IllegalArgumentException("A user belongs to a tenant.");
        }
        if (kind.isPlatform() && tenantId != null) {
            throw new IllegalArgumentException("A platform principal belongs to no tenant.");
        }
        this.tenantId = tenantId;
        this.assurance = Objects.requireNonNull(assurance, "assurance");
    }

    /**
     * @param id       user id
     * @param tenantId the user's tenant
     * @param roles    the user's roles in that tenant
     * @return a tenant user
     */
    public static Principal user(String id, String tenantId, Set<String> roles) {
        return new Principal(id, PrincipalKind.USER, roles, tenantId);
    }

    /**
     * @param id    account name
     * @param roles roles, e.g. {@code operator}
     * @return an operator
     */
    public static Principal operator(String id, Set<String> roles) {
        return new Principal(id, PrincipalKind.OPERATOR, roles, null);
    }

    /**
     * @param id    account name
     * @param roles roles
     * @return a support account
     */
    public static Principal support(String id, Set<String> roles) {
        return new Principal(id, PrincipalKind.SUPPORT, roles, null);
    }

    /**
     * @param component the component acting, e.g. {@code vault.maintenance}
     * @return the platform itself
     */
    public static Principal system(String component) {
        return new Principal(component, PrincipalKind.SYSTEM, Set.of(), null);
    }

    /**
     * @param id       plugin id
     * @param tenantId the one tenant it serves, or null for a global plugin
     * @param roles    roles
     * @return a plugin principal
     */
    public static Principal plugin(String id, String tenantId, Set<String> roles) {
        return new Principal(id, PrincipalKind.PLUGIN, roles, tenantId);
    }

    /** @return the opaque id */
    public String id() {
        return id;
    }

    /** @return the kind */
    public PrincipalKind kind() {
        return kind;
    }

    /** @return the roles, sorted */
    public Set<String> roles() {
        return roles;
    }

    /** @param role a role @return whether the principal holds it */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** @return the tenant a user or tenant plugin belongs to */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** @return how far this principal has come through signing in */
    public Assurance assurance() {
        return assurance;
    }

    /**
     * @param assurance how far the sign-in has come, as the authenticating adapter knows it
     * @return this principal with that assurance
     */
    public Principal withAssurance(Assurance assurance) {
        return assurance == this.assurance ? this : new Principal(id, kind, roles, tenantId, assurance);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Principal)) {
            return false;
        }
        Principal p = (Principal) o;
        return p.id.equals(id) && p.kind == kind && p.roles.equals(roles) && Objects.equals(p.tenantId, tenantId)
                && p.assurance == assurance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id + (tenantId != null ? "@" + tenantId : "") + roles
                + (assurance.complete() ? "" : "(" + assurance.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
