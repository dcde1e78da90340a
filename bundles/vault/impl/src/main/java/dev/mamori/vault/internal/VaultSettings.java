package dev.mamori.vault.internal;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.mamori.platform.config.Placeholders;

/**
 * The vault's configuration (PID {@code dev.mamori.vault}) as plain values, so tests need no
 * annotation instance.
 *
 * @param escrow                where each cut-off writes the key escrow
 * @param reEncryptBatch        blobs per re-encryption batch
 * @param archivedRetentionDays how long an archived version is kept for older backups
 * @param escrowCopy            a second place for the escrow, or null
 */
record VaultSettings(Path escrow, int reEncryptBatch, int archivedRetentionDays, Path escrowCopy) {

    /** Vault configuration (PID dev.mamori.vault). */
    @ObjectClassDefinition(name = "Mamori vault", description = "Data keys, cut-offs and re-encryption.")
    public @interface Config {
        /** @return escrow file */
        @AttributeDefinition(description = "Key escrow written by every cut-off (keys wrapped, never in clear).")
        String escrow_file() default "${karaf.data}/mamori/vault/key-escrow";

        /** @return batch */
        @AttributeDefinition(description = "Blobs per re-encryption batch (one transaction each).", min = "1")
        int reencrypt_batch() default 500;

        /** @return days */
        @AttributeDefinition(description = "How long a version archived by re-encryption is kept for restoring older "
                + "backups, in days; longer than the oldest backup generation (6 months).", min = "1")
        int archived_retention_days() default 200;

        /** @return second escrow file */
        @AttributeDefinition(description = "A second place for the key escrow (another disk or a mounted backup "
                + "volume); empty for none. It holds only wrapped keys.", required = false)
        String escrow_copy() default "";

        /** @return filter */
        @AttributeDefinition(name = "keyProvider.target", description = "Which key provider the vault uses (LDAP filter on "
                + "vault.key.provider); a provider from another bundle is never used unless named here.")
        String keyProvider_target() default "(vault.key.provider=keystore)";
    }

    static VaultSettings of(Config c) {
        String copy = c.escrow_copy() == null ? "" : c.escrow_copy().trim();
        return new VaultSettings(Paths.get(Placeholders.expand(c.escrow_file())), c.reencrypt_batch(), c.archived_retention_days(),
                copy.isEmpty() ? null : Paths.get(Placeholders.expand(copy)));
    }
}
