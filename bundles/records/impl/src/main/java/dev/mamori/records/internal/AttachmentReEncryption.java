package dev.mamori.records.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * Attachments hold ciphertext under the tenants' attachments keys: their metadata as envelopes and
 * their content as streams. A rotation's re-encryption writes each content anew as the next chunk
 * generation, then switches to it and drops the old one, in one unit of work per batch: a failure
 * midway leaves the old generation as it was.
 */
@Component(service = ReEncryptionParticipant.class)
public class AttachmentReEncryption implements ReEncryptionParticipant {
    private final RecordsCore core;

    /** @param core the stores */
    @Activate
    public AttachmentReEncryption(@Reference RecordsCore core) {
        this.core = core;
    }

    @Override
    public String name() {
        return "record-attachments";
    }

    @Override
    public boolean holds(KeyPurpose purpose) {
        return purpose == KeyPurpose.ATTACHMENTS;
    }

    @Override
    public ReEncryptionBatch reEncrypt(String tenantId, KeyPurpose purpose, String cursor, int batchSize, ReEncryptor reEncryptor) {
        return core.units.call(() -> {
            var rows = core.attachments.page(tenantId, cursor == null ? "" : cursor, batchSize);
            int done = 0;
            for (AttachmentStore.Row r : rows) {
                byte[] first = core.attachments.chunks.chunk(tenantId, r.id(), r.gen(), 0);
                if (reEncryptor.isCurrent(r.meta()) && (first == null || reEncryptor.isCurrent(first))) {
                    continue;
                }
                byte[] meta = reEncryptor.reEncrypt(r.meta(), AttachmentServiceImpl.metaAad(tenantId, r.recordId(), r.id()));
                int next = r.gen() + 1;
                try (InputStream old = core.attachments.chunks.read(tenantId, r.id(), r.gen());
                        OutputStream fresh = core.attachments.chunks.write(tenantId, r.id(), next)) {
                    reEncryptor.reEncrypt(old, fresh, AttachmentServiceImpl.aad(tenantId, r.recordId(), r.id()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                core.attachments.finish(tenantId, r.id(), r.size(), meta, next);
                core.attachments.chunks.delete(tenantId, r.id(), r.gen());
                done++;
            }
            return new ReEncryptionBatch(rows.size() < batchSize ? null : rows.get(rows.size() - 1).id(), done);
        });
    }
}
