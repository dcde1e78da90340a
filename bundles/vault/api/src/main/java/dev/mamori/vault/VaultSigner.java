package dev.mamori.vault;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Ed25519 signatures under keys that never leave the vault (CRY-3), for what must be provable
 * offline: the audit log's checkpoints (C2SP signed notes). Each owner — a tenant, or the
 * {@linkplain #PLATFORM platform} for its own records — has one key per {@link SigningPurpose},
 * created on first use, stored only wrapped under the master key like a data key (re-wrapped by
 * master-key rotations and cut-offs, escrowed, destroyed when the tenant is shredded). Rotation
 * makes a new version sign; older versions keep verifying and their public keys stay exportable.
 *
 * <p><b>Who may sign.</b> The service is bundle-scoped: the instance a bundle gets signs only for the
 * purposes that bundle {@linkplain SigningPurpose declares} in its manifest
 * ({@code signing-purpose-undeclared} otherwise); handing the instance to other code hands over
 * those purposes. A tenant's key signs only inside that tenant's context (the tenant bound, and a
 * user or plugin acting only for its own tenant); the platform's key only for the platform itself or
 * an operator ({@code SYSTEM} or {@code OPERATOR} principal), never for a tenant's user.
 * <b>Who may verify and read public keys:</b> the owner's context, and the platform (operators,
 * support, the platform itself) for every owner; no declaration is needed. Sealed means every call
 * fails with {@link VaultSealedException}.
 */
@ProviderType
public interface VaultSigner {
    /**
     * The owner of the platform's own signing keys (the platform's audit log). Tenant ids are UUIDs,
     * so no tenant is ever named so; it is the key owner the vault already uses for platform
     * accounts' secrets.
     */
    String PLATFORM = "platform";

    /**
     * Signs with the current version of the owner's key for the purpose, creating it on first use.
     *
     * @param owner   the bound tenant's id, or {@link #PLATFORM}
     * @param purpose a purpose this bundle declares
     * @param message the bytes to sign (a signed note's text); Ed25519 signs them as they are
     * @return the signature, naming the key version that made it
     * @throws VaultException                 {@code signing-purpose-undeclared} if the calling bundle does not declare
     *                                        the purpose, {@code signing-refused} for the platform's key outside the
     *                                        platform's context or a tenant's key for a principal of another tenant
     *                                        (a tenant's {@code NoTenantContextException} if {@code owner} is a tenant
     *                                        that is not the bound one)
     * @throws KeyDestroyedException          if the owner's keys were shredded
     */
    VaultSignature sign(String owner, SigningPurpose purpose, byte[] message);

    /**
     * @param owner     a tenant id, or {@link #PLATFORM}
     * @param purpose   the purpose the signature was made for
     * @param message   the signed bytes
     * @param signature a signature of {@link #sign}
     * @return whether it is a valid signature of {@code message} by that version of the owner's key for the purpose;
     *         false also for a key of another owner or purpose or one that never existed
     * @throws KeyDestroyedException if that version was destroyed (the owner was shredded)
     */
    boolean verify(String owner, SigningPurpose purpose, byte[] message, VaultSignature signature);

    /**
     * @param owner   a tenant id, or {@link #PLATFORM}
     * @param purpose a purpose
     * @return every version that still verifies (ACTIVE and RETIRED), oldest first, each authenticated
     *         under the master key before it is returned; empty if the owner never signed for the purpose
     */
    List<SigningPublicKey> publicKeys(String owner, SigningPurpose purpose);

    /** @return the purposes the calling bundle declares, the only ones it can sign for */
    Set<SigningPurpose> declaredPurposes();
}
