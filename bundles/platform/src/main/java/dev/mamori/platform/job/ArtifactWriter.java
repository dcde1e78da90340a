package dev.mamori.platform.job;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes an artifact's content as a stream, so that an export of any size passes through in
 * constant memory ({@link JobRun#writeArtifact(String, String, ArtifactWriter)}), and reads it back
 * the same way ({@link JobArtifactStore.Download}).
 *
 * @since 2.1
 */
@ConsumerType
@FunctionalInterface
public interface ArtifactWriter {
    /**
     * @param out where the content goes; not to be closed by the writer
     * @throws IOException if writing fails: nothing of it is kept
     */
    void writeTo(OutputStream out) throws IOException;
}
