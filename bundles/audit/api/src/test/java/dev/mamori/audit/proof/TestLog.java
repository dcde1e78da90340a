package dev.mamori.audit.proof;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** A random signed log as the server would store it (rows and checkpoints), and ways to feed it to the verifiers. */
final class TestLog {
    /** A stored row: its index, its canonical bytes and the leaf hash stored beside them. */
    record Row(long index, byte[] canonical, byte[] stored) {
        static Row of(long index, byte[] canonical) {
            return new Row(index, canonical, MerkleTree.leafHash(canonical));
        }
    }

    /** A stored checkpoint: the size it is filed under and its signed note. */
    record Cp(long size, String note) {
    }

    /** An Ed25519 note key. */
    record Signer(String name, KeyPair pair, int hash, String verifierKey) {
        static Signer create(String name) {
            try {
                KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] enc = kp.getPublic().getEncoded();
                byte[] raw = Arrays.copyOfRange(enc, enc.length - 32, enc.length);
                int hash = SignedNote.keyHash(name, raw);
                byte[] typed = new byte[33];
                typed[0] = 1;
                System.arraycopy(raw, 0, typed, 1, 32);
                return new Signer(name, kp, hash, name + "+" + String.format("%08x", hash) + "+" + Base64.getEncoder().encodeToString(typed));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String sign(String text) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(pair.getPrivate());
                s.update(text.getBytes(StandardCharsets.UTF_8));
                return SignedNote.format(text, name, hash, s.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String sign(Checkpoint c) {
            return sign(c.body());
        }
    }

    final String log;
    final String origin;
    /** The log's keys, all named by its origin; the last signs the newest checkpoints. */
    final List<Signer> signers = new ArrayList<>();
    final Signer signer;
    final List<Row> rows = new ArrayList<>();
    final List<Cp> cps = new ArrayList<>();
    final List<byte[]> leaves = new ArrayList<>();
    /** A checkpoint of the whole log, signed but kept outside it (a tenant's copy). */
    final String headNote;

    /**
     * @param seed the randomness
     * @param n    entries
     * @param gap  mean distance between checkpoints
     * @param keys how many keys sign the checkpoints in turn (a key rotation halfway if two)
     */
    TestLog(long seed, int n, int gap, int keys) {
        this(seed, n, gap, keys, true);
    }

    /** @param withFinal whether the log's own checkpoints end with one over all of it (as the server's do before an export) */
    TestLog(long seed, int n, int gap, int keys, boolean withFinal) {
        Random r = new Random(seed);
        log = new UUID(r.nextLong(), r.nextLong()).toString();
        origin = "mamori.local/audit/" + log;
        for (int k = 0; k < keys; k++) {
            signers.add(Signer.create(origin));
        }
        signer = signers.get(0);
        MerkleFrontier f = MerkleFrontier.empty();
        long nextCp = gap / 2 + r.nextInt(gap);
        for (int i = 0; i < n; i++) {
            Row row = Row.of(i, CanonicalEntry.canonical(log, i, event(r)));
            rows.add(row);
            leaves.add(row.stored());
            f.append(row.stored());
            if (f.size() == nextCp && nextCp < n) {
                Signer s = signers.get((int) ((long) i * keys / n));
                cps.add(new Cp(nextCp, s.sign(checkpoint(f.size(), f.root()))));
                nextCp += gap / 2 + r.nextInt(gap);
            }
        }
        headNote = signers.get(keys - 1).sign(checkpoint(n, f.root()));
        if (withFinal && n > 0) {
            // as the server keeps it: a checkpoint over the whole log before it is verified or exported
            cps.add(new Cp(n, headNote));
        }
    }

    /** @return the verifier keys of all the log's signers */
    List<String> keys() {
        return signers.stream().map(Signer::verifierKey).toList();
    }

    Checkpoint checkpoint(long size, byte[] root) {
        return new Checkpoint(origin, size, root, List.of("time 2024-05-01T12:00:00Z"));
    }

    /** @return a small event as JCS writes it, with a nested "index" key to mislead a naive reader */
    static String event(Random r) {
        String[] actions = {"user.login", "vault.read", "tenant.update", "job.run"};
        return "{\"action\":\"" + actions[r.nextInt(actions.length)] + "\",\"details\":{\"index\":" + r.nextInt(1000) + ",\"note\":\"q\\\"\\\\ "
                + Integer.toHexString(r.nextInt()) + "\"},\"ok\":" + r.nextBoolean() + ",\"who\":\"\u00e9\u6f22" + r.nextInt(50) + "\"}";
    }

    /** @param i an index @return the size of the log's last checkpoint at or before it, 0 if none */
    long lastCheckpointAtOrBefore(long i) {
        long best = 0;
        for (Cp c : cps) {
            if (c.size() <= i) {
                best = c.size();
            }
        }
        return best;
    }

    /**
     * Feeds rows the way the server does: each checkpoint (by the size it is filed under) before the
     * row of that index, externals first.
     */
    static LogVerifier.Result feed(LogVerifier v, List<Row> rows, List<Cp> cps, List<String> externals, long declared) {
        externals.forEach(v::externalCheckpoint);
        int c = 0;
        for (Row row : rows) {
            while (c < cps.size() && cps.get(c).size() <= row.index()) {
                v.checkpoint(cps.get(c++).note());
            }
            if (!v.entry(row.index(), row.canonical(), row.stored())) {
                break;
            }
        }
        while (c < cps.size()) {
            v.checkpoint(cps.get(c++).note());
        }
        return v.finish(declared);
    }

    LogVerifier.Result verifyRows(List<Row> rs, List<Cp> cs, List<String> externals, long declared, String... keys) {
        return feed(new LogVerifier(log, origin, keys.length == 0 ? keys() : List.of(keys)), rs, cs, externals, declared);
    }

    /** @return the export of rows from {@code from} (each checkpoint right after the entry before its size) */
    List<String> export(long from, List<byte[]> peaks, List<Row> rs, List<Cp> cs, long size) {
        List<String> out = new ArrayList<>();
        out.add(ExportWriter.header(log, origin, from, peaks, keys()));
        int c = 0;
        for (Row row : rs) {
            while (c < cs.size() && cs.get(c).size() <= row.index()) {
                out.add(ExportWriter.checkpoint(cs.get(c).size(), cs.get(c++).note()));
            }
            out.add(ExportWriter.entry(row.index(), row.canonical()));
        }
        while (c < cs.size()) {
            out.add(ExportWriter.checkpoint(cs.get(c).size(), cs.get(c++).note()));
        }
        out.add(ExportWriter.trailer(rs.size(), size));
        return out;
    }

    List<String> export() {
        return export(0, List.of(), rows, cps, rows.size());
    }

    static LogVerifier.Result verifyExport(List<String> lines, List<String> externals, String... keys) {
        try {
            return ExportVerifier.verify(new StringReader(String.join("\n", lines) + "\n"), List.of(keys), externals);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
