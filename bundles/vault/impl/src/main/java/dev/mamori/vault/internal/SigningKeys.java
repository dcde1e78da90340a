package dev.mamori.vault.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultEvents;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.SigningKey;
import dev.mamori.vault.internal.crypto.Zeroize;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The holder of unwrapped signing keys (Ed25519), one per owner (a tenant, or
 * {@link VaultSigner#PLATFORM}) and purpose, with versions. Private seeds are stored only wrapped,
 * bound to owner, purpose, key id, version and the public key, so a public key changed in the
 * database no longer unwraps: every public key is authenticated this way (and re-derived from the
 * seed) before it verifies anything or is exported. Key creation, rotation and destruction take
 * the vault's one lock ({@link VaultKeys#lock}); re-wrapping, escrow and restore are the cut-offs'.
 */
@Component(service = SigningKeys.class)
public class SigningKeys {
    /** An authenticated public key, and what it belongs to. */
    private record Authentic(String owner, String purpose, byte[] publicKey, SigningKey.Verifier verifier) {
    }

    private final VaultKeys keys;
    /** The signing version of each owner|purpose. */
    private final Map<String, SigningKey> current = new ConcurrentHashMap<>();
    /** Public keys authenticated under the master key, by keyId|version. */
    private final Map<String, Authentic> verified = new ConcurrentHashMap<>();

    /** @param keys the vault's key holder: provider, lock, stores, events */
    @Activate
    public SigningKeys(@Reference VaultKeys keys) {
        this.keys = keys;
        keys.onForget(this::forget);
    }

    /** What a signing key is, bound into the wrapping of its seed: the public key included. */
    static byte[] context(String owner, String purpose, String keyId, int version, String publicKey) {
        return Aad.of("mamori signing key v1", owner, purpose, keyId, Integer.toString(version), publicKey);
    }

    // ---- who may use a key

    /**
     * A tenant's key signs only with that tenant bound, and never for a user or plugin of another
     * tenant; the platform's key only for the platform itself (SYSTEM) or an operator.
     */
    void checkSigner(String owner) {
        Objects.requireNonNull(owner, "owner");
        Optional<Principal> who = ExecutionContext.current().flatMap(ExecutionContext::principal);
        if (VaultSigner.PLATFORM.equals(owner)) {
            if (who.isEmpty() || (who.get().kind() != PrincipalKind.SYSTEM && who.get().kind() != PrincipalKind.OPERATOR)) {
                throw new VaultException(VaultErrors.SIGNING_REFUSED,
                        "The platform's signing keys sign only for the platform itself or an operator.");
            }
            return;
        }
        keys.checkTenant(owner);
        if (who.isPresent() && who.get().tenantId().map(t -> !t.equals(owner)).orElse(false)) {
            throw new VaultException(VaultErrors.SIGNING_REFUSED, "A tenant's signing keys sign only for that tenant.");
        }
    }

    /** Public keys are read (and signatures verified) in the owner's context, or by the platform for any owner. */
    void checkReader(String owner) {
        Objects.requireNonNull(owner, "owner");
        Optional<Principal> who = ExecutionContext.current().flatMap(ExecutionContext::principal);
        if (who.isPresent() && who.get().kind().isPlatform()) {
            return;
        }
        if (VaultSigner.PLATFORM.equals(owner)) {
            throw new VaultException(VaultErrors.SIGNING_REFUSED, "The platform's public keys are read by the platform.");
        }
        checkSigner(owner);
    }

    // ---- the service

    /** Signs with the owner's current key for the purpose, made on first use; the purpose must be declared. */
    VaultSignature sign(Set<SigningPurpose> declared, String owner, SigningPurpose purpose, byte[] message) {
        KeyProvider p = keys.unsealed();
        Objects.requireNonNull(purpose, "purpose");
        if (!declared.contains(purpose)) {
            throw new VaultException(VaultErrors.SIGNING_PURPOSE_UNDECLARED, "This bundle does not declare the signing purpose '"
                    + purpose + "' (manifest capability " + SigningPurpose.NAMESPACE + ").");
        }
        checkSigner(owner);
        Objects.requireNonNull(message, "message");
        SigningKey key = currentKey(owner, purpose.id(), p);
        return new VaultSignature(key.ref().keyId().toString(), key.ref().version(), key.sign(message));
    }

    boolean verify(String owner, SigningPurpose purpose, byte[] message, VaultSignature signature) {
        KeyProvider p = keys.unsealed();
        Objects.requireNonNull(purpose, "purpose");
        checkReader(owner);
        if (message == null || signature == null) {
            return false;
        }
        Authentic a = authentic(owner, purpose.id(), signature.keyId(), signature.version(), p);
        return a != null && a.verifier().verify(message, signature.signature());
    }

    List<SigningPublicKey> publicKeys(String owner, SigningPurpose purpose) {
        KeyProvider p = keys.unsealed();
        Objects.requireNonNull(purpose, "purpose");
        checkReader(owner);
        return exported(owner, purpose.id(), p);
    }

    // ---- the operator's side (VaultAdmin, the shell's ACL decides who)

    /** Every version that still verifies, of every purpose of the owner. */
    List<SigningPublicKey> allPublicKeys(String owner) {
        return exported(Objects.requireNonNull(owner, "owner"), null, keys.unsealed());
    }

    /** New version for the owner and purpose; the current one is RETIRED (it keeps verifying). */
    SigningPublicKey rotate(String owner, SigningPurpose purpose) {
        KeyProvider p = keys.unsealed();
        Objects.requireNonNull(owner, "owner");
        String pur = purpose.id();
        synchronized (keys.lock) {
            SigningKeyEntity now = activeRow(owner, pur).orElseThrow(() -> new VaultException(VaultErrors.NO_SIGNING_KEY,
                    "'" + owner + "' has no signing key for " + pur + "; its first signature makes one."));
            SigningKey next = SigningKey.generate(new KeyRef(UUID.fromString(now.keyId), now.version + 1));
            long at = keys.clock().millis();
            SigningKeyEntity row = newRow(next, owner, pur, p, at);
            keys.stores().tx(em -> {
                SigningKeyEntity old = em.find(SigningKeyEntity.class, now.primaryKey());
                old.state = VaultKeys.RETIRED;
                old.retiredAt = at;
                em.persist(row);
                em.flush();
                keys.emitSigning(VaultEvents.SIGNING_KEY_CREATED, owner, next.ref(), pur, row.kekId);
                keys.emitSigning(VaultEvents.SIGNING_KEY_ROTATED, owner, next.ref(), pur, row.kekId);
                return null;
            });
            current.put(slot(owner, pur), next);
            return publicKey(row, next.publicKey());
        }
    }

    /**
     * Destroys every signing key version of a shredded tenant; the caller holds the vault's lock and
     * forgets the tenant afterwards. The rows stay as the record (public key included).
     *
     * @return how many versions were destroyed
     */
    int destroyTenant(String tenantId, long at) {
        return keys.stores().tx(em -> {
            List<SigningKeyEntity> rows = em.createQuery("SELECT k FROM SigningKey k WHERE k.tenantId = :t AND k.state <> :d",
                    SigningKeyEntity.class).setParameter("t", tenantId).setParameter("d", VaultKeys.DESTROYED).getResultList();
            for (SigningKeyEntity row : rows) {
                row.destroy(at, false);
            }
            em.flush();
            for (SigningKeyEntity row : rows) {
                keys.emitSigning(VaultEvents.SIGNING_KEY_DESTROYED, tenantId, ref(row), row.purpose, null);
            }
            return rows.size();
        });
    }

    // ---- keys

    private SigningKey currentKey(String owner, String purpose, KeyProvider p) {
        String slot = slot(owner, purpose);
        SigningKey cached = current.get(slot);
        if (cached != null) {
            return cached;
        }
        synchronized (keys.lock) {
            cached = current.get(slot);
            if (cached != null) {
                return cached;
            }
            if (keys.shredded(owner) || destroyedExists(owner, purpose)) {
                throw new KeyDestroyedException("The signing keys of '" + owner + "' were destroyed.");
            }
            SigningKey key = activeRow(owner, purpose).map(r -> unwrap(r, p)).orElseGet(() -> create(owner, purpose, p));
            current.put(slot, key);
            if (keys.shredded(owner)) {
                current.remove(slot);
                throw new KeyDestroyedException("The signing keys of '" + owner + "' were destroyed.");
            }
            return key;
        }
    }

    private SigningKey create(String owner, String purpose, KeyProvider p) {
        SigningKey key = SigningKey.generate(KeyRef.random());
        SigningKeyEntity row = newRow(key, owner, purpose, p, keys.clock().millis());
        keys.stores().tx(em -> {
            em.persist(row);
            em.flush();
            keys.emitSigning(VaultEvents.SIGNING_KEY_CREATED, owner, key.ref(), purpose, row.kekId);
            return null;
        });
        return key;
    }

    private static SigningKeyEntity newRow(SigningKey key, String owner, String purpose, KeyProvider p, long at) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.keyId = key.ref().keyId().toString();
        e.version = key.ref().version();
        e.tenantId = owner;
        e.purpose = purpose;
        e.publicKey = Base64.getEncoder().encodeToString(key.publicKey());
        WrappedKey wrapped = key.wrapWith(p, e.wrapContext());
        e.kekId = wrapped.kekId();
        e.wrapped = VaultKeys.encoded(wrapped);
        e.state = VaultKeys.ACTIVE;
        e.createdAt = at;
        return e;
    }

    /**
     * Unwraps a row's seed (bound to its public key) and checks that the seed gives that public key:
     * a row whose public key or wrapped seed was changed fails here.
     */
    private static SigningKey unwrap(SigningKeyEntity row, KeyProvider p) {
        byte[] seed = p.unwrap(VaultKeys.stored(row.kekId, row.wrapped), row.wrapContext());
        try {
            SigningKey key = SigningKey.of(ref(row), seed);
            if (!Arrays.equals(key.publicKey(), Base64.getDecoder().decode(row.publicKey))) {
                throw new DecryptionFailedException("Signing key " + row.keyId + " v" + row.version + " does not match its public key.");
            }
            return key;
        } finally {
            Zeroize.wipe(seed);
        }
    }

    /**
     * The authenticated public key of one version, for its owner and purpose only: another owner's
     * or purpose's key, and a key that does not exist, are all "no key" (ownership before existence).
     */
    private Authentic authentic(String owner, String purpose, String keyId, int version, KeyProvider p) {
        String id = keyId + '|' + version;
        Authentic a = verified.get(id);
        if (a == null) {
            SigningKeyEntity row = keys.stores().tx(em -> em.find(SigningKeyEntity.class, new DataKeyEntity.Pk(keyId, version)));
            if (row == null || !row.tenantId.equals(owner) || !row.purpose.equals(purpose)) {
                return null;
            }
            a = authenticate(row, p);
        }
        return a.owner().equals(owner) && a.purpose().equals(purpose) ? a : null;
    }

    private Authentic authenticate(SigningKeyEntity row, KeyProvider p) {
        String id = row.keyId + '|' + row.version;
        Authentic a = verified.get(id);
        if (a != null) {
            return a;
        }
        if (VaultKeys.DESTROYED.equals(row.state)) {
            throw new KeyDestroyedException("Signing key " + row.keyId + " v" + row.version + " was destroyed.");
        }
        SigningKey key = unwrap(row, p);
        a = new Authentic(row.tenantId, row.purpose, key.publicKey(), key.verifier());
        if (!keys.shredded(row.tenantId)) {
            verified.put(id, a);
        }
        return a;
    }

    private List<SigningPublicKey> exported(String owner, String purpose, KeyProvider p) {
        List<SigningKeyEntity> rows = keys.stores().tx(em -> {
            javax.persistence.TypedQuery<SigningKeyEntity> q = em.createQuery("SELECT k FROM SigningKey k WHERE k.tenantId = :t "
                    + "AND k.state <> :d" + (purpose == null ? "" : " AND k.purpose = :p") + " ORDER BY k.purpose, k.version",
                    SigningKeyEntity.class).setParameter("t", owner).setParameter("d", VaultKeys.DESTROYED);
            return (purpose == null ? q : q.setParameter("p", purpose)).getResultList();
        });
        return rows.stream().map(r -> publicKey(r, authenticate(r, p).publicKey())).collect(Collectors.toList());
    }

    private static SigningPublicKey publicKey(SigningKeyEntity row, byte[] authentic) {
        return new SigningPublicKey(row.tenantId, SigningPurpose.of(row.purpose), row.keyId, row.version,
                KeyInfo.State.valueOf(row.state), authentic, Instant.ofEpochMilli(row.createdAt),
                row.retiredAt == null ? null : Instant.ofEpochMilli(row.retiredAt));
    }

    private Optional<SigningKeyEntity> activeRow(String owner, String purpose) {
        return keys.stores().tx(em -> rows(em, owner, purpose, VaultKeys.ACTIVE).stream().findFirst());
    }

    private boolean destroyedExists(String owner, String purpose) {
        return !keys.stores().tx(em -> rows(em, owner, purpose, VaultKeys.DESTROYED)).isEmpty();
    }

    private static List<SigningKeyEntity> rows(EntityManager em, String owner, String purpose, String state) {
        return em.createQuery("SELECT k FROM SigningKey k WHERE k.tenantId = :t AND k.purpose = :p AND k.state = :s "
                + "ORDER BY k.version DESC", SigningKeyEntity.class).setParameter("t", owner).setParameter("p", purpose)
                .setParameter("s", state).setMaxResults(1).getResultList();
    }

    static KeyRef ref(SigningKeyEntity row) {
        return new KeyRef(UUID.fromString(row.keyId), row.version);
    }

    private static String slot(String owner, String purpose) {
        return owner + '|' + purpose;
    }

    /** Unwrapped keys go with the master key they came from (null), or with their shredded tenant. */
    private void forget(String tenantId) {
        if (tenantId == null) {
            current.clear();
            verified.clear();
        } else {
            current.keySet().removeIf(s -> s.startsWith(tenantId + '|'));
            verified.values().removeIf(a -> a.owner().equals(tenantId));
        }
    }
}
