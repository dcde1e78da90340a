package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The key escrow a cut-off writes: every surviving data, signing and person key, wrapped under the master
 * key version that the cut-off made current (never in clear), and the master key versions destroyed
 * so far. A database backup taken before the cut-off holds its keys wrapped under destroyed
 * versions; this file is what makes such a backup usable again for everything that was not
 * destroyed. Tab-separated lines:
 * <pre>
 * # mamori key escrow v1
 * kek        &lt;master key id everything is wrapped under&gt;
 * destroyed  &lt;master key ids, comma-separated&gt;
 * D|P  key id  version  tenant id  purpose|person id  master key id  wrapped (Base64)
 * S    key id  version  owner  purpose  master key id  wrapped seed (Base64)  public key (Base64)  created  retired|-
 * seal       &lt;master key id&gt;  &lt;SHA-256 of every line above, wrapped by the key provider (Base64)&gt;
 * </pre>
 * The seal authenticates the file: only the key provider can make it (the digest is wrapped with
 * authenticated encryption under the master key), so a changed list of destroyed master keys, a
 * dropped or added line, or an escrow of another installation is refused before anything is restored.
 * A signing key line also holds what its row needs besides the wrapped seed (the public key, bound
 * into the wrapping, and its validity), so a signing key version missing from a restored backup is
 * put back: its signatures keep verifying and its version is never given to another key.
 */
final class KeyEscrow {
    static final String MAGIC = "# mamori key escrow v1";
    private static final Pattern FIELD = Pattern.compile("[^\\t\\r\\n,]{1,1000}");

    /**
     * One escrowed key. {@code scope} is the purpose of a data or signing key, the person id of a
     * person key; {@code signing} is there for signing keys only.
     */
    record Entry(char kind, String keyId, int version, String tenantId, String scope, String kekId, String wrapped,
            Signing signing) {
        Entry(char kind, String keyId, int version, String tenantId, String scope, String kekId, String wrapped) {
            this(kind, keyId, version, tenantId, scope, kekId, wrapped, null);
        }
    }

    /** What a signing key's row holds besides its wrapped seed. */
    record Signing(String publicKey, long createdAt, Long retiredAt) {
    }

    /** A whole escrow, with the bytes its seal covers. */
    record Contents(String kekId, Set<String> destroyedKekIds, List<Entry> entries, byte[] body, String sealKekId, String seal) {
    }

    private static final byte[] SEAL_CONTEXT = Aad.of("mamori key escrow seal v1");

