package dev.mamori.records.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * Passphrase encryption of an export as an OpenPGP message (RFC 4880, kept by RFC 9580), written
 * by Bouncy Castle's OpenPGP library in constant memory: a symmetric-key session packet whose key
 * comes from the passphrase by iterated and salted SHA-256 (S2K count 65,011,712 bytes, the
 * format's most), then AES-256 with the integrity packet (MDC), holding one literal binary packet,
 * the ZIP. {@code gpg --decrypt} opens it, as do other OpenPGP tools (Kleopatra, GPG Suite,
 * Sequoia).
 */
final class OpenPgp {
    /** S2K iteration count code: 0xff means 65,011,712 bytes hashed. */
    static final int S2K_COUNT = 0xff;

    private OpenPgp() {
    }

    /** @return a stream that encrypts what is written into {@code out}; closing it ends the message, not {@code out} */
    static OutputStream encrypt(OutputStream out, char[] passphrase, String fileName, Date time) throws IOException {
        SecureRandom random = new SecureRandom();
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(random));
        try {
            generator.addMethod(new BcPBEKeyEncryptionMethodGenerator(passphrase,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256), S2K_COUNT).setSecureRandom(random));
            OutputStream shield = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            OutputStream encrypted = generator.open(shield, new byte[1 << 16]);
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream data = literal.open(encrypted, PGPLiteralData.BINARY, fileName, time, new byte[1 << 16]);
            return new FilterOutputStream(data) {
                private boolean closed;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        literal.close();
                        generator.close();
                    }
                }
            };
        } catch (PGPException e) {
            throw new IOException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
    }
}
