package dev.mamori.vault.internal.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes secrets to files: owner-only (0600, directories it creates 0700), durable (fsync of
 * file and directory) and atomic (a temporary file in the same directory, then a rename or a
 * hard link), so a crash leaves either the old or the new file, never half of one. On a file
 * system without POSIX permissions the platform's default protection applies.
 */
public final class SecureFiles {
    /** Read and write for the owner only. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /**
     * Replaces (or creates) {@code target} atomically with {@code content}.
     *
     * @param target  the file
     * @param content what it should hold
     * @throws IOException if it cannot be written; the old file, if any, is then unchanged
     */
    public static void replace(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Creates {@code target} with {@code content}, atomically, only if it does not exist yet.
     *
     * @param target  the file
     * @param content what it should hold
     * @throws FileAlreadyExistsException if it exists (then it is left as it is)
     * @throws IOException                if it cannot be written
     */
    public static void create(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /**
     * @param path a file or directory
     * @return whether its file system has POSIX permissions
     */
    public static boolean posix(Path path) {
        try {
            return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path target, byte[] content, boolean replace) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, posixAttributes(dir.getRoot(), OWNER_ONLY_DIR));
        }
        boolean posix = posix(dir);
        Path tmp = posix
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            if (replace) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    // link(2) fails atomically when the name is taken, unlike a check and a rename
                    Files.createLink(file, tmp);
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file);
                }
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAttribute<?>[] posixAttributes(Path probe, Set<PosixFilePermission> perms) {
        return probe != null && posix(probe)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
                : new FileAttribute<?>[0];
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not possible on every platform (Windows); the rename itself is still atomic
        }
    }
}
