package dev.mamori.records.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The export's ZIP, written entry by entry in constant memory (ZIP64 where it needs it, as
 * {@link ZipOutputStream} does); each entry's size and SHA-256 are counted while it is written, and
 * the last entry, {@value #MANIFEST}, lists them all.
 */
final class ExportArchive {
    static final String MANIFEST = "manifest.json";
    private final ZipOutputStream zip;
    private final long time;
    private final List<Map<String, Object>> files = new ArrayList<>();
    private boolean open;

    /** @param out where the ZIP goes (not closed) @param time the entries' modification time, epoch ms */
    ExportArchive(OutputStream out, long time) {
        this.zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, StandardCharsets.UTF_8);
        this.time = time;
    }

    /** @return a stream for the next entry; close it to end the entry */
    OutputStream entry(String path) throws IOException {
        if (open) {
            throw new IllegalStateException("An entry is still open.");
        }
        ZipEntry e = new ZipEntry(path);
        e.setTime(time);
        zip.putNextEntry(e);
        open = true;
        MessageDigest sha = sha256();
        return new OutputStream() {
            private long size;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sha.update(b, off, len);
                zip.write(b, off, len);
                size += len;
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    zip.closeEntry();
                    open = false;
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("path", path);
                    f.put("size", size);
                    f.put("sha256", HexFormat.of().formatHex(sha.digest()));
                    files.add(f);
                }
            }
        };
    }

    /**
     * Writes the manifest ({@code header} then {@code files}) and ends the ZIP.
     *
     * @return the manifest's SHA-256
     */
    String finish(Map<String, Object> header) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>(header);
        manifest.put("files", files);
        byte[] bytes;
        try {
            bytes = PayloadSchemas.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        ZipEntry e = new ZipEntry(MANIFEST);
        e.setTime(time);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
        zip.finish();
        zip.flush();
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** @return one JSON Lines line */
    static byte[] line(Object value) throws IOException {
        byte[] json = PayloadSchemas.JSON.writeValueAsBytes(value);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
