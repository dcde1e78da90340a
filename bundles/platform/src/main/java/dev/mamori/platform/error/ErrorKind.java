package dev.mamori.platform.error;

/**
 * What kind of failure an error is, independent of which capability raised it. Adapters map the
 * kind, never the exception class: REST to an HTTP status, the shell to one line.
 */
public enum ErrorKind {
    /** The caller's input is wrong (HTTP 400). */
    INVALID,
    /** No (valid) authentication (HTTP 401). */
    UNAUTHENTICATED,
    /** Authenticated, but not allowed (HTTP 403). */
    FORBIDDEN,
    /** No such thing, or not visible to this caller (HTTP 404). */
    NOT_FOUND,
    /** The current state does not allow it (HTTP 409). */
    CONFLICT,
    /** It existed and was destroyed on purpose, e.g. crypto-shredded data (HTTP 410). */
    GONE,
    /** The thing changed since the caller read it: the version it named is not the current one (HTTP 412). */
    PRECONDITION_FAILED,
    /** A change must name the version it replaces, and did not (HTTP 428, RFC 6585). */
    PRECONDITION_REQUIRED,
    /** The request body is over a limit (HTTP 413). */
    PAYLOAD_TOO_LARGE,
    /** Too many requests or failures; retry later (HTTP 429). */
    TOO_MANY_REQUESTS,
    /** A required part is not available now, e.g. a sealed vault (HTTP 503); retry later. */
    UNAVAILABLE,
    /** A fault of the server (HTTP 500); the details go to the log, not to the caller. */
    INTERNAL
}
