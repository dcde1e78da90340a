package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Content-Type's charset is checked before anything reads the body (found by an outside attack: 500 and a stack trace)")
class KnownCharsetTest {
    @Test
    @DisplayName("no charset, or one Java knows, as token or quoted string: passes")
    void known() {
        for (String ok : new String[] {null, "application/json", "application/json; charset=UTF-8", "text/csv;charset=\"shift_jis\"",
            "text/plain; format=flowed; charset=windows-31j", "multipart/form-data; boundary=x"}) {
            assertTrue(ApiServlet.knownCharset(ok), ok);
        }
    }

    @Test
    @DisplayName("an unknown, empty, illegal or half-quoted charset: refused (415)")
    void unknown() {
        for (String bad : new String[] {"application/json; charset=foo", "application/json; charset=", "application/json; charset=\"",
            "application/json; charset=\"\"", "application/json; charset=ab cd", "application/json; CHARSET=*"}) {
            assertFalse(ApiServlet.knownCharset(bad), bad);
        }
    }
}
