package dev.mamori.platform.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates the first-start TLS identity: an ECDSA P-256 key and a self-signed certificate made
 * with Bouncy Castle, in a PKCS#12 keystore. Meant for the zero-setup default only; production
 * points the HTTPS connector at a real certificate.
 */
final class SelfSignedKeystore {
    static final String ALIAS = "mamori";

    private SelfSignedKeystore() {
    }

    /**
     * @param target    keystore file to create (must not exist)
     * @param hostnames DNS names and IP addresses for the subjectAltName
     * @param validity  certificate lifetime
     * @param now       issue time
     * @return the generated keystore password
     */
    static char[] create(Path target, List<String> hostnames, Duration validity, Instant now)
            throws IOException, GeneralSecurityException {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = kpg.generateKeyPair();

        X500Name subject = new X500Name("CN=" + hostnames.get(0) + ",O=Mamori self-signed");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(1, Secrets.bytes(16)), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(validity)), subject, pair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String h : hostnames) {
            boolean ip = h.matches("[0-9.]+") || h.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }

        char[] password = Secrets.password(32);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new X509Certificate[] {cert});
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Secrets.writeOwnerOnly(tmp, new byte[0]);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return password;
    }
}
