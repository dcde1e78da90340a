package dev.mamori.records;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** The records capability's error codes. */
public final class RecordErrors {
    /** No such record for this caller: another tenant's, one it may not read, or one in the trash. */
    public static final ErrorCode NO_SUCH_RECORD = ErrorCode.of("no-such-record", ErrorKind.NOT_FOUND, "No such record");
    /** The category does not exist in the tenant. */
    public static final ErrorCode NO_SUCH_CATEGORY = ErrorCode.of("no-such-category", ErrorKind.NOT_FOUND, "No such category");
    /** A category definition is malformed (name, title, schema, retention). */
    public static final ErrorCode INVALID_CATEGORY = ErrorCode.of("invalid-category", ErrorKind.INVALID, "Invalid category");
    /** A category still holds records. */
    public static final ErrorCode CATEGORY_IN_USE = ErrorCode.of("category-in-use", ErrorKind.CONFLICT, "Category in use");
    /** A record's fields are malformed (subject, scope, labels, a category or subject that may not change). */
    public static final ErrorCode INVALID_RECORD = ErrorCode.of("invalid-record", ErrorKind.INVALID, "Invalid record");
    /** The payload does not meet its category's schema; the detail names the field. */
    public static final ErrorCode INVALID_PAYLOAD = ErrorCode.of("invalid-payload", ErrorKind.INVALID, "Payload does not match its schema");
    /** An attachment's media type is not allowed, or its content is not of that type. */
    public static final ErrorCode INVALID_ATTACHMENT = ErrorCode.of("invalid-attachment", ErrorKind.INVALID, "Invalid attachment");
    /** No such attachment of that record for this caller. */
    public static final ErrorCode NO_SUCH_ATTACHMENT = ErrorCode.of("no-such-attachment", ErrorKind.NOT_FOUND, "No such attachment");
    /** An export's passphrase breaks the rules. @since 1.1 */
    public static final ErrorCode INVALID_EXPORT = ErrorCode.of("invalid-export", ErrorKind.INVALID, "Invalid export");
    /** Another export of the tenant is open (one at a time). @since 1.1 */
    public static final ErrorCode EXPORT_IN_PROGRESS = ErrorCode.of("export-in-progress", ErrorKind.CONFLICT, "Export in progress");
    /** The tenant started as many exports in 24 hours as the configuration allows. @since 1.1 */
    public static final ErrorCode EXPORT_LIMIT = ErrorCode.of("export-limit", ErrorKind.TOO_MANY_REQUESTS, "Too many exports");
    /** An import's category, format or charset is not one this server reads. */
    public static final ErrorCode INVALID_IMPORT = ErrorCode.of("invalid-import", ErrorKind.INVALID, "Invalid import");
    /** The payload is over the size limit. */
    public static final ErrorCode PAYLOAD_TOO_LARGE = ErrorCode.of("record-too-large", ErrorKind.PAYLOAD_TOO_LARGE, "Payload too large");
    /** The record changed since the caller read it (If-Match). */
    public static final ErrorCode VERSION_MISMATCH = ErrorCode.of("version-mismatch", ErrorKind.PRECONDITION_FAILED,
            "The record changed meanwhile");
    /** A change that must name the version it replaces did not (If-Match missing). */
    public static final ErrorCode VERSION_REQUIRED = ErrorCode.of("version-required", ErrorKind.PRECONDITION_REQUIRED,
            "If-Match required");
    /** The caller lacks the scoped permission. */
    public static final ErrorCode FORBIDDEN = ErrorCode.of("records-forbidden", ErrorKind.FORBIDDEN, "Not allowed for these records");

    private RecordErrors() {
    }
}
