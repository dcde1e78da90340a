package dev.mamori.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import dev.mamori.audit.AuditSink;
import dev.mamori.audit.LogCheckpoint;

/**
 * The {@code syslog} {@link AuditSink}: every checkpoint sent to a syslog server as one RFC 5424
 * message, over UDP (RFC 5426) or TCP with octet-counting framing (RFC 6587). Active while
 * {@value SyslogConfig#PID} is configured.
 *
 * <pre>{@code <109>1 2026-12-07T19:00:00.123+09:00 host mamori 4242 checkpoint
 *   [mamoriCheckpoint@32473 log="t1" size="120" root="base64"] BOM<the signed note, its newlines kept>}</pre>
 *
 * The header fields are printable ASCII without spaces (anything else becomes {@code ?}); the
 * structured data's values are escaped as RFC 5424 §6.3.3 says and their control characters
 * become {@code ?}, so no value can start another message or SD element, even at a receiver that
 * splits at newlines. The note goes unchanged, as the MSG: it is what a verifier checks.
 * Syslog cannot be read back ({@link #notes} is empty): the copy is for the operators' eyes and tools.
 */
@Component(service = AuditSink.class, configurationPid = SyslogConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = AuditSink.NAME + "=syslog")
@Designate(ocd = SyslogConfig.class)
public class SyslogSink implements AuditSink {
    /** The structured data element's id; 32473 is the enterprise number RFC 5612 reserves for documentation. */
    static final String SD_ID = "mamoriCheckpoint@32473";
    static final String MSGID = "checkpoint";
    static final int SEVERITY_NOTICE = 5;
    /** The largest UDP payload over IPv4; a longer message cannot go in one datagram. */
    static final int MAX_UDP = 65_507;
    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
    /** RFC 5424 TIMESTAMP: RFC 3339 with at most six fraction digits and a minutes-only offset. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true).appendOffset("+HH:MM", "Z").toFormatter(Locale.ROOT);

    private final String host;
    private final int port;
    private final boolean tcp;
    private final int connectTimeoutMillis;
    /** {@code <PRI>1 } */
    private final String head;
    /** {@code HOSTNAME APP-NAME PROCID MSGID }, fixed for the component's life */
    private final String fields;
    private final Object lock = new Object();
    /** The open TCP connection, reused while the server keeps it; guarded by {@link #lock}. */
    private Socket socket;

    /**
     * @param config the sink's configuration
     * @throws IllegalArgumentException if it is not usable (the component then stays inactive, and says why)
     */
    @Activate
    public SyslogSink(SyslogConfig config) {
        if (config.host().isBlank()) {
            throw new IllegalArgumentException(SyslogConfig.PID + ": host is required");
        }
        if (config.port() < 1 || config.port() > 65535) {
            throw new IllegalArgumentException(SyslogConfig.PID + ": port " + config.port() + " is not 1..65535");
        }
        if (config.facility() < 0 || config.facility() > 23) {
            throw new IllegalArgumentException(SyslogConfig.PID + ": facility " + config.facility() + " is not 0..23");
        }
        if (config.connect_timeout_seconds() < 1) {
            throw new IllegalArgumentException(SyslogConfig.PID + ": connect.timeout.seconds must be at least 1");
        }
        String transport = config.transport().trim().toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException(SyslogConfig.PID + ": transport '" + config.transport() + "' is not udp or tcp");
        }
        this.host = config.host().trim();
        this.port = config.port();
        this.tcp = transport.equals("tcp");
        this.connectTimeoutMillis = Math.multiplyExact(config.connect_timeout_seconds(), 1000);
        this.head = "<" + (config.facility() * 8 + SEVERITY_NOTICE) + ">1 ";
        String hostname = config.hostname().isBlank() ? localHostName() : config.hostname().trim();
        this.fields = field(hostname, 255) + " " + field(config.app_name(), 48) + " "
                + field(Long.toString(ProcessHandle.current().pid()), 128) + " " + MSGID + " ";
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            closeSocket();
        }
    }

    @Override
    public void write(String log, LogCheckpoint checkpoint) {
        byte[] message = message(log, checkpoint);
        try {
            if (tcp) {
                sendTcp(message);
            } else {
                sendUdp(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The syslog server " + host + ":" + port + " (" + (tcp ? "tcp" : "udp")
                    + ") did not take the checkpoint of log " + log + " at size " + checkpoint.size(), e);
        }
    }

    /** @return the RFC 5424 message, without framing */
    byte[] message(String log, LogCheckpoint cp) {
        String text = head + timestamp(cp.time()) + " " + fields
                + "[" + SD_ID + " log=\"" + paramValue(log) + "\" size=\"" + cp.size() + "\" root=\"" + cp.rootBase64() + "\"] ";
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + cp.note().length() + 16);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(BOM);
        out.writeBytes(cp.note().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** @return the time as RFC 5424 writes it, keeping the checkpoint's own offset (AUD-6) */
    static String timestamp(OffsetDateTime time) {
        // RFC 3339 offsets have no seconds (only old local mean times do): such a time is written in UTC, not shifted
        OffsetDateTime t = time.getOffset().getTotalSeconds() % 60 == 0 ? time : time.withOffsetSameInstant(ZoneOffset.UTC);
        return t.truncatedTo(ChronoUnit.MICROS).format(TIMESTAMP);
    }

    /** @return a header field: printable US-ASCII without spaces (RFC 5424 §6), at most max long, {@code -} if empty */
    static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && b.length() < max; i++) {
            char c = value.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '?');
        }
        return b.toString();
    }

    /** @return an SD-PARAM value: {@code "}, {@code \} and {@code ]} escaped (§6.3.3), control characters as {@code ?} */
    static String paramValue(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                // legal in a value, but a receiver that splits at line ends would read a new message there
                b.append('?');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void sendUdp(byte[] message) throws IOException {
        if (message.length > MAX_UDP) {
            throw new IOException("a message of " + message.length + " bytes does not fit one UDP datagram");
        }
        InetSocketAddress to = new InetSocketAddress(host, port);
        if (to.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(message, message.length, to));
        }
    }

    private void sendTcp(byte[] message) throws IOException {
        byte[] count = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[count.length + message.length];
        System.arraycopy(count, 0, frame, 0, count.length);
        System.arraycopy(message, 0, frame, count.length, message.length);
        synchronized (lock) {
            if (socket != null && !open(socket)) {
                closeSocket();
            }
            if (socket != null) {
                try {
                    send(socket, frame);
                    return;
                } catch (IOException e) {
                    // the connection broke since the check: once more, on a new one
                    closeSocket();
                }
            }
            socket = connect();
            try {
                send(socket, frame);
            } catch (IOException e) {
                closeSocket();
                throw e;
            }
        }
    }

    /**
     * A write into a connection the server has closed succeeds locally and is lost, so a kept
     * connection is checked first: a syslog server never sends, so end of stream means it is gone.
     */
    private static boolean open(Socket s) {
        if (s.isClosed() || !s.isConnected() || s.isInputShutdown()) {
            return false;
        }
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() >= 0; // a byte the server sent anyway is dropped
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void send(Socket s, byte[] frame) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(frame);
        out.flush();
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to keep from a connection being dropped
            }
            socket = null;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-"; // RFC 5424's NILVALUE: better than a name that is not this machine's
        }
    }
}
