package dev.mamori.records;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Files attached to records (CRY-2, SEC-3): streamed through the vault's stream cipher under the
 * tenant's attachments key in constant memory, bound to tenant, record and attachment; a size limit
 * and a media type checked against the file's first bytes; the file name is kept encrypted and never
 * used as a path. An attachment follows its record's permissions (reading it needs what reading the
 * record needs, adding or removing what changing it needs), goes to the trash and is purged with it,
 * and every read and change is an audit event.
 */
@ProviderType
public interface AttachmentService {
    /**
     * @param recordId  a live record the caller may change
     * @param name      the file name as the client gave it (display only): 1-200 characters once its path is cut off
     * @param mediaType the declared media type, one of the configured ones, matching the content's first bytes
     * @param content   the file; read to its end, not closed
     * @return the attachment
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#INVALID_ATTACHMENT} (400) for a type
     *         not allowed or not matching, {@link RecordErrors#PAYLOAD_TOO_LARGE} (413) past the limit — nothing stored
     */
    Attachment add(String recordId, String name, String mediaType, InputStream content);

    /**
     * @param recordId a record the caller may read
     * @return its attachments, oldest first
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#NO_SUCH_RECORD} (404) otherwise
     */
    List<Attachment> list(String recordId);

    /**
     * @return the content, if the record and attachment exist and the caller may read them (an audit event)
     */
    Optional<AttachmentContent> open(String recordId, String attachmentId);

    /**
     * @param recordId     a live record the caller may change
     * @param attachmentId one of its attachments, deleted for good
     */
    void remove(String recordId, String attachmentId);
}
