package dev.mamori.platform.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Chunked streams: cut into numbered chunks of a fixed size and joined back, for any length")
class ChunkedStreamsTest {
    @Test
    @DisplayName("lengths around the chunk size come back byte for byte, in chunks of the size but the last")
    void roundTrips() throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 9, 10, 11, 29, 30, 31, 1000}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            List<byte[]> rows = new ArrayList<>();
            try (OutputStream out = ChunkedStreams.writer(10, (seq, chunk, n) -> {
                assertEquals(rows.size(), seq, "numbered in order");
                rows.add(Arrays.copyOf(chunk, n));
            })) {
                // odd write sizes, single bytes too
                for (int off = 0; off < length; off += 7) {
                    if (off % 2 == 0) {
                        out.write(data, off, Math.min(7, length - off));
                    } else {
                        for (int i = off; i < Math.min(off + 7, length); i++) {
                            out.write(data[i]);
                        }
                    }
                }
                out.close(); // closing twice writes nothing more
            }
            assertEquals((length + 9) / 10, rows.size(), "chunks for " + length);
            for (int i = 0; i < rows.size() - 1; i++) {
                assertEquals(10, rows.get(i).length);
            }
            try (InputStream in = ChunkedStreams.reader(seq -> seq < rows.size() ? rows.get(seq) : null)) {
                assertArrayEquals(data, in.readAllBytes(), "length " + length);
            }
        }
    }

    @Test
    @DisplayName("an empty chunk in the middle is skipped, not read as the end; a chunk size below 1 is refused")
    void edges() throws Exception {
        List<byte[]> rows = List.of(new byte[] {1, 2}, new byte[0], new byte[] {3});
        try (InputStream in = ChunkedStreams.reader(seq -> seq < rows.size() ? rows.get(seq) : null)) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> ChunkedStreams.writer(0, (seq, chunk, n) -> { }));
    }
}
