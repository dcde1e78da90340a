package dev.mamori.platform.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;

import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/** SSH encodings of an EC P-256 key pair, with Bouncy Castle: what Karaf's key realm and its SSH client read. */
final class SshKeys {
    private SshKeys() {
    }

    /** @return the public key in SSH wire format, Base64, as {@code etc/keys.properties} holds it */
    static String publicKeyBase64(PublicKey key) throws IOException {
        return Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(PublicKeyFactory.createKey(key.getEncoded())));
    }

    /** @return the private key as SEC 1 PEM ({@code BEGIN EC PRIVATE KEY}) with its curve, which SSH clients read natively */
    static String privateKeyPem(KeyPair pair) throws IOException {
        BigInteger d = ((ECPrivateKey) pair.getPrivate()).getS();
        DERBitString publicPoint = new DERBitString(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData().getOctets());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, publicPoint,
                SECObjectIdentifiers.secp256r1);
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sec1.getEncoded());
        return "-----BEGIN EC PRIVATE KEY-----\n" + b64 + "\n-----END EC PRIVATE KEY-----\n";
    }
}
