package dev.mamori.platform.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    @DisplayName("EXT-3: codes are lower-case words; the platform's codes are unique")
    void codes() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ErrorCode.of("Bad_Code", ErrorKind.INVALID, "t"));
        assertThrows(IllegalArgumentException.class, () -> ErrorCode.of("ok", ErrorKind.INVALID, ""));
        Set<String> seen = new HashSet<>();
        for (Field f : PlatformErrors.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ErrorCode.class) {
                assertTrue(seen.add(((ErrorCode) f.get(null)).code()), "duplicate " + f.getName());
            }
        }
        assertTrue(seen.size() > 10);
    }

    @Test
    @DisplayName("EXT-3: the typed error is found however deep a framework wrapped it")
    void findInCauseChain() {
        MamoriException e = new MamoriException(PlatformErrors.FORBIDDEN, "no");
        RuntimeException wrapped = new RuntimeException(new IllegalStateException(e));
        assertSame(e, MamoriException.find(wrapped).orElseThrow());
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
        assertTrue(MamoriException.find(new RuntimeException("plain")).isEmpty());
    }
}
