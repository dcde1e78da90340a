package dev.mamori.vault;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** Error codes of the vault, declared once. Messages never carry key material or plaintext. */
public final class VaultErrors {
    /** No master key: keystore missing, wrong passphrase, provider down. Retry after unsealing (HTTP 503). */
    public static final ErrorCode SEALED = ErrorCode.of("vault-sealed", ErrorKind.UNAVAILABLE, "Vault sealed");
    /** A ciphertext did not authenticate, or is not the caller's to open. */
    public static final ErrorCode DECRYPTION_FAILED = ErrorCode.of("decryption-failed", ErrorKind.INVALID, "Decryption failed");
    /** The key was destroyed on purpose: the data is gone (crypto-shredding, erasure). */
    public static final ErrorCode KEY_DESTROYED = ErrorCode.of("key-destroyed", ErrorKind.GONE, "Data erased");
    /** A master key version the key provider does not hold. */
    public static final ErrorCode UNKNOWN_KEY = ErrorCode.of("unknown-key", ErrorKind.UNAVAILABLE, "Unknown master key");
    /** The keystore could not be written; nothing changed. */
    public static final ErrorCode KEYSTORE_WRITE_FAILED = ErrorCode.of("keystore-write-failed", ErrorKind.INTERNAL,
            "Keystore not written");
    /** An erasure without its confirmation. */
    public static final ErrorCode ERASE_NOT_CONFIRMED = ErrorCode.of("erase-not-confirmed", ErrorKind.INVALID,
            "Erasure not confirmed");
    /** A person id that is not one. */
    public static final ErrorCode INVALID_PERSON = ErrorCode.of("invalid-person", ErrorKind.INVALID, "Invalid person id");
    /** A blind index asked for with a field name that is not one, or without a value. */
    public static final ErrorCode INVALID_INDEX_INPUT = ErrorCode.of("invalid-index-input", ErrorKind.INVALID,
            "Invalid blind index input");
    /** A shredding without its confirmation. */
    public static final ErrorCode SHRED_NOT_CONFIRMED = ErrorCode.of("shred-not-confirmed", ErrorKind.INVALID,
            "Shredding not confirmed");
    /** Only a DELETED tenant's keys are shredded. */
    public static final ErrorCode SHRED_REFUSED = ErrorCode.of("shred-refused", ErrorKind.CONFLICT, "Shredding refused");
    /** The key provider cannot destroy master keys: cut-offs would pretend. */
    public static final ErrorCode CUTOFF_UNSUPPORTED = ErrorCode.of("cutoff-unsupported", ErrorKind.CONFLICT,
            "Cut-off not supported");
    /** A cut-off stopped before destroying anything. */
    public static final ErrorCode CUTOFF_INCOMPLETE = ErrorCode.of("cutoff-incomplete", ErrorKind.INTERNAL, "Cut-off incomplete");
    /** Keys were destroyed but the cut-off after them failed; it is retried. */
    public static final ErrorCode CUTOFF_FAILED = ErrorCode.of("cutoff-failed", ErrorKind.UNAVAILABLE, "Cut-off failed");
    /** Not a readable, authentic key escrow. */
    public static final ErrorCode ESCROW_INVALID = ErrorCode.of("escrow-invalid", ErrorKind.INVALID, "Invalid key escrow");
    /** An escrow that is not this keystore's latest. */
    public static final ErrorCode ESCROW_STALE = ErrorCode.of("escrow-stale", ErrorKind.CONFLICT, "Stale key escrow");
    /** The escrow could not be written; no master key was destroyed. */
    public static final ErrorCode ESCROW_WRITE_FAILED = ErrorCode.of("escrow-write-failed", ErrorKind.INTERNAL,
            "Key escrow not written");
    /** The key provider makes no cut-offs, so there is no escrow to restore from. */
    public static final ErrorCode RESTORE_UNSUPPORTED = ErrorCode.of("restore-unsupported", ErrorKind.CONFLICT,
            "Restore not supported");
    /** No older key version to retire. */
    public static final ErrorCode NOTHING_TO_RETIRE = ErrorCode.of("nothing-to-retire", ErrorKind.CONFLICT, "Nothing to retire");
    /** No component declares data of the purpose. */
    public static final ErrorCode NO_PARTICIPANTS = ErrorCode.of("no-participants", ErrorKind.CONFLICT, "No components");
    /** A component that held such data before is not running. */
    public static final ErrorCode PARTICIPANTS_MISSING = ErrorCode.of("participants-missing", ErrorKind.CONFLICT,
            "Components missing");
    /** Two running components share a name. */
    public static final ErrorCode DUPLICATE_PARTICIPANT = ErrorCode.of("duplicate-participant", ErrorKind.CONFLICT,
            "Duplicate component");
    /** A component's name is not valid. */
    public static final ErrorCode PARTICIPANT_NAME_INVALID = ErrorCode.of("participant-name-invalid", ErrorKind.CONFLICT,
            "Invalid component name");
    /** Only a component that is gone for good can be forgotten. */
    public static final ErrorCode PARTICIPANT_RUNNING = ErrorCode.of("participant-running", ErrorKind.CONFLICT,
            "Component running");
    /** The calling bundle does not declare the signing purpose in its manifest. */
    public static final ErrorCode SIGNING_PURPOSE_UNDECLARED = ErrorCode.of("signing-purpose-undeclared", ErrorKind.FORBIDDEN,
            "Signing purpose not declared");
    /** A signing key used outside its owner's context (the platform's key by a tenant, a tenant's key by another tenant). */
    public static final ErrorCode SIGNING_REFUSED = ErrorCode.of("signing-refused", ErrorKind.FORBIDDEN, "Signing refused");
    /** The owner has no signing key for that purpose (one is made by its first signature). */
    public static final ErrorCode NO_SIGNING_KEY = ErrorCode.of("no-signing-key", ErrorKind.CONFLICT, "No signing key");
    /** The vault's keystore is missing while wrapped keys exist: it stays sealed instead of making a new one. */
    public static final ErrorCode KEYSTORE_MISSING = ErrorCode.of("keystore-missing", ErrorKind.UNAVAILABLE, "Keystore missing");

    private VaultErrors() {
    }
}
