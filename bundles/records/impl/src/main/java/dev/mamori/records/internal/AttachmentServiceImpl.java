package dev.mamori.records.internal;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.UserService;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.Attachment;
import dev.mamori.records.AttachmentContent;
import dev.mamori.records.AttachmentService;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.vault.KeyPurpose;

/**
 * Attachments (CRY-2, SEC-3): the content streams through the vault's stream cipher under the
 * tenant's attachments key into chunk rows, in the unit of work of its audit event, in constant
 * memory; its name and SHA-256 are kept only encrypted; the media type is checked against the
 * first bytes, the size counted as it streams (past the limit the unit rolls back: nothing kept).
 */
@Component(service = AttachmentService.class)
public class AttachmentServiceImpl implements AttachmentService {
    static final int MAX_NAME = 200;
    private final RecordsCore core;
    private final Authorizer authorizer;
    private final UserService users;

    /**
     * @param core       stores, vault, events
     * @param authorizer scoped permissions
     * @param users      the caller's employee number
     */
    @Activate
    public AttachmentServiceImpl(@Reference RecordsCore core, @Reference Authorizer authorizer, @Reference UserService users) {
        this.core = core;
        this.authorizer = authorizer;
        this.users = users;
    }

    private Access access() {
        return Access.of(authorizer, users, core.tenants.requireTenantId());
    }

