package dev.mamori.notification.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.auth.Contact;
import dev.mamori.auth.ContactDirectory;
import dev.mamori.auth.Roles;
import dev.mamori.notification.Audience;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.NotificationChannel;
import dev.mamori.notification.spi.OutgoingMessage;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.tenant.TenantContext;

/**
 * Delivers the outbox, as the platform: writes each new notification's deliveries (one per recipient
 * and channel, recipients found now), then sends what is due, each attempt taken by one node with a
 * lease. At least once: an attempt whose node dies after the message left and before it was
 * recorded is made again after its lease, with the same Message-ID — at most one duplicate per
 * lease, which a receiver can tell by that header. Every message sent is an audit event with the
 * SHA-256 of its text (the evidence of a notice); every delivery given up is one too.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 * * * * ?")
public class DeliveryJob implements JobHandler<JobType.None, Long> {
    static final JobType<JobType.None, Long> TYPE = JobType.of("notification.deliver", JobType.None.class, Long.class);
    static final PlatformPurpose PURPOSE = PlatformPurpose.of(ContactDirectory.PURPOSE,
            "Deliver a notification to the tenant's people: their addresses are read to send, never kept");
    static final String OPERATORS = "operators#";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryJob.class);
    private static final int EXPAND_BATCH = 100;
    private static final int SEND_BATCH = 50;
    private final NotificationCore core;
    private final Channels channels;
    private final ContactDirectory contacts;
    private final TenantContext tenants;

    /**
     * @param core     stores, templates, events, clock
     * @param channels the channels running
     * @param contacts recipients' addresses, read to send
     * @param tenants  acting in a recipient's tenant
     */
    @Activate
    public DeliveryJob(@Reference NotificationCore core, @Reference Channels channels, @Reference ContactDirectory contacts,
            @Reference TenantContext tenants) {
        this.core = core;
        this.channels = channels;
        this.contacts = contacts;
        this.tenants = tenants;
    }

    @Override
    public JobType<JobType.None, Long> type() {
        return TYPE;
    }

    @Override
    public JobStep<Long> step(JobRun<JobType.None, Long> run) {
        int expanded = expand();
        int attempted = send(run);
        long total = run.cursor().orElse(0L) + attempted;
        if (expanded == 0 && attempted == 0) {
            return JobStep.finished(total + " delivery attempt(s)");
        }
        return JobStep.progress(total, attempted);
    }

    /** @return how many notifications got their deliveries written */
    int expand() {
        int n = 0;
        for (Outbox.Row row : core.outbox.pending(EXPAND_BATCH)) {
            boolean done = core.units.call(() -> core.outbox.expand(row.id(), recipients(row), core.clock.instant()));
            n += done ? 1 : 0;
        }
        return n;
    }

    private List<Outbox.NewDelivery> recipients(Outbox.Row row) {
        List<Outbox.NewDelivery> out = new ArrayList<>();
        Audience a = row.audience();
        switch (a.kind()) {
            case OPERATORS -> {
                List<String> emails = core.settings().operatorEmails();
                for (int i = 0; i < emails.size(); i++) {
                    out.add(queued(null, OPERATORS + i, Notification.EMAIL));
                }
                if (emails.isEmpty()) {
                    out.add(failed(null, "operators", Notification.EMAIL, "No operator e-mail address is configured (operator.emails)."));
                }
            }
            case TENANT_ADMINS, USER -> {
                List<String> users;
                try {
                    users = a.kind() == Audience.Kind.USER ? List.of(a.userId())
                            : tenants.callAsPlatform(a.tenantId(), PURPOSE, () -> contacts.withRole(Roles.TENANT_ADMIN)).stream()
                                    .map(Contact::userId).toList();
                } catch (RuntimeException e) {
                    // a tenant purged meanwhile: nobody is left to tell; said in the log, not retried
                    out.add(failed(a.tenantId(), "tenant", row.channels().get(0), "The tenant's people cannot be reached: "
                            + e.getMessage()));
                    return out;
                }
                if (users.isEmpty()) {
                    out.add(failed(a.tenantId(), "tenant", row.channels().get(0), "The tenant has no active tenant admin."));
                }
                for (String channel : row.channels()) {
                    for (String u : users) {
                        out.add(queued(a.tenantId(), u, channel));
                    }
                }
            }
            default -> throw new IllegalStateException(a.kind().name());
        }
        return out;
    }

    private static Outbox.NewDelivery queued(String tenant, String recipient, String channel) {
        return new Outbox.NewDelivery(UUID.randomUUID().toString(), tenant, recipient, channel, DeliveryState.QUEUED, null);
    }

    private static Outbox.NewDelivery failed(String tenant, String recipient, String channel, String why) {
        return new Outbox.NewDelivery(UUID.randomUUID().toString(), tenant, recipient, channel, DeliveryState.FAILED, why);
    }

    /** @return how many attempts were made */
    int send(JobRun<?, ?> run) {
        Instant now = core.clock.instant();
        Map<String, Outbox.Row> notifications = new HashMap<>();
        int n = 0;
        for (Delivery d : core.outbox.due(now, SEND_BATCH)) {
            if (run != null && run.cancelRequested()) {
                break;
            }
            Instant start = core.clock.instant();
            if (!core.outbox.claim(d, start, start.plus(core.settings().lease()))) {
                continue;
            }
            int attempt = d.attempts() + 1;
            Outbox.Row row = notifications.computeIfAbsent(d.notificationId(), id -> core.outbox.notification(id).orElseThrow());
            Attempt a = attempt(d, row);
            record(d, row, attempt, a);
            n++;
        }
        return n;
    }

    /** One attempt's message (if it could be made) and result. */
    private record Attempt(OutgoingMessage message, DeliveryResult result) {
    }

    private Attempt attempt(Delivery d, Outbox.Row row) {
        Optional<NotificationChannel> channel = channels.get(d.channel());
        if (channel.isEmpty()) {
            return new Attempt(null, DeliveryResult.retry("The channel '" + d.channel() + "' is not running."));
        }
        OutgoingMessage m;
        try {
            Optional<OutgoingMessage> made = message(d, row);
            if (made.isEmpty()) {
                return new Attempt(null, DeliveryResult.refused(d.recipient().startsWith(OPERATORS)
                        ? "The operator address is no longer configured." : "The account is not active or has no e-mail address."));
            }
            m = made.get();
        } catch (RuntimeException e) {
            LOG.warn("Delivery {}: the recipient could not be resolved: {}", d.id(), e.toString());
            return new Attempt(null, DeliveryResult.retry("The recipient could not be resolved: " + e.getMessage()));
        }
        try {
            return new Attempt(m, channel.get().deliver(m));
        } catch (RuntimeException e) {
            LOG.warn("Delivery {} over {} failed: {}", d.id(), d.channel(), e.toString());
            return new Attempt(m, DeliveryResult.retry("The channel failed: " + e.getClass().getSimpleName()));
        }
    }

    private Optional<OutgoingMessage> message(Delivery d, Outbox.Row row) {
        String address;
        String name = null;
        Locale locale = core.settings().defaultLocale();
        if (d.recipient().startsWith(OPERATORS)) {
            List<String> emails = core.settings().operatorEmails();
            int i = Integer.parseInt(d.recipient().substring(OPERATORS.length()));
            if (i >= emails.size()) {
                return Optional.empty();
            }
            address = emails.get(i);
        } else {
            Optional<Contact> c = tenants.callAsPlatform(d.tenantId(), PURPOSE, () -> contacts.of(d.recipient()));
            if (c.isEmpty()) {
                return Optional.empty();
            }
            address = c.get().email();
            name = c.get().displayName();
            locale = Templates.locale(c.get().locale(), locale);
            if (Notification.EMAIL.equals(d.channel()) && (address == null || address.isBlank())) {
                return Optional.empty();
            }
        }
        Templates.Rendered r = core.templates.render(row.template(), locale, row.values());
        return Optional.of(new OutgoingMessage("<" + d.id() + "@" + core.settings().messageIdDomain() + ">", row.id(), d.tenantId(),
                d.recipient().startsWith(OPERATORS) ? null : d.recipient(), address, name, r.locale(), r.subject(), r.text(), r.html()));
    }

    private void record(Delivery d, Outbox.Row row, int attempt, Attempt a) {
        Instant now = core.clock.instant();
        DeliveryResult r = a.result();
        core.units.run(() -> {
            if (r.status() == DeliveryResult.Status.SENT) {
                core.outbox.finish(d.id(), DeliveryState.SENT, now, now, r.answer());
                MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.SENT).target("delivery", d.id())
                        .detail("template", row.template()).detail("channel", d.channel()).detail("recipient", d.recipient())
                        .detail("attempt", attempt).detail("textSha256", sha256(a.message().subject() + "\n" + a.message().text()))
                        .detail("messageId", a.message().messageId()).detail("incident", row.incidentId())
                        .detail("notification", row.id());
                core.events.publish(d.tenantId() == null ? e : e.tenant(d.tenantId()));
                if (row.incidentId() != null && d.tenantId() != null && Notification.EMAIL.equals(d.channel())) {
                    core.incidents.noticed(row.incidentId(), d.tenantId(), now);
                }
                return;
            }
            boolean giveUp = r.status() == DeliveryResult.Status.REFUSED || attempt >= core.settings().maxAttempts();
            if (!giveUp) {
                core.outbox.finish(d.id(), DeliveryState.QUEUED, now.plus(core.settings().backoff(attempt)), null, r.answer());
                return;
            }
            core.outbox.finish(d.id(), DeliveryState.FAILED, now, null, r.answer());
            MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.FAILED).target("delivery", d.id())
                    .detail("template", row.template()).detail("channel", d.channel()).detail("recipient", d.recipient())
                    .detail("attempts", attempt).detail("reason", r.status() == DeliveryResult.Status.REFUSED ? "refused" : "attempts")
                    .detail("incident", row.incidentId()).detail("notification", row.id()).outcome(MamoriEvent.Outcome.FAILURE);
            core.events.publish(d.tenantId() == null ? e : e.tenant(d.tenantId()));
        });
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
