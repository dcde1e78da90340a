package dev.mamori.records;

/**
 * What an export is asked for with.
 *
 * @param passphrase encrypts the ZIP as an OpenPGP message when given; never stored in clear (the job
 *                   keeps it encrypted by the vault under the tenant's key)
 * @since 1.1
 */
public record ExportRequest(String passphrase) {
    /** @return the request, without showing the passphrase */
    @Override
    public String toString() {
        return "ExportRequest[passphrase=" + (passphrase == null ? "none" : "***") + "]";
    }
}
