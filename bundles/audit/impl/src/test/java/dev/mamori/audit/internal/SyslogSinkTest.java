package dev.mamori.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.LogCheckpoint;

/**
 * The syslog sink against real sockets on localhost: what arrives is parsed as RFC 5424 (by the
 * parser here, written from the RFC, not from the sink) and every field checked.
 */
class SyslogSinkTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] ROOT = new byte[32];
    static {
        for (int i = 0; i < ROOT.length; i++) {
            ROOT[i] = (byte) (i * 7 + 250); // base64 with '+' and '/'
        }
    }
    private static final String NOTE = "mamori.local/audit/t1\n120\n" + Base64.getEncoder().encodeToString(ROOT)
            + "\ntime 2026-12-07T19:00:00.123456789+09:00\n\n\u2014 mamori.local/audit/t1 q1w2e3r4AAAA/+==\n";
    private static final OffsetDateTime TIME = OffsetDateTime.of(2026, 12, 7, 19, 0, 0, 123_456_789, ZoneOffset.ofHours(9));
    private static final LogCheckpoint CP = new LogCheckpoint("t1", 120, ROOT, TIME, NOTE);

    @Test
    @DisplayName("AUD-3 syslog/UDP: one RFC 5424 datagram per checkpoint, every field as configured or defaulted")
    void udpMessage() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            server.setSoTimeout(5000);
            SyslogSink sink = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", server.getLocalPort())));
            sink.write("t1", CP);

            Message m = Message.parse(receive(server));
            assertEquals(13 * 8 + 5, m.pri, "facility log audit (13), severity notice (5)");
            assertEquals(1, m.version);
            assertEquals("2026-12-07T19:00:00.123456+09:00", m.timestamp, "the checkpoint's own offset, microseconds at most");
            assertEquals(TIME.withNano(123_456_000), OffsetDateTime.parse(m.timestamp));
            assertEquals(InetAddress.getLocalHost().getHostName(), m.hostname, "this machine's name by default");
            assertEquals("mamori", m.app);
            assertEquals(Long.toString(ProcessHandle.current().pid()), m.procid);
            assertEquals("checkpoint", m.msgid);
            assertEquals(List.of("mamoriCheckpoint@32473"), m.sdIds());
            assertEquals(Map.of("log", "t1", "size", "120", "root", Base64.getEncoder().encodeToString(ROOT)), m.sd.get(0).params);
            assertTrue(m.bom, "a UTF-8 MSG starts with the BOM");
            assertEquals(NOTE, m.msg, "the signed note, newlines and all");
            assertNothingMore(server);
        }
    }

    @Test
    @DisplayName("AUD-3 syslog/TCP: RFC 6587 octet-counted frames over one kept connection")
    void tcpMessages() throws Exception {
        try (ServerSocket server = server()) {
            SyslogSink sink = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", server.getLocalPort(), "transport", "TCP",
                    "facility", 4, "app_name", "audit app", "hostname", "node-1.example")));
            try {
                sink.write("t1", CP);
                LogCheckpoint next = new LogCheckpoint("platform", 7, ROOT, TIME.withOffsetSameInstant(ZoneOffset.UTC), "note 2\n");
                sink.write("platform", next);
                try (Socket c = server.accept()) {
                    c.setSoTimeout(5000);
                    Message m = Message.parse(frame(c.getInputStream()));
                    assertEquals(4 * 8 + 5, m.pri);
                    assertEquals("node-1.example", m.hostname);
                    assertEquals("audit?app", m.app, "no space in a header field");
                    assertEquals("checkpoint", m.msgid);
                    assertEquals("t1", m.sd.get(0).params.get("log"));
                    assertEquals(NOTE, m.msg);

                    Message m2 = Message.parse(frame(c.getInputStream()));
                    assertEquals("2026-12-07T10:00:00.123456Z", m2.timestamp);
                    assertEquals(Map.of("log", "platform", "size", "7", "root", Base64.getEncoder().encodeToString(ROOT)), m2.sd.get(0).params);
                    assertEquals("note 2\n", m2.msg);
                    assertNothingMore(c);
                }
            } finally {
                sink.deactivate();
            }
        }
    }

    @Test
    @DisplayName("AUD-3 syslog: no log id, note or setting starts another message or SD element")
    void injection() throws Exception {
        String log = "t\"1\\] [evil@1 a=\"b\"]\n<13>1 - - - - - injected\r\u2028x";
        String note = "origin ] \" \\ [x@1 y=\"z\"]\n<13>1 2026-12-07T19:00:00Z evil evil 1 evil - injected\n\n\u2014 sig\n";
        LogCheckpoint cp = new LogCheckpoint(log, 3, ROOT, TIME, note);
        Map<String, Object> bad = Map.of("hostname", "evil host\n<13>1", "app_name", "a]\"b\\c" + "x".repeat(60));

        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)); ServerSocket tcp = server()) {
            udp.setSoTimeout(5000);
            Map<String, Object> u = new HashMap<>(bad);
            u.putAll(Map.of("host", "127.0.0.1", "port", udp.getLocalPort()));
            new SyslogSink(config(u)).write(log, cp);
            Map<String, Object> t = new HashMap<>(bad);
            t.putAll(Map.of("host", "127.0.0.1", "port", tcp.getLocalPort(), "transport", "tcp"));
            SyslogSink tcpSink = new SyslogSink(config(t));
            tcpSink.write(log, cp);

            byte[] fromUdp = receive(udp);
            assertNothingMore(udp);
            byte[] fromTcp;
            try (Socket c = tcp.accept()) {
                c.setSoTimeout(5000);
                fromTcp = frame(c.getInputStream());
                assertNothingMore(c);
            } finally {
                tcpSink.deactivate();
            }
            assertArrayEquals(fromUdp, fromTcp, "the same message over both");

            Message m = Message.parse(fromUdp);
            assertEquals("evil?host?<13>1", m.hostname);
            assertEquals("a]\"b\\c" + "x".repeat(42), m.app, "48 characters at most");
            assertEquals("checkpoint", m.msgid);
            assertEquals(1, m.sd.size(), "one SD element: " + m.sdIds());
            assertEquals("t\"1\\] [evil@1 a=\"b\"]?<13>1 - - - - - injected??x", m.sd.get(0).params.get("log"),
                    "escaped as §6.3.3 says; line ends as ?");
            assertEquals("3", m.sd.get(0).params.get("size"));
            assertEquals(note, m.msg, "the note unchanged");
            String raw = new String(fromUdp, StandardCharsets.UTF_8);
            assertTrue(raw.contains(" [mamoriCheckpoint@32473 log=\"t\\\"1\\\\\\] [evil@1 a=\\\"b\\\"\\]?<13>1"), raw);
        }
    }

    @Test
    @DisplayName("AUD-3 syslog/TCP: a connection the server dropped is made again for the next checkpoint, none lost")
    void tcpReconnects() throws Exception {
        try (ServerSocket server = server()) {
            SyslogSink sink = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", server.getLocalPort(), "transport", "tcp")));
            try {
                sink.write("t1", CP);
                try (Socket c = server.accept()) {
                    c.setSoTimeout(5000);
                    assertEquals("t1", Message.parse(frame(c.getInputStream())).sd.get(0).params.get("log"));
                } // the server drops the connection
                Thread.sleep(200); // its FIN reaches the sink's side

                sink.write("t2", new LogCheckpoint("t2", 9, ROOT, TIME, "note t2\n"));
                try (Socket c = server.accept()) {
                    c.setSoTimeout(5000);
                    Message m = Message.parse(frame(c.getInputStream()));
                    assertEquals("t2", m.sd.get(0).params.get("log"));
                    assertEquals("note t2\n", m.msg);
                }
            } finally {
                sink.deactivate();
            }
        }
    }

    @Test
    @DisplayName("AUD-3 syslog/TCP: a server that is not there fails the write (the audit health check reports the sink)")
    void tcpRefused() throws Exception {
        int port;
        try (ServerSocket s = server()) {
            port = s.getLocalPort();
        }
        SyslogSink sink = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", port, "transport", "tcp")));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> sink.write("t1", CP));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("log t1 at size 120"), e.getMessage());

        // and one that goes away after a write: the next write fails too, rather than vanishing into the old connection
        try (ServerSocket server = server()) {
            SyslogSink s2 = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", server.getLocalPort(), "transport", "tcp")));
            s2.write("t1", CP);
            server.accept().close();
            server.close();
            Thread.sleep(200);
            assertThrows(UncheckedIOException.class, () -> s2.write("t1", CP));
            s2.deactivate();
        }
    }

    @Test
    @DisplayName("AUD-3 syslog/UDP: a message too long for a datagram fails rather than being cut")
    void udpTooLong() {
        SyslogSink sink = new SyslogSink(config(Map.of("host", "127.0.0.1", "port", 9)));
        LogCheckpoint huge = new LogCheckpoint("t1", 1, ROOT, TIME, "x".repeat(SyslogSink.MAX_UDP));
        assertThrows(UncheckedIOException.class, () -> sink.write("t1", huge));
    }

    @Test
    @DisplayName("AUD-3 syslog: a configuration that cannot work is refused at activation")
    void badConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink(config(Map.of())), "no host");
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink(config(Map.of("host", "h", "transport", "tls"))));
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink(config(Map.of("host", "h", "facility", 24))));
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink(config(Map.of("host", "h", "port", 0))));
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink(config(Map.of("host", "h", "connect_timeout_seconds", 0))));
    }

    @Test
    @DisplayName("AUD-6 syslog: RFC 3339 timestamps keep the offset; one RFC 3339 cannot write is given in UTC, not shifted")
    void timestamps() {
        assertEquals("2026-12-07T19:00:00+09:00", SyslogSink.timestamp(TIME.withNano(0)), "no fraction when there is none");
        assertEquals("2026-12-07T10:00:00.5Z", SyslogSink.timestamp(OffsetDateTime.of(2026, 12, 7, 10, 0, 0, 500_000_000, ZoneOffset.UTC)));
        assertEquals("2026-12-07T19:00:00-05:30", SyslogSink.timestamp(TIME.withNano(0).withOffsetSameLocal(ZoneOffset.ofHoursMinutes(-5, -30))));
        OffsetDateTime lmt = OffsetDateTime.of(1880, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(9, 18, 59));
        assertEquals("1880-01-01T02:41:01Z", SyslogSink.timestamp(lmt));
    }

    // ---- helpers ----

    /** @return the configuration: the annotation's defaults, with these values by method name */
    static SyslogConfig config(Map<String, Object> values) {
        return (SyslogConfig) Proxy.newProxyInstance(SyslogConfig.class.getClassLoader(), new Class<?>[] { SyslogConfig.class },
                (p, m, a) -> switch (m.getName()) {
                    case "annotationType" -> SyslogConfig.class;
                    case "toString" -> "SyslogConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> p == a[0];
                    default -> values.getOrDefault(m.getName(), m.getDefaultValue());
                });
    }

    private static ServerSocket server() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, LOOPBACK);
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static void assertNothingMore(DatagramSocket s) throws IOException {
        s.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> receive(s), "one datagram only");
    }

    private static void assertNothingMore(Socket c) throws IOException {
        c.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read(), "one frame only");
    }

    /** @return one RFC 6587 octet-counted frame's message: MSG-LEN SP SYSLOG-MSG */
    private static byte[] frame(InputStream in) throws IOException {
        int len = 0;
        int b;
        int digits = 0;
        while ((b = in.read()) != ' ') {
            assertTrue(b >= '0' && b <= '9' && digits++ < 10, "MSG-LEN digit, got " + b);
            len = len * 10 + (b - '0');
        }
        assertTrue(digits > 0 && len > 0, "MSG-LEN");
        byte[] msg = in.readNBytes(len);
        assertEquals(len, msg.length, "the whole message");
        return msg;
    }

    /** An SD-ELEMENT: its id and params in order. */
    record Element(String id, Map<String, String> params) {
    }

    /** A syslog message parsed strictly by RFC 5424 §6 (the ABNF): anything else fails the test. */
    static final class Message {
        int pri;
        int version;
        String timestamp;
        String hostname;
        String app;
        String procid;
        String msgid;
        final List<Element> sd = new ArrayList<>();
        boolean bom;
        String msg;
        private final byte[] b;
        private int i;

        private Message(byte[] b) {
            this.b = b;
        }

        List<String> sdIds() {
            return sd.stream().map(Element::id).toList();
        }

        static Message parse(byte[] bytes) {
            Message m = new Message(bytes);
            m.expect('<');
            m.pri = Integer.parseInt(m.until('>', 3));
            m.expect('>');
            assertTrue(m.pri >= 0 && m.pri <= 191, "PRI");
            m.version = Integer.parseInt(m.until(' ', 2));
            m.expect(' ');
            m.timestamp = m.token(64);
            m.hostname = m.token(255);
            m.app = m.token(48);
            m.procid = m.token(128);
            m.msgid = m.token(32);
            if (m.b[m.i] == '-') {
                m.i++;
            } else {
                while (m.i < m.b.length && m.b[m.i] == '[') {
                    m.sd.add(m.element());
                }
            }
            if (m.i < m.b.length) {
                m.expect(' ');
                byte[] rest = Arrays.copyOfRange(m.b, m.i, m.b.length);
                m.bom = rest.length >= 3 && (rest[0] & 0xff) == 0xEF && (rest[1] & 0xff) == 0xBB && (rest[2] & 0xff) == 0xBF;
                m.msg = new String(rest, m.bom ? 3 : 0, rest.length - (m.bom ? 3 : 0), StandardCharsets.UTF_8);
            }
            return m;
        }

        private Element element() {
            expect('[');
            String id = name(32);
            Map<String, String> params = new LinkedHashMap<>();
            while (b[i] == ' ') {
                i++;
                String name = name(32);
                expect('=');
                expect('"');
                ByteArrayOutputStream v = new ByteArrayOutputStream();
                while (b[i] != '"') {
                    if (b[i] == '\\' && i + 1 < b.length && (b[i + 1] == '"' || b[i + 1] == '\\' || b[i + 1] == ']')) {
                        i++;
                    } else {
                        assertTrue(b[i] != ']', "an unescaped ] in a PARAM-VALUE at " + i);
                    }
                    v.write(b[i++]);
                }
                expect('"');
                assertTrue(params.put(name, v.toString(StandardCharsets.UTF_8)) == null, "param " + name + " twice");
            }
            expect(']');
            return new Element(id, params);
        }

        /** SD-NAME: 1*32 PRINTUSASCII except '=', SP, ']', '"' */
        private String name(int max) {
            int s = i;
            while (i < b.length && b[i] >= 33 && b[i] <= 126 && b[i] != '=' && b[i] != ']' && b[i] != '"') {
                i++;
            }
            assertTrue(i > s && i - s <= max, "SD-NAME at " + s);
            return new String(b, s, i - s, StandardCharsets.US_ASCII);
        }

        /** A header field: 1*max PRINTUSASCII, then SP. */
        private String token(int max) {
            int s = i;
            while (i < b.length && b[i] != ' ') {
                assertTrue(b[i] >= 33 && b[i] <= 126, "PRINTUSASCII in a header field, got " + b[i] + " at " + i);
                i++;
            }
            assertTrue(i > s && i - s <= max, "header field length at " + s);
            expect(' ');
            return new String(b, s, i - s - 1, StandardCharsets.US_ASCII);
        }

        private String until(char c, int max) {
            int s = i;
            while (i < b.length && b[i] != c) {
                assertTrue(b[i] >= '0' && b[i] <= '9', "digit at " + i);
                i++;
            }
            assertTrue(i > s && i - s <= max, "number at " + s);
            return new String(b, s, i - s, StandardCharsets.US_ASCII);
        }

        private void expect(char c) {
            assertTrue(i < b.length && b[i] == c, "'" + c + "' at " + i + " of " + new String(b, StandardCharsets.UTF_8));
            i++;
        }
    }
}
