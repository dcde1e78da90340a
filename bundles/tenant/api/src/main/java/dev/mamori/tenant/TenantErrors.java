package dev.mamori.tenant;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** Error codes of the tenant capability, declared once. */
public final class TenantErrors {
    /** No tenant by that id or slug, or none this caller may see (a DELETED or PURGED tenant, to its users). */
    public static final ErrorCode NOT_FOUND = ErrorCode.of("tenant-not-found", ErrorKind.NOT_FOUND, "Tenant not found");
    /** The tenant's state gives its users no access (EXPIRED). */
    public static final ErrorCode NOT_ACCESSIBLE = ErrorCode.of("tenant-not-accessible", ErrorKind.FORBIDDEN,
            "Tenant not accessible");
    /** A field of a tenant or setting is invalid. */
    public static final ErrorCode INVALID_DATA = ErrorCode.of("invalid-tenant-data", ErrorKind.INVALID, "Invalid tenant data");
    /** The slug is taken. */
    public static final ErrorCode DUPLICATE = ErrorCode.of("duplicate-tenant", ErrorKind.CONFLICT, "Tenant exists");
    /** The lifecycle does not allow the transition. */
    public static final ErrorCode ILLEGAL_TRANSITION = ErrorCode.of("illegal-transition", ErrorKind.CONFLICT,
            "Illegal tenant transition");
    /** Tenant data was touched without a tenant context. */
    public static final ErrorCode NO_CONTEXT = ErrorCode.of("no-tenant-context", ErrorKind.FORBIDDEN, "No tenant context");
    /** Work for one tenant was started inside another tenant's context. */
    public static final ErrorCode CONTEXT_CONFLICT = ErrorCode.of("tenant-context-conflict", ErrorKind.FORBIDDEN,
            "Tenant context conflict");
    /** The current tenant has no such setting. */
    public static final ErrorCode SETTING_NOT_FOUND = ErrorCode.of("setting-not-found", ErrorKind.NOT_FOUND, "Setting not found");

    private TenantErrors() {
    }
}
