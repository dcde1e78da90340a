package dev.mamori.audit.proof;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A log checkpoint in the C2SP {@code tlog-checkpoint} form: the origin (the log's name), the tree
 * size in decimal, the tree head in base64, one per line, then optional extension lines; signed as
 * a C2SP signed note ({@link SignedNote}). What a tenant keeps to prove later that nothing before
 * it was rewritten.
 *
 * @param origin     the log's unique name, e.g. {@code mamori.example/audit/<tenant>}
 * @param size       entries in the tree
 * @param root       the tree head (32 bytes)
 * @param extensions further lines, none empty
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {
    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

    /** Validates. */
    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("A checkpoint's origin is one non-empty line.");
        }
        if (size < 0) {
            throw new IllegalArgumentException("A tree size is not negative.");
        }
        if (root == null || root.length != MerkleTree.HASH_SIZE) {
            throw new IllegalArgumentException("A tree head is 32 bytes.");
        }
        root = root.clone();
        extensions = List.copyOf(Objects.requireNonNull(extensions, "extensions"));
        for (String e : extensions) {
            if (e.isEmpty() || e.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("A checkpoint's extension is one non-empty line.");
            }
        }
    }

    /** @param origin the log @param size entries @param root tree head @return a checkpoint without extensions */
    public static Checkpoint of(String origin, long size, byte[] root) {
        return new Checkpoint(origin, size, root, List.of());
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** @return the note text that is signed: every line ending in a newline */
    public String body() {
        StringBuilder b = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(root)).append('\n');
        extensions.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }

    /**
     * @param body a checkpoint's text, as {@link #body()} writes it
     * @return the checkpoint
     * @throws IllegalArgumentException if it is not exactly that form (no leniency: what is verified is what is read)
     */
    public static Checkpoint parse(String body) {
        if (body == null || !body.endsWith("\n")) {
            throw new IllegalArgumentException("A checkpoint ends with a newline.");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3 || !SIZE.matcher(lines[1]).matches()) {
            throw new IllegalArgumentException("A checkpoint is an origin, a decimal size and a base64 tree head.");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A checkpoint's tree head is base64.", e);
        }
        if (!Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            throw new IllegalArgumentException("A checkpoint's tree head is canonical base64.");
        }
        List<String> ext = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            ext.add(lines[i]);
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), root, ext);
    }

    /**
     * Where a note that may be forged says it belongs, to report it there.
     *
     * @param note a signed note, verified or not
     * @return the size its checkpoint text claims, -1 if it claims none
     */
    static long claimedSize(String note) {
        int split = note == null ? -1 : note.lastIndexOf("\n\n");
        String[] lines = split < 0 ? new String[0] : note.substring(0, split).split("\n", -1);
        try {
            return lines.length >= 2 && SIZE.matcher(lines[1]).matches() ? Long.parseLong(lines[1]) : -1;
        } catch (NumberFormatException e) {
            return -1; // 19 digits past Long.MAX_VALUE
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint && ((Checkpoint) o).body().equals(body());
    }

    @Override
    public int hashCode() {
        return body().hashCode();
    }

    @Override
    public String toString() {
        return body();
    }
}
