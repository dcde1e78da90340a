package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.server.SMTPServer;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.mamori.notification.Delivery;
import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.Notice;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.ObligationClock;
import dev.mamori.auth.Roles;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.MamoriEvent;

@DisplayName("Delivery over real SMTP (GreenMail; SubEthaSMTP for STARTTLS): notices, retries, duplicates, injection (NTF-1, SEC-5, SEC-8)")
class DeliveryTest {
    private NotificationFixture f;
    private GreenMail smtp;

    @BeforeEach
    void start() {
        f = NotificationFixture.h2();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        f.channel("email", Mail.channel(f.clock, Map.of("port", smtp.getSmtp().getPort(), "security", "none")));
    }

    @AfterEach
    void stop() {
        smtp.stop();
        f.close();
    }

    private Incident incident(List<String> tenants, String title) {
        return NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident(title, IncidentStatus.SUSPECTED,
                f.clock.instant().minus(Duration.ofHours(2)), tenants, false, "An unknown party read the backup bucket.", null,
                "Access revoked; keys rotated.", false)));
    }

    @Test
    @DisplayName("NTF-1: every affected tenant's admin gets the notice by e-mail (Japanese or English by their profile) and in-app; nobody else")
    void noticeReachesEveryAffectedTenant() throws Exception {
        String a = f.tenant("株式会社あおぞら", "admin@aozora.example", "ja-JP");
        String b = f.tenant("Blue Ltd", "admin@blue.example", "en");
        String other = f.tenant("Other", "admin@other.example", "en");
        Incident i = incident(List.of(a, b), "バックアップの不正アクセス");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "詳細は追ってご連絡いたします。"));
        assertEquals(List.of("now"), f.wakes, "the delivery starts once the unit committed");
        f.deliver();

        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(2, got.length);
        MimeMessage ja = Arrays.stream(got).filter(m -> to(m).equals("admin@aozora.example")).findFirst().orElseThrow();
        MimeMessage en = Arrays.stream(got).filter(m -> to(m).equals("admin@blue.example")).findFirst().orElseThrow();
        // a standard parser decodes the RFC 2047 subject back to the Japanese text
        MimeMessage parsed = reparse(ja);
        assertEquals("【重要】セキュリティインシデントのお知らせ: バックアップの不正アクセス", parsed.getSubject());
        assertTrue(ja.getHeader("Subject")[0].startsWith("=?UTF-8?"), "the raw header is encoded: " + ja.getHeader("Subject")[0]);
        assertTrue(text(parsed).contains("株式会社あおぞら 管理者様"), text(parsed));
        assertEquals("[Mamori] Security incident notice: バックアップの不正アクセス", reparse(en).getSubject());
        assertTrue(ja.getMessageID().matches("<[0-9a-f-]{36}@mamori\\.test>"), ja.getMessageID());

        List<Notice> inApp = NotificationFixture.as(Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN)), a,
                () -> f.notices.mine(false, 10));
        assertEquals(1, inApp.size());
        assertEquals("incident.notice", inApp.get(0).template());
        assertTrue(NotificationFixture.as(Principal.user(f.admin(other), other, Set.of(Roles.TENANT_ADMIN)), other,
                () -> f.notices.mine(false, 10)).isEmpty(), "an unaffected tenant is told nothing");

        List<MamoriEvent> sent = f.events.of(NotificationEvents.SENT);
        assertEquals(4, sent.size(), "two e-mails and two in-app notices, each evidence");
        MamoriEvent mail = sent.stream().filter(e -> e.details().get("channel").equals("email") && e.tenantId().orElse("").equals(a))
                .findFirst().orElseThrow();
        assertEquals(i.id(), mail.details().get("incident"));
        assertEquals(DeliveryJob.sha256(parsed.getSubject() + "\n" + text(parsed).replace("\r\n", "\n")), mail.details().get("textSha256"),
                "the evidence names exactly the text that went out");
        assertFalse(mail.toString().contains("admin@aozora.example"), "no address in the audit trail");

        Incident after = NotificationFixture.asOperator(() -> f.incidents.find(i.id()).orElseThrow());
        ObligationClock notice = after.clocks().get(0);
        assertEquals(ObligationClock.State.MET, notice.state());
        assertEquals(0, notice.pending());
    }

    @Test
    @DisplayName("NTF-1: SMTP down - the notice waits in the outbox and goes out once, when the server is back")
    void smtpDownThenBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        f.channel("email", Mail.channel(f.clock, Map.of("port", port, "security", "none", "timeout_seconds", 2)));
        String a = f.tenant("Acme", "admin@acme.example", "en");
        Incident i = incident(List.of(a), "Outage");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
        f.deliver();
        Delivery d = email(a);
        assertEquals(DeliveryState.QUEUED, d.state());
        assertEquals(1, d.attempts());
        // tenant admins read this answer: the socket's kind, never the relay's host and port
        assertEquals("The mail server could not be reached (ConnectException).", d.answer());
        assertEquals(ObligationClock.State.OPEN, NotificationFixture.asOperator(() -> f.incidents.find(i.id()).orElseThrow()).clocks()
                .get(0).state(), "a notice that did not go out does not meet the clock");

        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        back.start();
        try {
            f.deliver();
            assertEquals(0, back.getReceivedMessages().length, "not before its back-off");
            f.clock.advance(Duration.ofSeconds(31));
            f.deliver();
            f.clock.advance(Duration.ofHours(2));
            f.deliver();
            assertEquals(1, back.getReceivedMessages().length);
            assertEquals(DeliveryState.SENT, email(a).state());
            assertEquals(2, email(a).attempts());
        } finally {
            back.stop();
        }
    }

    @Test
    @DisplayName("A node killed between sending and recording: the message goes again after its lease, with the same Message-ID, once")
    void killedBetweenSendAndBookkeeping() throws Exception {
        String a = f.tenant("Acme", "admin@acme.example", "en");
        Incident i = incident(List.of(a), "Outage");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
        EmailChannel real = Mail.channel(f.clock, Map.of("port", smtp.getSmtp().getPort(), "security", "none"));
        f.channel("email", m -> {
            real.deliver(m);
            throw new ThreadDeath();
        });
        assertThrows(ThreadDeath.class, f::deliver);
        assertEquals(DeliveryState.SENDING, email(a).state());
        f.channel("email", real);
        f.deliver();
        assertEquals(1, smtp.getReceivedMessages().length, "the lease holds the delivery");
        f.clock.advance(Duration.ofMinutes(6));
        f.deliver();
        f.clock.advance(Duration.ofHours(1));
        f.deliver();
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(2, got.length, "one duplicate at most");
        assertEquals(got[0].getMessageID(), got[1].getMessageID(), "a receiver can drop it by its Message-ID");
        assertEquals(DeliveryState.SENT, email(a).state());
    }

    @Test
    @DisplayName("SEC-8, SEC-5: CR/LF and second addresses in a tenant's name, a title, a display name never add a header or a recipient; HTML is escaped")
    void headerAndScriptInjection() throws Exception {
        String a = f.tenant("Acme\r\nBcc: evil@attacker.example", "admin@acme.example", "en");
        f.contacts.put(a, List.of(new dev.mamori.auth.Contact(f.admin(a), "admin@acme.example",
                "Eve\r\nCc: evil2@attacker.example", "en")));
        Incident i = incident(List.of(a), "Leak\r\nBcc: evil3@attacker.example\r\nX-Injected: yes <script>alert(1)</script>");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "<img src=x onerror=alert(2)>\r\n\r\nBcc: evil4@attacker.example"));
        f.deliver();
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(1, got.length, "one recipient, one message: " + Arrays.toString(got));
        MimeMessage m = reparse(got[0]);
        Address[] all = m.getAllRecipients();
        assertEquals(1, all.length);
        assertEquals("admin@acme.example", ((jakarta.mail.internet.InternetAddress) all[0]).getAddress());
        assertNull(m.getHeader("Bcc"));
        assertNull(m.getHeader("Cc"));
        assertNull(m.getHeader("X-Injected"));
        assertEquals(1, m.getHeader("Subject").length);
        assertFalse(m.getSubject().contains("\n") || m.getSubject().contains("\r"));
        String html = html(m);
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
        assertTrue(html.contains("&lt;script&gt;") && html.contains("&lt;img src=x onerror=alert(2)&gt;"), html);
        // Angus folds a line break it is given; the in-app notice shows what Mamori itself made of the typed text
        Notice inApp = NotificationFixture.as(Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN)), a, () -> f.notices.mine(false, 1))
                .get(0);
        assertFalse(inApp.subject().contains("\n") || inApp.subject().contains("\r"), inApp.subject());
        assertEquals(m.getSubject(), inApp.subject(), "one line before any mail library saw it");
        for (String raw : Collections.list(got[0].getAllHeaderLines())) {
            assertFalse(raw.toLowerCase().startsWith("bcc") || raw.toLowerCase().startsWith("cc:"), raw);
        }
    }

    @Test
    @DisplayName("STARTTLS required: delivered over TLS to a server that offers it; a server that does not gets nothing in clear text")
    void startTls() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        SSLContext tls = serverTls();
        SMTPServer secure = SMTPServer.port(0).hostName("localhost").requireTLS().startTlsSocketFactory(tls)
                .messageHandler((ctx, from, to, data) -> received.add(to)).build();
        SMTPServer plain = SMTPServer.port(0).hostName("localhost").messageHandler((ctx, from, to, data) -> received.add("clear " + to))
                .build();
        secure.start();
        plain.start();
        try {
            String store = Mail.greenMailStore().toString();
            String a = f.tenant("Acme", "admin@acme.example", "en");
            f.channel("email", Mail.channel(f.clock, Map.of("port", secure.getPortAllocated(), "security", "starttls", "trust_store", store,
                    "trust_store_password", "changeit", "check_server_identity", false)));
            Incident i = incident(List.of(a), "Outage");
            NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
            f.deliver();
            assertEquals(List.of("admin@acme.example"), received);
            assertEquals(DeliveryState.SENT, email(a).state());

            String b = f.tenant("Blue", "admin@blue.example", "en");
            f.channel("email", Mail.channel(f.clock, Map.of("port", plain.getPortAllocated(), "security", "starttls", "trust_store", store,
                    "trust_store_password", "changeit", "check_server_identity", false)));
            Incident j = incident(List.of(b), "Outage 2");
            NotificationFixture.asOperator(() -> f.incidents.notifyTenants(j.id(), "More soon."));
            f.deliver();
            assertEquals(List.of("admin@acme.example"), received, "nothing went in clear text");
            assertEquals(DeliveryState.QUEUED, email(b).state());
            assertTrue(email(b).answer().toLowerCase().contains("starttls"), email(b).answer());
        } finally {
            secure.stop();
            plain.stop();
        }
    }

    @Test
    @DisplayName("Attempts run out: the delivery is FAILED, said in the log and the audit trail, and not tried again")
    void givesUp() throws Exception {
        String a = f.tenant("Acme", "admin@acme.example", "en");
        f.channel("email", m -> dev.mamori.notification.spi.DeliveryResult.retry("421 try later"));
        Incident i = incident(List.of(a), "Outage");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
        for (int k = 0; k < 6; k++) {
            f.deliver();
            f.clock.advance(Duration.ofMinutes(11));
        }
        Delivery d = email(a);
        assertEquals(DeliveryState.FAILED, d.state());
        assertEquals(3, d.attempts());
        assertEquals("421 try later", d.answer());
        assertEquals(1, f.events.of(NotificationEvents.FAILED).size());
    }

    @Test
    @DisplayName("A batch running past half its lease (a hanging SMTP server) hands back what it has not tried: no lease runs out under "
            + "an attempt still to be made, no attempt counted that was not made, nothing sent twice")
    void slowBatchHandsBack() {
        List<String> tenants = new java.util.ArrayList<>();
        for (int k = 0; k < 12; k++) {
            tenants.add(f.tenant("T" + k, "admin" + k + "@t" + k + ".example", "en"));
        }
        java.util.concurrent.atomic.AtomicInteger tried = new java.util.concurrent.atomic.AtomicInteger();
        f.channel("email", m -> {
            tried.incrementAndGet();
            // each message takes as long as a whole lease
            f.clock.advance(f.settings.lease());
            return dev.mamori.notification.spi.DeliveryResult.sent("250 ok");
        });
        Incident i = incident(tenants, "Slow");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
        dev.mamori.platform.context.ExecutionContext.system("job:notification.deliver").call(() -> {
            f.delivery.expand();
            return f.delivery.send(null);
        });
        // the attempts already started when the clock passed half the lease (at most one per worker) went out
        assertTrue(tried.get() >= 1 && tried.get() <= 4, "attempts in the first batch: " + tried.get());
        List<Delivery> after = NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 100)).stream()
                .filter(d -> d.channel().equals("email")).toList();
        List<Delivery> back = after.stream().filter(d -> d.state() == DeliveryState.QUEUED).toList();
        assertEquals(12 - tried.get(), back.size());
        back.forEach(d -> {
            assertEquals(0, d.attempts(), "an attempt not made is not counted");
            assertTrue(d.answer().contains("half its lease"), d.answer());
        });
        f.deliver();
        assertEquals(12, tried.get(), "each e-mail sent once");
        NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 100)).stream().filter(d -> d.channel().equals("email"))
                .forEach(d -> {
                    assertEquals(DeliveryState.SENT, d.state());
                    assertEquals(1, d.attempts());
                });
    }

    @Test
    @DisplayName("A recipient the server refuses with 5xx fails at once (no retries for hours); the answer kept without the address")
    void recipientRefused() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        SMTPServer server = SMTPServer.port(0).hostName("localhost").messageHandlerFactory(ctx -> new org.subethamail.smtp.MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String to) throws org.subethamail.smtp.RejectException {
                if (to.startsWith("gone@")) {
                    throw new org.subethamail.smtp.RejectException(550, "5.1.1 <" + to + ">: user unknown");
                }
                received.add(to);
            }

            @Override
            public String data(java.io.InputStream data) throws java.io.IOException {
                data.readAllBytes();
                return null;
            }

            @Override
            public void done() {
            }
        }).build();
        server.start();
        try {
            f.channel("email", Mail.channel(f.clock, Map.of("port", server.getPortAllocated(), "security", "none")));
            String a = f.tenant("Acme", "gone@acme.example", "en");
            String b = f.tenant("Blue", "admin@blue.example", "en");
            Incident i = incident(List.of(a, b), "Outage");
            NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
            f.deliver();
            Delivery refused = email(a);
            assertEquals(DeliveryState.FAILED, refused.state());
            assertEquals(1, refused.attempts());
            assertTrue(refused.answer().contains("550"), refused.answer());
            assertFalse(refused.answer().contains("gone@"), "the address is not kept: " + refused.answer());
            assertEquals(1, f.events.of(NotificationEvents.FAILED).size());
            assertEquals(List.of("admin@blue.example"), received, "the connection went on to the next message");
            assertEquals(DeliveryState.SENT, email(b).state());
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("A run whose lease ran out under an attempt records nothing over the result of the run that took the delivery after it")
    void staleResultNotRecorded() {
        String a = f.tenant("Acme", "admin@acme.example", "en");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        f.channel("email", m -> {
            if (calls.incrementAndGet() == 1) {
                // this attempt hangs past its lease; meanwhile another run takes the delivery and sends it
                f.clock.advance(f.settings.lease().plusSeconds(1));
                f.delivery.send(null);
                return dev.mamori.notification.spi.DeliveryResult.retry("421 timed out");
            }
            return dev.mamori.notification.spi.DeliveryResult.sent("250 sent by the second run");
        });
        Incident i = incident(List.of(a), "Outage");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "More soon."));
        f.deliver();
        f.clock.advance(Duration.ofHours(1));
        f.deliver();
        Delivery d = email(a);
        assertEquals(DeliveryState.SENT, d.state());
        assertEquals("250 sent by the second run", d.answer());
        assertEquals(2, d.attempts());
        assertEquals(2, calls.get(), "the first run's late failure did not queue it a third time");
    }

    private Delivery email(String tenant) {
        return NotificationFixture.asOperator(() -> f.notifications.deliveries(tenant, 50)).stream()
                .filter(d -> d.channel().equals("email")).findFirst().orElseThrow();
    }

    private static String to(MimeMessage m) {
        try {
            return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MimeMessage reparse(MimeMessage m) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
    }

    static String text(MimeMessage m) throws Exception {
        return (String) part(m, "text/plain").getContent();
    }

    static String html(MimeMessage m) throws Exception {
        return (String) part(m, "text/html").getContent();
    }

    private static BodyPart part(MimeMessage m, String type) throws Exception {
        MimeMultipart mp = (MimeMultipart) m.getContent();
        for (int k = 0; k < mp.getCount(); k++) {
            if (mp.getBodyPart(k).isMimeType(type)) {
                return mp.getBodyPart(k);
            }
        }
        throw new AssertionError("no " + type);
    }

    private static SSLContext serverTls() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = DeliveryTest.class.getResourceAsStream("/greenmail.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

}
