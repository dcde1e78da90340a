package dev.mamori.audit.proof;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream at {@code '\n'} and decodes each line as strict UTF-8 on its own: a
 * reader decodes ahead, so it reports a malformed byte lines before the one that holds it.
 */
final class Utf8Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int at;
    private int end;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * @return the next line without its {@code '\n'}, null at the end
     * @throws java.nio.charset.CharacterCodingException if that line is not UTF-8
     * @throws IOException                               if the stream cannot be read
     */
    String readLine() throws IOException {
        line.reset();
        while (true) {
            if (at == end) {
                end = in.read(buffer);
                at = 0;
                if (end <= 0) {
                    end = 0;
                    return line.size() == 0 ? null : decode();
                }
            }
            int start = at;
            while (at < end && buffer[at] != '\n') {
                at++;
            }
            line.write(buffer, start, at - start);
            if (at < end) {
                at++;
                return decode();
            }
        }
    }

    private String decode() throws IOException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line.toByteArray())).toString();
    }
}
