package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.mamori.vault.VaultException;

/**
 * The key escrow a cut-off writes: every surviving data and person key, wrapped under the master
 * key version that the cut-off made current (never in clear). A database backup taken before the
 * cut-off holds its keys wrapped under destroyed versions; this file is what makes such a backup
 * usable again for everything that was not destroyed. One line per key, tab-separated:
 * {@code D|P, key id, version, tenant id, purpose|person id, master key id, wrapped (Base64)}.
 */
final class KeyEscrow {
    static final String MAGIC = "# mamori key escrow v1";
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9._+/=-]{1,600}");

    /** One escrowed key. {@code scope} is the purpose of a data key, the person id of a person key. */
    record Entry(char kind, String keyId, int version, String tenantId, String scope, String kekId, String wrapped) {
    }

    private KeyEscrow() {
    }

    static byte[] format(String kekId, Instant at, List<Entry> entries) {
        StringBuilder b = new StringBuilder(64 + entries.size() * 160);
        b.append(MAGIC).append('\n');
        b.append("# written ").append(at).append("; every key wrapped under master key ").append(kekId).append('\n');
        for (Entry e : entries) {
            b.append(e.kind()).append('\t').append(e.keyId()).append('\t').append(e.version()).append('\t')
                    .append(e.tenantId()).append('\t').append(e.scope()).append('\t').append(e.kekId()).append('\t')
                    .append(e.wrapped()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VaultException("escrow-invalid", "Cannot read key escrow " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new VaultException("escrow-invalid", file + " is not a Mamori key escrow.");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7 || f[0].length() != 1 || "DP".indexOf(f[0].charAt(0)) < 0) {
                throw new VaultException("escrow-invalid", "Key escrow " + file + " line " + (i + 1) + " is malformed.");
            }
            for (int j = 1; j < 7; j++) {
                if (!FIELD.matcher(f[j]).matches()) {
                    throw new VaultException("escrow-invalid", "Key escrow " + file + " line " + (i + 1) + " is malformed.");
                }
            }
            int version;
            try {
                version = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                throw new VaultException("escrow-invalid", "Key escrow " + file + " line " + (i + 1) + " is malformed.");
            }
            out.add(new Entry(f[0].charAt(0), f[1], version, f[3], f[4], f[5], f[6]));
        }
        return out;
    }
}
