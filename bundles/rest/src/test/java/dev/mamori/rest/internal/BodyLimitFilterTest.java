package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.rest.spi.RestConstants;

class BodyLimitFilterTest {
    private static final int LIMIT = 16;

    private static InputStream limited(int size) {
        return new BodyLimitFilter.Limited(new ByteArrayInputStream(new byte[size]), LIMIT);
    }

    @Test
    @DisplayName("SEC-10: a body of exactly the limit reads completely")
    void atLimit() throws IOException {
        assertEquals(LIMIT, limited(LIMIT).readAllBytes().length);
        InputStream in = limited(LIMIT);
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(0, in.read());
        }
        assertEquals(-1, in.read(), "end of stream is not counted as a byte");
        assertEquals(-1, in.read(new byte[4], 0, 4));
    }

    @Test
    @DisplayName("SEC-10: one byte past the limit throws TooLargeException (bulk reads)")
    void pastLimitBulk() {
        BodyLimitFilter.TooLargeException e = assertThrows(BodyLimitFilter.TooLargeException.class,
                () -> limited(LIMIT + 1).readAllBytes());
        assertEquals(LIMIT, e.limit);
        assertTrue(e instanceof IOException, "readers propagate it as an I/O failure");
        assertThrows(BodyLimitFilter.TooLargeException.class, () -> limited(10 * LIMIT).read(new byte[100], 0, 100));
    }

    @Test
    @DisplayName("SEC-10: one byte past the limit throws TooLargeException (byte by byte)")
    void pastLimitSingle() throws IOException {
        InputStream in = limited(LIMIT + 1);
        for (int i = 0; i < LIMIT; i++) {
            in.read();
        }
        assertThrows(BodyLimitFilter.TooLargeException.class, in::read);
    }

    @Test
    @DisplayName("SEC-10: skipped bytes count towards the limit")
    void skipCounts() throws IOException {
        InputStream in = limited(LIMIT + 4);
        in.skip(LIMIT);
        assertThrows(BodyLimitFilter.TooLargeException.class, () -> in.read());
        assertThrows(BodyLimitFilter.TooLargeException.class, () -> limited(LIMIT + 4).skip(LIMIT + 1));
    }

    @Test
    @DisplayName("SEC-10: reads in chunks add up across calls")
    void chunksAddUp() throws IOException {
        InputStream in = limited(LIMIT + 1);
        byte[] buf = new byte[LIMIT / 2];
        assertEquals(LIMIT / 2, in.read(buf, 0, buf.length));
        assertEquals(LIMIT / 2, in.read(buf, 0, buf.length));
        assertThrows(BodyLimitFilter.TooLargeException.class, () -> in.read(buf, 0, buf.length));
    }

    @Test
    @DisplayName("SEC-10: a declared Content-Length over the limit is refused at once with a 413 problem")
    void declaredTooLarge() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.length = LIMIT + 1;
        r.hasEntity = true;
        InputStream original = new ByteArrayInputStream(new byte[LIMIT + 1]);
        r.entity = original;
        new BodyLimitFilter(LIMIT).filter(r.context());
        assertEquals(413, r.aborted.getStatus());
        assertEquals(RestConstants.PROBLEM_JSON, r.aborted.getMediaType().toString());
        Problem p = (Problem) r.aborted.getEntity();
        assertEquals("urn:mamori:problem:payload-too-large", p.type);
        assertTrue(p.detail.contains(String.valueOf(LIMIT)), p.detail);
        assertSame(original, r.entity, "the body is not even wrapped");
    }

    @Test
    @DisplayName("SEC-10: a body without (or with a small) Content-Length is wrapped and cut off while streaming")
    void undeclaredIsWrapped() throws IOException {
        for (int declared : new int[] {-1, LIMIT}) {
            Jaxrs.Request r = new Jaxrs.Request();
            r.length = declared;
            r.hasEntity = true;
            r.entity = new ByteArrayInputStream(new byte[LIMIT * 4]);
            new BodyLimitFilter(LIMIT).filter(r.context());
            assertNull(r.aborted);
            assertTrue(r.entity instanceof BodyLimitFilter.Limited);
            InputStream wrapped = r.entity;
            assertThrows(BodyLimitFilter.TooLargeException.class, wrapped::readAllBytes);
        }
    }

    @Test
    @DisplayName("SEC-10: a request within the limit passes unchanged in content")
    void withinLimit() throws IOException {
        Jaxrs.Request r = new Jaxrs.Request();
        r.length = 3;
        r.hasEntity = true;
        r.entity = new ByteArrayInputStream(new byte[] {1, 2, 3});
        new BodyLimitFilter(LIMIT).filter(r.context());
        assertNull(r.aborted);
        assertArrayEquals(new byte[] {1, 2, 3}, r.entity.readAllBytes());
    }
}
