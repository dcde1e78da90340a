package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.platform.error.MamoriException;

@DisplayName("MailText: one line for headers, one plain address for a recipient (SEC-8)")
class MailTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: x@y.example", "a\nb", "a\rb", "a\u2028b", "a\u0085b", "a\u202eb", "a\tb", "a\u0000b"})
    @DisplayName("every line break, control and format character becomes one space")
    void oneLine(String s) {
        String t = MailText.oneLine(s, 100);
        assertEquals(-1, t.indexOf('\r'));
        assertEquals(-1, t.indexOf('\n'));
        assertEquals(t, MailText.oneLine(t, 100), "stable");
        assertEquals('a', t.charAt(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.example, c@d.example", "Eve <e@x.example>", "a@b.example\r\nBcc: c@d.example", "a@b.example;c@d.example",
            "undisclosed:;", "\"x\"@y.example ", "", "a"})
    @DisplayName("anything but one plain address is refused")
    void addresses(String s) {
        assertThrows(MamoriException.class, () -> MailText.address(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin@example.com", "a.b+c@sub.example.co.jp"})
    void plain(String s) {
        assertEquals(s, MailText.address(s));
    }
}
