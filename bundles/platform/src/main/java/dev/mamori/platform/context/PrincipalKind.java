package dev.mamori.platform.context;

/** Who is acting, by kind. */
public enum PrincipalKind {
    /** A user of one tenant. */
    USER,
    /** A platform operator (OPS-1): runs the platform, bound to no tenant. */
    OPERATOR,
    /** Platform support (OPS-1, OPS-2): tenant metadata only, never record contents. */
    SUPPORT,
    /** The platform itself: jobs, schedules, start-up work. */
    SYSTEM,
    /** A plugin acting on its own account. */
    PLUGIN;

    /** @return whether this kind is bound to no tenant and may act across tenants on platform duty */
    public boolean isPlatform() {
        return this == OPERATOR || this == SUPPORT || this == SYSTEM;
    }
}
