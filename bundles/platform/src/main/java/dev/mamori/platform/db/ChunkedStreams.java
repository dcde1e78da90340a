package dev.mamori.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A stream kept as numbered chunk rows (an attachment, an import, an export): written and read one
 * chunk at a time, so any size passes in constant memory on H2 and PostgreSQL alike. What a chunk
 * row is — table, key, transaction — is the caller's; this cuts and joins.
 *
 * @since 2.2
 */
public final class ChunkedStreams {
    private ChunkedStreams() {
    }

    /** Stores one chunk. */
    @FunctionalInterface
    public interface ChunkSink {
        /**
         * @param seq    0, 1, 2, ...
         * @param data   a buffer the sink must not keep (copy what it stores)
         * @param length bytes of it that count
         * @throws IOException if it cannot be stored
         */
        void write(int seq, byte[] data, int length) throws IOException;
    }

    /** Reads one chunk. */
    @FunctionalInterface
    public interface ChunkSource {
        /**
         * @param seq 0, 1, 2, ...
         * @return the chunk, or null past the last one
         * @throws IOException if it cannot be read
         */
        byte[] read(int seq) throws IOException;
    }

    /**
     * @param chunkSize bytes per chunk (the last may be shorter)
     * @param sink      stores each full chunk as it fills, the last one on close
     * @return a stream that cuts what is written into chunks
     */
    public static OutputStream writer(int chunkSize, ChunkSink sink) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize < 1");
        }
        return new OutputStream() {
            private final byte[] buffer = new byte[chunkSize];
            private int filled;
            private int seq;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, chunkSize - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == chunkSize) {
                        sink.write(seq++, buffer, filled);
                        filled = 0;
                    }
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    if (filled > 0) {
                        sink.write(seq++, buffer, filled);
                    }
                }
            }
        };
    }

    /**
     * @param source reads chunk 0, 1, ... until it answers null
     * @return the chunks joined, read one at a time
     */
    public static InputStream reader(ChunkSource source) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private int seq;
            private boolean done;

            private boolean fill() throws IOException {
                while (!done && pos == current.length) {
                    byte[] next = source.read(seq++);
                    if (next == null) {
                        done = true;
                    } else {
                        current = next;
                        pos = 0;
                    }
                }
                return pos < current.length;
            }

            @Override
            public int read() throws IOException {
                return fill() ? current[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
