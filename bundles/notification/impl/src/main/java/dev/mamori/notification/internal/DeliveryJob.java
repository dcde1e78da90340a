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
import dev.mamori.platform.context.ExecutionContext;
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
    private static final int SEND_BATCH = 200;
    private final NotificationCore core;
    private final Channels channels;
    private final ContactDirectory contacts;
    private final TenantContext tenants;
    /** The attempts of one batch run on these, so that a slow SMTP exchange does not wait for the one before it. */
    private final java.util.concurrent.ExecutorService workers;
    private final int parallel;

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
        this.parallel = core.settings().parallel();
        this.workers = java.util.concurrent.Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "mamori-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the attempt threads; an attempt in flight ends on its own, its delivery retried after its lease if unrecorded. */
    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        workers.shutdownNow();
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
        List<Outbox.Row> pending = core.outbox.pending(EXPAND_BATCH);
        if (pending.isEmpty()) {
            return 0;
        }
        try {
            // a batch in one unit of work; should it fail, each on its own, so that one cannot hold up the others
            return core.units.call(() -> {
                int n = 0;
                for (Outbox.Row row : pending) {
                    n += core.outbox.expand(row.id(), recipients(row), core.clock.instant()) ? 1 : 0;
                }
                return n;
            });
        } catch (RuntimeException e) {
            LOG.warn("Writing the deliveries of {} notifications together failed ({}); writing each on its own", pending.size(),
                    e.toString());
        }
        int n = 0;
        for (Outbox.Row row : pending) {
            try {
                n += core.units.call(() -> core.outbox.expand(row.id(), recipients(row), core.clock.instant())) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warn("Notification {}: its deliveries could not be written ({}); tried again next run", row.id(), e.toString());
            }
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

    /**
     * Takes up to a batch of due deliveries in one unit of work, makes each attempt, and records the
     * results in one unit; should that fail (a result's event refused, say), each result is recorded
     * on its own, so that one cannot hold up the others (those that still fail are attempted again
     * after their lease: at least once).
     *
     * <p>A batch that runs past half its lease (a slow or hanging SMTP server) hands the deliveries it has
     * not tried yet back, untried, so that no lease runs out under an attempt still to be made: another
     * node taking them then would send them twice.
     *
     * @return how many deliveries were taken (attempted or handed back)
     */
    int send(JobRun<?, ?> run) {
        List<Delivery> due = core.outbox.due(core.clock.instant(), SEND_BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        Instant start = core.clock.instant();
        List<Delivery> mine = core.outbox.claimAll(due, start, start.plus(core.settings().lease()));
        Instant handBack = start.plus(core.settings().lease().dividedBy(2));
        Map<String, Outbox.Row> notifications = core.outbox.notifications(mine.stream().map(Delivery::notificationId).toList());
        // the attempts run side by side (delivery.parallel), each in the step's own context
        ExecutionContext ctx = ExecutionContext.require();
        List<java.util.concurrent.Future<Done>> futures = new ArrayList<>();
        for (Delivery d : mine) {
            Outbox.Row row = notifications.get(d.notificationId());
            futures.add(workers.submit(() -> {
                if (run != null && run.cancelRequested()) {
                    return Done.handedBack(d, "The run was cancelled before this attempt.");
                }
                if (core.clock.instant().isAfter(handBack)) {
                    return Done.handedBack(d, "The batch ran past half its lease before this attempt.");
                }
                if (row == null) {
                    return new Done(d, null, d.attempts() + 1, new Attempt(null, DeliveryResult.refused("Its notification is gone.")));
                }
                return ctx.call(() -> new Done(d, row, d.attempts() + 1, attempt(d, row)));
            }));
        }
        List<Done> done = new ArrayList<>();
        Error fatal = null;
        for (java.util.concurrent.Future<Done> f : futures) {
            try {
                done.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error) {
                    // the node is dying: nothing more is recorded, the lease brings the deliveries back
                    fatal = (Error) e.getCause();
                } else {
                    LOG.warn("A delivery attempt failed outside its channel: {}", e.getCause().toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while delivering", e);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        try {
            core.units.run(() -> record(done));
        } catch (RuntimeException e) {
            LOG.warn("Recording {} delivery results together failed ({}); recording each on its own", done.size(), e.toString());
            for (Done x : done) {
                try {
                    core.units.run(() -> record(List.of(x)));
                } catch (RuntimeException one) {
                    LOG.warn("Delivery {}: its result could not be recorded ({}); it is attempted again after its lease", x.d().id(),
                            one.toString());
                }
            }
        }
        return done.size();
    }

    /** An attempt made, or a delivery handed back untried, to be recorded. */
    private record Done(Delivery d, Outbox.Row row, int attempt, Attempt a, boolean untried) {
        Done(Delivery d, Outbox.Row row, int attempt, Attempt a) {
            this(d, row, attempt, a, false);
        }

        static Done handedBack(Delivery d, String why) {
            return new Done(d, null, d.attempts(), new Attempt(null, DeliveryResult.retry(why)), true);
        }
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
        return Optional.of(new OutgoingMessage("<" + d.id() + "@" + core.settings().messageIdDomain() + ">", row.id(), row.template(),
                d.tenantId(),
                d.recipient().startsWith(OPERATORS) ? null : d.recipient(), address, name, r.locale(), r.subject(), r.text(), r.html()));
    }

    /** Records attempts' ends, their events and the incidents' notices, in the caller's unit of work. */
    private void record(List<Done> done) {
        Instant now = core.clock.instant();
        List<Outbox.Finish> finishes = new ArrayList<>();
        List<String[]> noticed = new ArrayList<>();
        List<MamoriEvent.Builder> events = new ArrayList<>();
        for (Done x : done) {
            Delivery d = x.d();
            Outbox.Row row = x.row();
            DeliveryResult r = x.a().result();
            if (x.untried()) {
                // due again at once, the attempt not counted
                finishes.add(new Outbox.Finish(d.id(), d.attempts() + 1, DeliveryState.QUEUED, now, null, r.answer(), true));
                continue;
            }
            if (row == null) {
                finishes.add(new Outbox.Finish(d.id(), d.attempts() + 1, DeliveryState.FAILED, now, null, "Its notification is gone."));
                continue;
            }
            if (r.status() == DeliveryResult.Status.SENT) {
                finishes.add(new Outbox.Finish(d.id(), d.attempts() + 1, DeliveryState.SENT, now, now, r.answer()));
                OutgoingMessage m = x.a().message();
                MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.SENT).target("delivery", d.id())
                        .detail("template", row.template()).detail("channel", d.channel()).detail("recipient", d.recipient())
                        .detail("attempt", x.attempt()).detail("textSha256", sha256(m.subject() + "\n" + m.text()))
                        .detail("messageId", m.messageId()).detail("incident", row.incidentId()).detail("notification", row.id());
                events.add(d.tenantId() == null ? e : e.tenant(d.tenantId()));
                if (row.incidentId() != null && d.tenantId() != null && Notification.EMAIL.equals(d.channel())) {
                    noticed.add(new String[] {row.incidentId(), d.tenantId()});
                }
                continue;
            }
            boolean giveUp = r.status() == DeliveryResult.Status.REFUSED || x.attempt() >= core.settings().maxAttempts();
            if (!giveUp) {
                finishes.add(new Outbox.Finish(d.id(), d.attempts() + 1, DeliveryState.QUEUED, now.plus(core.settings().backoff(x.attempt())), null,
                        r.answer()));
                continue;
            }
            finishes.add(new Outbox.Finish(d.id(), d.attempts() + 1, DeliveryState.FAILED, now, null, r.answer()));
            MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.FAILED).target("delivery", d.id())
                    .detail("template", row.template()).detail("channel", d.channel()).detail("recipient", d.recipient())
                    .detail("attempts", x.attempt()).detail("reason", r.status() == DeliveryResult.Status.REFUSED ? "refused" : "attempts")
                    .detail("incident", row.incidentId()).detail("notification", row.id()).outcome(MamoriEvent.Outcome.FAILURE);
            events.add(d.tenantId() == null ? e : e.tenant(d.tenantId()));
        }
        int recorded = core.outbox.finishAll(finishes);
        if (recorded < finishes.size()) {
            LOG.info("{} of {} delivery results were not recorded: their lease ran out and another run took them", finishes.size() - recorded,
                    finishes.size());
        }
        core.incidents.noticedAll(noticed, now);
        events.forEach(core.events::publish);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
