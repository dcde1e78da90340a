package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/**
 * Row of {@code mamori_vault_signing_key}: one version of an owner's Ed25519 key for a purpose.
 * The private seed only wrapped (bound to owner, purpose, key id, version and the public key); the
 * public key in clear. {@code tenantId} holds the owner: a tenant id, or {@code platform}.
 */
@Entity(name = "SigningKey")
@Table(name = "mamori_vault_signing_key")
@IdClass(DataKeyEntity.Pk.class)
public class SigningKeyEntity extends StoredKey {
    @Id
    @Column(name = "key_id", length = 36)
    String keyId;
    @Id
    @Column(name = "version")
    int version;
    @Column(name = "purpose", nullable = false)
    String purpose;
    /** Base64 of the raw 32-byte Ed25519 public key. */
    @Column(name = "public_key", nullable = false)
    String publicKey;
    /** When a newer version took over (the end of this one's validity for new signatures). */
    @Column(name = "retired_at")
    Long retiredAt;

    @Override
    Object primaryKey() {
        return new DataKeyEntity.Pk(keyId, version);
    }

    @Override
    byte[] wrapContext() {
        return SigningKeys.context(tenantId, purpose, keyId, version, publicKey);
    }
}
