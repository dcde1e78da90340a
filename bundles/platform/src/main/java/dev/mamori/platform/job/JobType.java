package dev.mamori.platform.job;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job type declared once, with the Java types of its parameters and of its cursor. The job
 * service stores both as JSON (Jackson data binding: records, beans, strings, numbers, lists and
 * maps) together with the parameter type's name, and hands the handler its own types back; a
 * capability writes no codec of its own. Declare it as a constant and use it to submit and to
 * handle the job. The type its registered handler returns is the one that counts: it says whether a
 * tenant's users and plugins may submit it ({@link #submittableByTenants()}); by default only the
 * platform (its own components, operators) may.
 *
 * @param <P> parameters
 * @param <C> cursor (checkpoint between steps)
 */
public final class JobType<P, C> {
    private static final Pattern NAME = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");

    /** Parameters or cursor of a job that needs none. */
    public record None() {
        /** The one value. */
        public static final None NONE = new None();
    }

    private final String name;
    private final Class<P> parameters;
    private final Class<C> cursor;
    private final boolean tenants;
    private final String tenantDataRole;

    private JobType(String name, Class<P> parameters, Class<C> cursor) {
        this(name, parameters, cursor, false, null);
    }

    private JobType(String name, Class<P> parameters, Class<C> cursor, boolean tenants, String tenantDataRole) {
        if (name == null || name.length() > 100 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A job type is dotted lower-case words, e.g. vault.reencrypt: " + name);
        }
        this.name = name;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.tenants = tenants;
        this.tenantDataRole = tenantDataRole;
    }

    /**
     * @return the same type, which a tenant's users and plugins may submit for their own tenant
     *         (its steps run as them, in their tenant); without it, only the platform may
     */
    public JobType<P, C> submittableByTenants() {
        return new JobType<>(name, parameters, cursor, true, tenantDataRole);
    }

    /** @return whether a tenant's users and plugins may submit it */
    public boolean tenantsMaySubmit() {
        return tenants;
    }

    /**
     * @param role the role a tenant's account must hold <em>when it downloads</em> (e.g. the tenant
     *             admin role): checked at every download, so an account that lost it since it
     *             submitted the job gets nothing
     * @return the same type, whose artifacts hold the tenant's own data (an export): only the
     *         tenant's accounts with that role download them, never operators or support (OPS-1, OPS-2)
     * @since 2.1
     */
    public JobType<P, C> artifactsHoldTenantData(String role) {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("Name the role that may download the artifacts.");
        }
        return new JobType<>(name, parameters, cursor, tenants, role);
    }

    /** @return whether its artifacts hold the tenant's data @since 2.1 */
    public boolean tenantDataArtifacts() {
        return tenantDataRole != null;
    }

    /** @return the role that downloads its artifacts, if they hold the tenant's data @since 2.1 */
    public java.util.Optional<String> artifactRole() {
        return java.util.Optional.ofNullable(tenantDataRole);
    }

    /**
     * @param name       dotted lower-case words, e.g. {@code vault.reencrypt}
     * @param parameters the parameters' type
     * @param cursor     the cursor's type
     * @param <P>        parameters
     * @param <C>        cursor
     * @return the job type
     */
    public static <P, C> JobType<P, C> of(String name, Class<P> parameters, Class<C> cursor) {
        return new JobType<>(name, parameters, cursor);
    }

    /**
     * @param name dotted lower-case words
     * @return a job type with neither parameters nor cursor (a scheduled clean-up, say)
     */
    public static JobType<None, None> simple(String name) {
        return new JobType<>(name, None.class, None.class);
    }

    /** @return the name, e.g. {@code vault.reencrypt} */
    public String name() {
        return name;
    }

    /** @return the parameters' type */
    public Class<P> parameters() {
        return parameters;
    }

    /** @return the cursor's type */
    public Class<C> cursor() {
        return cursor;
    }

    /** @param name a job type name @return whether it is well-formed */
    public static boolean validName(String name) {
        return name != null && name.length() <= 100 && NAME.matcher(name).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobType && ((JobType<?, ?>) o).name.equals(name) && ((JobType<?, ?>) o).parameters == parameters
                && ((JobType<?, ?>) o).cursor == cursor && ((JobType<?, ?>) o).tenants == tenants
                && Objects.equals(((JobType<?, ?>) o).tenantDataRole, tenantDataRole);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
