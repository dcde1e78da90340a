package dev.mamori.records;

/** What a person's erasure (IAM-5) does to their records of a category. */
public enum ErasurePolicy {
    /** The records go with the person: to the trash, then purged. */
    DELETE,
    /** The records stay, linked to the account id only: the employee number is replaced by a pseudonym. */
    PSEUDONYMISE
}