    /** @return the body followed by its seal line */
    static byte[] seal(byte[] body, KeyProvider p) {
        WrappedKey w = p.wrap(sha256(body), SEAL_CONTEXT);
        String line = "seal\t" + check(w.kekId()) + "\t" + Base64.getEncoder().encodeToString(w.bytes()) + "\n";
        byte[] tail = line.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, out, body.length, tail.length);
        return out;
    }

    /**
     * @throws VaultException {@code escrow-invalid} if the seal is missing or does not match the
     *         content, {@code escrow-stale} if it was sealed under a master key the provider does not hold
     */
    static void verify(Contents c, KeyProvider p) {
        if (c.seal() == null) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "The key escrow has no seal; it cannot be trusted.");
        }
        byte[] digest;
        try {
            digest = p.unwrap(new WrappedKey(c.sealKekId(), Base64.getDecoder().decode(c.seal())), SEAL_CONTEXT);
        } catch (UnknownKeyException e) {
            throw new VaultException(VaultErrors.ESCROW_STALE, "The key escrow was sealed under master key " + c.sealKekId()
                    + ", which this key provider does not hold.");
        } catch (DecryptionFailedException | IllegalArgumentException e) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "The key escrow's seal is not valid; it cannot be trusted.");
        }
        if (!java.security.MessageDigest.isEqual(digest, sha256(c.body()))) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "The key escrow was changed after it was written; it cannot be trusted.");
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyEscrow() {
    }

    static byte[] format(String kekId, Instant at, List<Entry> entries, Collection<String> destroyedKekIds) {
        StringBuilder b = new StringBuilder(128 + entries.size() * 160);
        b.append(MAGIC).append('\n');
        b.append("# written ").append(at).append('\n');
        b.append("kek\t").append(check(kekId)).append('\n');
        b.append("destroyed\t");
        List<String> destroyed = new ArrayList<>(new TreeSet<>(destroyedKekIds));
        for (int i = 0; i < destroyed.size(); i++) {
            b.append(i == 0 ? "" : ",").append(check(destroyed.get(i)));
        }
        b.append('\n');
        for (Entry e : entries) {
            b.append(e.kind()).append('\t').append(check(e.keyId())).append('\t').append(e.version()).append('\t')
                    .append(check(e.tenantId())).append('\t').append(check(e.scope())).append('\t').append(check(e.kekId()))
                    .append('\t').append(check(e.wrapped()));
            if (e.signing() != null) {
                b.append('\t').append(check(e.signing().publicKey())).append('\t').append(e.signing().createdAt()).append('\t')
                        .append(e.signing().retiredAt() == null ? "-" : e.signing().retiredAt().toString());
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value that would break the line format is a bug: refuse to write rather than write an unreadable escrow. */
    private static String check(String field) {
        if (field == null || !FIELD.matcher(field).matches()) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "A key escrow field cannot hold '" + field + "'.");
        }
        return field;
    }

    static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "Cannot read key escrow " + file + ": " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int sealAt = text.lastIndexOf("\nseal\t");
        String sealLine = null;
        byte[] body = bytes;
        if (sealAt >= 0) {
            body = text.substring(0, sealAt + 1).getBytes(StandardCharsets.UTF_8);
            sealLine = text.substring(sealAt + 1).strip();
        }
        List<String> lines = new String(body, StandardCharsets.UTF_8).lines().collect(java.util.stream.Collectors.toList());
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, file + " is not a Mamori key escrow.");
        }
        String kek = null;
        Set<String> destroyed = null;
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length == 2 && f[0].equals("kek") && kek == null && FIELD.matcher(f[1]).matches()) {
                kek = f[1];
            } else if (f.length == 2 && f[0].equals("destroyed") && destroyed == null) {
                destroyed = new TreeSet<>(f[1].isEmpty() ? List.of() : Arrays.asList(f[1].split(",")));
            } else {
                out.add(entry(f, file, i));
            }
        }
        if (kek == null || destroyed == null) {
            throw new VaultException(VaultErrors.ESCROW_INVALID, "Key escrow " + file + " lacks its kek or destroyed line.");
        }
        String sealKek = null;
        String seal = null;
        if (sealLine != null) {
            String[] f = sealLine.split("\t", -1);
            if (f.length != 3 || !FIELD.matcher(f[1]).matches() || !FIELD.matcher(f[2]).matches()) {
                throw new VaultException(VaultErrors.ESCROW_INVALID, "Key escrow " + file + " has a malformed seal.");
            }
            sealKek = f[1];
            seal = f[2];
        }
        return new Contents(kek, destroyed, out, body, sealKek, seal);
    }

    private static Entry entry(String[] f, Path file, int i) {
        VaultException malformed = new VaultException(VaultErrors.ESCROW_INVALID, "Key escrow " + file + " line " + (i + 1) + " is malformed.");
        boolean signing = f.length == 10 && f[0].equals("S");
        if (!signing && (f.length != 7 || f[0].length() != 1 || "DP".indexOf(f[0].charAt(0)) < 0)) {
            throw malformed;
        }
        for (int j = 1; j < f.length; j++) {
            if (!FIELD.matcher(f[j]).matches()) {
                throw malformed;
            }
        }
        try {
            return new Entry(f[0].charAt(0), f[1], Integer.parseInt(f[2]), f[3], f[4], f[5], f[6], !signing ? null
                    : new Signing(f[7], Long.parseLong(f[8]), f[9].equals("-") ? null : Long.valueOf(f[9])));
        } catch (NumberFormatException e) {
            throw malformed;
        }
    }
}
