package dev.mamori.auth.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;

/**
 * A {@link VaultService} double with real cryptography: AES-256-GCM under per-tenant, per-purpose
 * keys and per-person keys, HMAC-SHA256 blind indexes under a per-tenant key, crypto-shredding of a
 * person's key, and the real vault's refusal to serve any tenant but the bound one.
 */
final class TestVault implements VaultService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final TenantContext context;
    private final Map<String, SecretKey> tenantKeys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> personKeys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> indexKeys = new ConcurrentHashMap<>();
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();
    /** Runs before every {@link #encryptPersonal} (tests use it to interleave a concurrent change). */
    volatile Runnable beforeEncryptPersonal;

    TestVault(TenantContext context) {
        this.context = Objects.requireNonNull(context);
    }

    /** @return whether the person has a live key */
    boolean hasPersonKey(String tenantId, String personId) {
        return personKeys.containsKey(tenantId + "|" + personId);
    }

    /** @return whether the person's key was destroyed */
    boolean personKeyDestroyed(String tenantId, String personId) {
        return destroyed.contains(tenantId + "|" + personId);
    }

    private void checkTenant(String tenantId) {
        String bound = context.requireTenantId();
        if (!bound.equals(tenantId)) {
            throw new NoTenantContextException("The vault serves only the tenant bound on this thread.");
        }
    }

    @Override
    public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
        checkTenant(tenantId);
        return seal(tenantKeys.computeIfAbsent(tenantId + "|" + purpose, k -> newAesKey()), plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
        checkTenant(tenantId);
        SecretKey k = tenantKeys.get(tenantId + "|" + purpose);
        if (k == null) {
            throw new DecryptionFailedException("No key of this tenant opens the blob.");
        }
        return open(k, blob, associatedData);
    }

    @Override
    public OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData) {
        throw new UnsupportedOperationException("not used by the auth capability");
    }

    @Override
    public InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData) {
        throw new UnsupportedOperationException("not used by the auth capability");
    }

    @Override
    public byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData) {
        checkTenant(tenantId);
        Runnable hook = beforeEncryptPersonal;
        if (hook != null) {
            hook.run();
        }
        String id = tenantId + "|" + personId;
        if (destroyed.contains(id)) {
            throw new KeyDestroyedException("The person's key was destroyed.");
        }
        return seal(personKeys.computeIfAbsent(id, k -> newAesKey()), plaintext, associatedData);
    }

    @Override
    public byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData) {
        checkTenant(tenantId);
        String id = tenantId + "|" + personId;
        if (destroyed.contains(id)) {
            throw new KeyDestroyedException("The person's data was erased.");
        }
        SecretKey k = personKeys.get(id);
        if (k == null) {
            throw new DecryptionFailedException("The blob is not this person's.");
        }
        return open(k, blob, associatedData);
    }

    @Override
    public boolean erasePerson(String tenantId, String personId, String confirmation) {
        checkTenant(tenantId);
        if (!Objects.equals(personId, confirmation)) {
            throw new IllegalArgumentException("confirmation");
        }
        String id = tenantId + "|" + personId;
        SecretKey k = personKeys.remove(id);
        destroyed.add(id);
        return k != null;
    }

    @Override
    public byte[] blindIndex(String tenantId, String field, byte[] normalisedValue) {
        checkTenant(tenantId);
        Objects.requireNonNull(normalisedValue, "value");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKeys.computeIfAbsent(tenantId, k -> {
                byte[] raw = new byte[32];
                RANDOM.nextBytes(raw);
                return new SecretKeySpec(raw, "HmacSHA256");
            }));
            mac.update(field.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(normalisedValue);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public VaultStatus status() {
        return new VaultStatus(false, "test vault", "test");
    }

    private static SecretKey newAesKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            return g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            if (aad != null) {
                c.updateAAD(aad);
            }
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + nonce.length + ct.length).put((byte) 1).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] open(SecretKey key, byte[] blob, byte[] aad) {
        if (blob == null || blob.length < 1 + 12 + 16 || blob[0] != 1) {
            throw new DecryptionFailedException("Not a blob of this vault.");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOfRange(blob, 1, 13)));
            if (aad != null) {
                c.updateAAD(aad);
            }
            return c.doFinal(blob, 13, blob.length - 13);
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("The blob was changed, moved, or is another's.");
        }
    }
}
