package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * Notifications through the distribution (issue #19): an operator's incident from the shell, its
 * notice delivered by the delivery job over SMTP (Jakarta Mail resolving its providers inside OSGi)
 * and in-app, the delivery log and the notices over REST, incidents refused to a tenant's accounts.
 */
public abstract class NotificationContainerTests extends ExportContainerTests {
    private static final Pattern INCIDENT = Pattern.compile("Incident ([0-9a-f-]{36}) opened");

    /** A minimal SMTP receiver (EHLO, MAIL, RCPT, DATA, QUIT): what arrived, raw, with its RCPT lines. */
    static final class SmtpSink implements AutoCloseable {
        final ServerSocket server;
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> recipients = new CopyOnWriteArrayList<>();
        /** Runs with each message received, before the server is told it was accepted (a test kills the sender here). */
        volatile java.util.function.Consumer<String> beforeAccepting = m -> { };
        private final Thread thread;

        SmtpSink() throws Exception {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "it-smtp");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    say(out, "220 it ESMTP");
                    for (String line; (line = in.readLine()) != null;) {
                        String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                        if (cmd.equals("EHLO") || cmd.equals("HELO")) {
                            say(out, "250 it");
                        } else if (cmd.equals("RCPT")) {
                            recipients.add(line);
                            say(out, "250 OK");
                        } else if (cmd.equals("DATA")) {
                            say(out, "354 go ahead");
                            StringBuilder m = new StringBuilder();
                            for (String d; (d = in.readLine()) != null && !d.equals(".");) {
                                m.append(d).append('\n');
                            }
                            messages.add(m.toString());
                            beforeAccepting.accept(m.toString());
                            say(out, "250 2.0.0 queued as it-" + messages.size());
                        } else if (cmd.equals("QUIT")) {
                            say(out, "221 bye");
                            break;
                        } else {
                            say(out, "250 OK");
                        }
                    }
                } catch (Exception e) {
                    // a closed sink or a client gone: wait for the next one
                }
            }
        }

        private static void say(OutputStream out, String line) throws java.io.IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    /**
     * NTF-1, NTF-2 (issue #19): an operator opens an incident for one tenant from the shell and notifies
     * it; the delivery job sends the notice over SMTP to the tenant's admin alone (the subject RFC
     * 2047-encoded, a stable Message-ID) and keeps it in-app; the admin reads the notice and the delivery
     * log (SENT, the SMTP answer) over REST, an employee neither; incidents answer 403 to both; the
     * notice clock is met.
     */
    @Test
    public void ntf1_incidentNoticeReachesTheTenantsAdminOverSmtpAndInApp() throws Exception {
        Dictionary<String, Object> before = config("dev.mamori.notification.email");
        try (SmtpSink smtp = new SmtpSink()) {
            // port and security in one change: two would let a delivery meet the first alone (STARTTLS to the sink), and
            // its retry waits for the next minute's run
            Dictionary<String, Object> sink = new java.util.Hashtable<>();
            for (String k : java.util.Collections.list(before.keys())) {
                sink.put(k, before.get(k));
            }
            sink.put("port", smtp.server.getLocalPort());
            update("dev.mamori.notification.email", sink, "security", "none");
            Tenant t = newTenant("ntf");
            Tenant other = newTenant("ntfo");
            Account admin = bootstrapAdmin(t);
            Account employee = createEmployee(admin, "emp");
            Account otherAdmin = bootstrapAdmin(other);
            String opened = operator("mamori:incident-open --title \"不正アクセスの疑い\" --summary \"A token was used from an unknown "
                    + "address.\" --tenant " + t.slug());
            String id = match(INCIDENT, opened);
            assertTrue(opened, opened.contains("notice") && opened.contains("OPEN"));
            String notified = operator("mamori:incident-notify --message \"We will report within 24 hours.\" " + id);
            assertTrue(notified, notified.contains("Notice queued for 1 tenant(s)"));

            Wait.until("the notice over SMTP", Duration.ofSeconds(180), () -> smtp.messages.size() >= 1 ? true : null);
            String mail = smtp.messages.get(0);
            assertEquals(List.of("RCPT TO:<" + admin.email + ">"), new ArrayList<>(smtp.recipients));
            assertTrue(mail, mail.contains("Subject: =?UTF-8?"));
            assertTrue(mail, Pattern.compile("(?m)^Message-ID: <[0-9a-f-]{36}@mamori\\.local>$").matcher(mail).find());
            assertFalse("no other tenant's admin", mail.contains(otherAdmin.email));

            HttpResponse<String> notices = Wait.until("the in-app notice", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = https.send(bearer("/api/v1/notices", admin.bearer).GET());
                return r.statusCode() == 200 && r.body().contains("incident.notice") ? r : null;
            });
            String noticeId = str(notices.body(), "id");
            HttpResponse<String> read = https.send(bearer("/api/v1/notices/" + noticeId + "/read", admin.bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(read.body(), 200, read.statusCode());
            assertTrue(read.body(), read.body().contains("readAt"));
            HttpResponse<String> otherRead = https.send(bearer("/api/v1/notices/" + noticeId + "/read", otherAdmin.bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertProblem(otherRead, 404, "no-such-notice");
            // query parameters that are not what they say: 400 problem+json, not JAX-RS's 404
            assertProblem(https.send(bearer("/api/v1/notices?limit=abc", admin.bearer).GET()), 400, "invalid-notification");
            assertProblem(https.send(bearer("/api/v1/notices?unread=yes", admin.bearer).GET()), 400, "invalid-notification");
            assertProblem(https.send(bearer("/api/v1/deliveries?limit=99999999999", admin.bearer).GET()), 400, "invalid-notification");
            HttpResponse<String> empNotices = https.send(bearer("/api/v1/notices", employee.bearer).GET());
            assertEquals(empNotices.body(), "[]", empNotices.body().strip());

            HttpResponse<String> log = Wait.until("the delivery log", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = https.send(bearer("/api/v1/deliveries", admin.bearer).GET());
                return r.statusCode() == 200 && count(r.body(), "\"SENT\"") == 2 ? r : null;
            });
            assertTrue(log.body(), log.body().contains("250 2.0.0 queued as it-1"));
            assertFalse("no address in the log", log.body().contains(admin.email));
            assertProblem(https.send(bearer("/api/v1/deliveries", employee.bearer).GET()), 403, "notification-forbidden");
            assertEquals("[]", https.send(bearer("/api/v1/deliveries", otherAdmin.bearer).GET()).body().strip());
            for (Account a : List.of(admin, employee)) {
                HttpResponse<String> r = https.send(bearer("/api/v1/incidents/" + id, a.bearer).GET());
                assertEquals(r.body(), 403, r.statusCode());
            }
            String shown = operator("mamori:incident-show " + id);
            assertTrue(shown, Pattern.compile("notice\\s*\\|[^\\n]*MET").matcher(shown).find());
            String deliveries = operator("mamori:delivery-list --tenant " + t.slug() + " --no-format");
            assertTrue(deliveries, deliveries.contains("SENT") && deliveries.contains("incident.notice"));

            // the affected tenant's admin takes the evidence pack; the other tenant's admin finds no such incident
            HttpResponse<String> evidence = https.send(bearer("/api/v1/incidents/" + id + "/evidence", admin.bearer).GET());
            assertEquals(evidence.body(), 200, evidence.statusCode());
            assertTrue(evidence.body(), evidence.body().contains("\"notice-queued\"") && evidence.body().contains("\"delivered\"")
                    && evidence.body().contains("appiFinalDue"));
            assertFalse(evidence.body().contains(admin.email));
            assertProblem(https.send(bearer("/api/v1/incidents/" + id + "/evidence", otherAdmin.bearer).GET()), 404, "no-such-incident");

            // NTF-5: an announcement to this tenant; its admin reads it over REST, the other tenant's admin does not
            String published = operator("mamori:announcement-publish --kind VULNERABILITY --title \"Library update\" --body "
                    + "\"No action needed.\" --tenant " + t.slug());
            assertTrue(published, published.contains("sent to 1 tenant(s)"));
            HttpResponse<String> seen = https.send(bearer("/api/v1/announcements", admin.bearer).GET());
            assertEquals(seen.body(), 200, seen.statusCode());
            assertTrue(seen.body(), seen.body().contains("Library update") && seen.body().contains("VULNERABILITY"));
            assertEquals("[]", https.send(bearer("/api/v1/announcements", otherAdmin.bearer).GET()).body().strip());
            assertProblem(https.send(bearer("/api/v1/announcements", employee.bearer).GET()), 403, "notification-forbidden");
            Wait.until("the announcement over SMTP", Duration.ofSeconds(180), () -> smtp.messages.size() >= 2 ? true : null);

            // OPS-5: the month so far, for the tenant's admin and the operators
            HttpResponse<String> sla = https.send(bearer("/api/v1/sla", admin.bearer).GET());
            assertEquals(sla.body(), 200, sla.statusCode());
            assertTrue(sla.body(), sla.body().contains("\"tenantId\":\"" + t.id() + "\""));
            String report = operator("mamori:sla-report --no-format");
            assertTrue(report, report.contains("platform"));
        } finally {
            update("dev.mamori.notification.email", before, "port", null);
        }
    }
}
