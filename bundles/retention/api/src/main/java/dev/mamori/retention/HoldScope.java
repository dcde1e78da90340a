package dev.mamori.retention;

/** What a legal hold covers within its tenant. */
public enum HoldScope {
    /** The whole tenant: nothing of it is deleted or purged. */
    TENANT,
    /** One record category (its name). */
    CATEGORY,
    /** One person's data (the employee number, IAM-3). */
    SUBJECT
}
