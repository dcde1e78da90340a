package dev.mamori.records;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's export (BAK-5): everything the tenant holds — categories and schemas, records (the
 * trash too), attachments, users with their personal data, its audit log with checkpoints — as one
 * ZIP streamed into a job artifact, with a manifest of SHA-256 hashes; optionally encrypted with a
 * passphrase as an OpenPGP message (RFC 4880/9580, AES-256, {@code gpg --decrypt} opens it). Only the
 * tenant's own accounts download it, never operators or support.
 *
 * @since 1.1
 */
@ProviderType
public interface ExportService {
    /** The artifact of an export without a passphrase. */
    String ZIP = "export.zip";
    /** The artifact of an export with a passphrase. */
    String ENCRYPTED_ZIP = "export.zip.gpg";
    /** Shortest passphrase. */
    int MIN_PASSPHRASE = 12;
    /** Longest passphrase. */
    int MAX_PASSPHRASE = 256;

    /**
     * Starts an export of the bound tenant. A tenant admin's export holds everything; an operator's
     * (the shell, e.g. at a contract's end) leaves personal data out (OPS-2: the platform never
     * decrypts it), and says so in its manifest.
     *
     * @param request the passphrase, if any
     * @return the export and its job
     * @throws dev.mamori.platform.error.MamoriException 403 for anyone but a tenant admin; 400 for a passphrase
     *         shorter than {@value #MIN_PASSPHRASE} or longer than {@value #MAX_PASSPHRASE} characters; 409
     *         {@code export-in-progress} while another export of the tenant is open (one at a time)
     */
    RecordExport start(ExportRequest request);

    /**
     * An operator starts a tenant's export (the shell, e.g. at a contract's end), reaching the tenant
     * with the platform purpose {@code records.export} (an event): no passphrase, no personal data;
     * only the tenant's own admins download it.
     *
     * @param tenantIdOrSlug the tenant
     * @return the export and its job
     * @throws dev.mamori.platform.error.MamoriException 403 for anyone but an operator; 404 for an unknown tenant
     */
    RecordExport startForTenant(String tenantIdOrSlug);
}
