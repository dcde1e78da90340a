package dev.mamori.platform.context;

/** Where a call came in. */
public enum Channel {
    /** An HTTPS request to the API. */
    REST,
    /** An operator shell command. */
    SHELL,
    /** A background job or schedule. */
    JOB,
    /** In-process work with no outside caller (start-up, tests). */
    INTERNAL
}
