package dev.mamori.vault.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;
import dev.mamori.vault.internal.crypto.BlindIndex;
import dev.mamori.vault.internal.crypto.Envelope;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.StreamCipher;
import dev.mamori.vault.spi.KeyProvider;

/**
 * Envelope and streaming encryption for the tenant bound on the calling thread, under its data
 * keys (CRY-2) and its people's keys (CRY-4), and blind indexes under its index key (CRY-4).
 * Sealed means every call fails; there is never a plaintext fallback.
 */
@Component(service = VaultService.class)
public class VaultServiceImpl implements VaultService {
    /** A blind index field name: what a capability indexes, e.g. "user.email". */
    private static final Pattern INDEX_FIELD = Pattern.compile("[a-z0-9._-]{1,64}");

    private final VaultKeys keys;

    /** @param keys the holder of the keys */
    @Activate
    public VaultServiceImpl(@Reference VaultKeys keys) {
        this.keys = keys;
    }

    @Override
    public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
        return Envelope.encrypt(keys.currentKey(tenantId, purpose), plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
        KeyProvider p = keys.unsealed();
        keys.checkTenant(tenantId);
        AtomicReference<KeyRef> archived = new AtomicReference<>();
        byte[] plain = Envelope.decrypt(ref -> {
            VaultKeys.Resolved r = keys.resolve(tenantId, purpose, ref, p);
            if (r.archived()) {
                archived.set(ref);
            }
            return r.key();
        }, blob, associatedData);
        // only data that really decrypted postpones an archived key's end
        if (archived.get() != null) {
            keys.postponeArchive(archived.get(), tenantId);
        }
        return plain;
    }

    @Override
    public OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData)
            throws IOException {
        return StreamCipher.encrypt(keys.currentKey(tenantId, purpose), sink, associatedData);
    }

    @Override
    public InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData)
            throws IOException {
        KeyProvider p = keys.unsealed();
        keys.checkTenant(tenantId);
        AtomicReference<KeyRef> archived = new AtomicReference<>();
        InputStream in = StreamCipher.decrypt(ref -> {
            VaultKeys.Resolved r = keys.resolve(tenantId, purpose, ref, p);
            if (r.archived()) {
                archived.set(ref);
            }
            return r.key();
        }, source, associatedData);
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return atEnd(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return atEnd(super.read(b, off, len));
            }

            /** The stream authenticated to its last chunk: now an archived key's end may move. */
            private int atEnd(int n) {
                if (n < 0 && archived.get() != null) {
                    keys.postponeArchive(archived.getAndSet(null), tenantId);
                }
                return n;
            }
        };
    }

    @Override
    public byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData) {
        KeyProvider p = keys.unsealed();
        keys.checkTenant(tenantId);
        VaultKeys.checkPerson(personId);
        return Envelope.encrypt(keys.personKey(tenantId, personId, p), plaintext, associatedData);
    }

    @Override
    public byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData) {
        KeyProvider p = keys.unsealed();
        keys.checkTenant(tenantId);
        VaultKeys.checkPerson(personId);
        return Envelope.decrypt(ref -> keys.resolvePerson(tenantId, personId, ref, p), blob, associatedData);
    }

    @Override
    public boolean erasePerson(String tenantId, String personId, String confirmation) {
        keys.unsealed();
        keys.checkTenant(tenantId);
        VaultKeys.checkPerson(personId);
        if (!personId.equals(confirmation)) {
            throw new VaultException(VaultErrors.ERASE_NOT_CONFIRMED, "Erasure needs the person id repeated as confirmation; "
                    + "nothing erased.");
        }
        return keys.erasePerson(tenantId, personId);
    }

    @Override
    public byte[] blindIndex(String tenantId, String field, byte[] normalisedValue) {
        KeyProvider p = keys.unsealed();
        keys.checkTenant(tenantId);
        if (field == null || !INDEX_FIELD.matcher(field).matches()) {
            throw new VaultException(VaultErrors.INVALID_INDEX_INPUT,
                    "A blind index field is 1-64 characters of lower-case letters, digits, '.', '-', '_'.");
        }
        if (normalisedValue == null) {
            throw new VaultException(VaultErrors.INVALID_INDEX_INPUT, "A blind index needs a value.");
        }
        return BlindIndex.of(keys.blindIndexKey(tenantId, p), field, normalisedValue);
    }

    @Override
    public VaultStatus status() {
        return keys.status();
    }
}
