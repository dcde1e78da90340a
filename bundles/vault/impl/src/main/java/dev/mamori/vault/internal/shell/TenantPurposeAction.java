package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Option;

import dev.mamori.vault.KeyPurpose;

/** Base of the vault commands that act on one tenant's key of one purpose. */
abstract class TenantPurposeAction extends TenantVaultAction {
    @Option(name = "--purpose", description = "records, attachments, backup or audit (default records).")
    String purpose = KeyPurpose.RECORDS.id();

    /** @return the purpose option, checked (an unknown one is the operator's one-line error) */
    KeyPurpose purpose() {
        return KeyPurpose.fromId(purpose);
    }
}
