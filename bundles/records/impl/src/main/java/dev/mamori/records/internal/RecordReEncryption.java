package dev.mamori.records.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * Records hold ciphertext under the tenants' records keys: a rotation's re-encryption walks them
 * (live and trashed), each batch one unit of work, so that retiring an old key version never leaves
 * a record unreadable. A row changed meanwhile already has a payload under the current version.
 */
@Component(service = ReEncryptionParticipant.class)
public class RecordReEncryption implements ReEncryptionParticipant {
    private final RecordsCore core;

    /** @param core the store */
    @Activate
    public RecordReEncryption(@Reference RecordsCore core) {
        this.core = core;
    }

    @Override
    public String name() {
        return "records";
    }

    @Override
    public boolean holds(KeyPurpose purpose) {
        return purpose == KeyPurpose.RECORDS;
    }

    @Override
    public ReEncryptionBatch reEncrypt(String tenantId, KeyPurpose purpose, String cursor, int batchSize, ReEncryptor reEncryptor) {
        return core.units.call(() -> {
            var rows = core.store.page(tenantId, cursor == null ? "" : cursor, batchSize);
            int done = 0;
            for (RecordStore.Row r : rows) {
                if (reEncryptor.isCurrent(r.payload())) {
                    continue;
                }
                byte[] blob = reEncryptor.reEncrypt(r.payload(), RecordServiceImpl.aad(tenantId, r.id(), r.version()));
                if (core.store.replacePayload(tenantId, r.id(), r.version(), blob)) {
                    done++;
                }
            }
            return new ReEncryptionBatch(rows.size() < batchSize ? null : rows.get(rows.size() - 1).id(), done);
        });
    }
}