    @Override
    public Attachment add(String recordId, String name, String mediaType, InputStream content) {
        Access a = access();
        String tenant = a.tenantId();
        String displayName = displayName(name);
        String type = MediaTypes.base(mediaType);
        Settings settings = core.settings();
        return core.units.call(() -> {
            RecordStore.Row record = a.readable(core.store, recordId, true).orElseThrow(() -> RecordServiceImpl.noRecord(recordId));
            a.requireWrite(record.category(), record.scope());
            BufferedInputStream in = new BufferedInputStream(content, MediaTypes.HEAD);
            byte[] head = new byte[MediaTypes.HEAD];
            int length = peek(in, head);
            MediaTypes.check(type, settings.attachmentTypes(), head, length);
            String id = UUID.randomUUID().toString();
            Instant now = core.clock.instant();
            core.attachments.insert(tenant, new AttachmentStore.Row(id, recordId, type, 0, new byte[0], 0, now, a.actorId()));
            Limited limited = new Limited(in, settings.maxAttachmentBytes());
            try (OutputStream sink = core.attachments.chunks.write(tenant, id, 0);
                    OutputStream enc = core.vault.encryptingStream(tenant, KeyPurpose.ATTACHMENTS, sink, aad(tenant, recordId, id))) {
                limited.transferTo(enc);
            } catch (IOException e) {
                throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "The upload broke off; nothing was kept.", e, null);
            }
            String sha = HexFormat.of().formatHex(limited.digest.digest());
            byte[] meta = core.vault.encrypt(tenant, KeyPurpose.ATTACHMENTS, meta(displayName, sha), metaAad(tenant, recordId, id));
            core.attachments.finish(tenant, id, limited.count, meta, 0);
            core.events.publish(MamoriEvent.builder(RecordEvents.ATTACHMENT_ADDED).target("record-attachment", id)
                    .detail("record", recordId).detail("mediaType", type).detail("size", Long.toString(limited.count)));
            return new Attachment(id, recordId, displayName, type, limited.count, sha, now, a.actorId());
        });
    }

    @Override
    public List<Attachment> list(String recordId) {
        Access a = access();
        return core.units.call(() -> {
            if (a.readable(core.store, recordId, false).isEmpty()) {
                throw RecordServiceImpl.noRecord(recordId);
            }
            return core.attachments.list(a.tenantId(), recordId).stream().map(r -> view(a.tenantId(), r)).toList();
        });
    }

    @Override
    public Optional<AttachmentContent> open(String recordId, String attachmentId) {
        Access a = access();
        String tenant = a.tenantId();
        Optional<AttachmentStore.Row> row = core.units.call(() -> {
            if (a.readable(core.store, recordId, false).isEmpty() || !Fields.isId(attachmentId)) {
                return Optional.<AttachmentStore.Row>empty();
            }
            Optional<AttachmentStore.Row> r = core.attachments.find(tenant, recordId, attachmentId);
            // recorded before any byte is handed out; a read that cannot be recorded does not happen
            r.ifPresent(x -> core.events.publish(MamoriEvent.builder(RecordEvents.ATTACHMENT_READ).target("record-attachment", x.id())
                    .detail("record", recordId)));
            return r;
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        AttachmentStore.Row r = row.get();
        try {
            InputStream plain = core.vault.decryptingStream(tenant, KeyPurpose.ATTACHMENTS, core.attachments.chunks.read(tenant, r.id(), r.gen()),
                    aad(tenant, recordId, r.id()));
            return Optional.of(new AttachmentContent(view(tenant, r), plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void remove(String recordId, String attachmentId) {
        Access a = access();
        core.units.run(() -> {
            RecordStore.Row record = a.readable(core.store, recordId, true).orElseThrow(() -> RecordServiceImpl.noRecord(recordId));
            a.requireWrite(record.category(), record.scope());
            if (!Fields.isId(attachmentId) || !core.attachments.delete(a.tenantId(), recordId, attachmentId)) {
                throw new MamoriException(RecordErrors.NO_SUCH_ATTACHMENT, "No such attachment of this record.");
            }
            core.events.publish(MamoriEvent.builder(RecordEvents.ATTACHMENT_REMOVED).target("record-attachment", attachmentId)
                    .detail("record", recordId));
        });
    }

    private Attachment view(String tenant, AttachmentStore.Row r) {
        Map<?, ?> m = readMeta(core.vault.decrypt(tenant, KeyPurpose.ATTACHMENTS, r.meta(), metaAad(tenant, r.recordId(), r.id())));
        return new Attachment(r.id(), r.recordId(), (String) m.get("name"), r.mediaType(), r.size(), (String) m.get("sha256"),
                r.createdAt(), r.createdBy());
    }

    /** The file name for display: its last path segment, control and format characters out, at most {@value #MAX_NAME}. */
    static String displayName(String given) {
        String n = given == null ? "" : given;
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
        StringBuilder b = new StringBuilder();
        n.codePoints().filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                && Character.getType(cp) != Character.SURROGATE).forEach(b::appendCodePoint);
        String out = b.toString().strip();
        if (out.isEmpty() || out.equals(".") || out.equals("..") || out.length() > MAX_NAME) {
            throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "name: the file's name, 1-" + MAX_NAME + " characters.");
        }
        return out;
    }

    static byte[] aad(String tenant, String recordId, String id) {
        return ("record-attachment\n" + tenant + "\n" + recordId + "\n" + id).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] metaAad(String tenant, String recordId, String id) {
        return ("record-attachment-meta\n" + tenant + "\n" + recordId + "\n" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] meta(String name, String sha) {
        try {
            return PayloadSchemas.JSON.writeValueAsBytes(Map.of("name", name, "sha256", sha));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<?, ?> readMeta(byte[] json) {
        try {
            return PayloadSchemas.JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("An attachment's metadata does not read back.", e);
        }
    }

    private static int peek(BufferedInputStream in, byte[] head) {
        try {
            in.mark(head.length);
            int n = in.readNBytes(head, 0, head.length);
            in.reset();
            return n;
        } catch (IOException e) {
            throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "The upload broke off; nothing was kept.", e, null);
        }
    }

    /** Counts and hashes what passes; one byte past the limit fails the upload (413). */
    static final class Limited extends FilterInputStream {
        final MessageDigest digest;
        private final long max;
        long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new MamoriException(RecordErrors.PAYLOAD_TOO_LARGE, "An attachment is at most " + max / (1024 * 1024)
                            + " MiB (dev.mamori.records attachment.max.mib); nothing was kept.");
                }
                digest.update(b, off, n);
            }
            return n;
        }
    }
}
