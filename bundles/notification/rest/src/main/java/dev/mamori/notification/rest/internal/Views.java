package dev.mamori.notification.rest.internal;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.Availability;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.EvidencePack;
import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.Notice;
import dev.mamori.notification.ObligationClock;

/** What the notification endpoints answer. */
final class Views {
    static final String JSON = "application/json";

    /** @return the limit given as a query parameter (a number; absent: {@code otherwise}), 400 for anything else */
    static int limit(String text, int otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new dev.mamori.platform.error.MamoriException(dev.mamori.notification.NotificationErrors.INVALID_NOTIFICATION,
                    "limit: a number.");
        }
    }

    /** @return a true/false query parameter (absent: false), 400 for anything else */
    static boolean flag(String name, String text) {
        if (text == null || text.isBlank() || text.strip().equals("false")) {
            return false;
        }
        if (text.strip().equals("true")) {
            return true;
        }
        throw new dev.mamori.platform.error.MamoriException(dev.mamori.notification.NotificationErrors.INVALID_NOTIFICATION,
                name + ": true or false.");
    }

    private Views() {
    }

    /** An in-app notice. */
    @Schema(name = "Notice", description = "An in-app notice to the caller")
    public static final class NoticeView {
        /** Id. */
        public String id;
        /** Kind. */
        @Schema(description = "What kind: incident.notice, incident.update, ...")
        public String template;
        /** Subject. */
        public String subject;
        /** Text. */
        @Schema(description = "Plain text; a client escapes it where it shows it as HTML")
        public String text;
        /** Arrived. */
        public Instant createdAt;
        /** Read. */
        @Schema(description = "When the caller marked it read; absent while unread")
        public Instant readAt;

        static NoticeView of(Notice n) {
            NoticeView v = new NoticeView();
            v.id = n.id();
            v.template = n.template();
            v.subject = n.subject();
            v.text = n.text();
            v.createdAt = n.createdAt();
            v.readAt = n.readAt();
            return v;
        }
    }

    /** One deadline of an incident. */
    @Schema(name = "ObligationClock", description = "A deadline the incident sets, as of the answer")
    public static final class ClockView {
        /** Name. */
        @Schema(description = "notice (72 h, NTF-1), progress (24 h, NTF-3), appi-preliminary, appi-final")
        public String name;
        /** Due. */
        public Instant dueAt;
        /** Met. */
        public Instant metAt;
        /** State. */
        public ObligationClock.State state;
        /** Seconds left. */
        @Schema(description = "Seconds until the deadline, negative when overdue, 0 once met or stopped")
        public long secondsLeft;
        /** Pending. */
        @Schema(description = "For the notice: affected tenants not told yet")
        public int pending;

        static ClockView of(ObligationClock c) {
            ClockView v = new ClockView();
            v.name = c.name();
            v.dueAt = c.dueAt();
            v.metAt = c.metAt();
            v.state = c.state();
            v.secondsLeft = c.timeLeft().getSeconds();
            v.pending = c.pending();
            return v;
        }
    }

    /** An incident. */
    @Schema(name = "Incident", description = "An incident with its obligation clocks")
    public static final class IncidentView {
        /** Id. */
        public String id;
        /** Title. */
        public String title;
        /** Status. */
        public IncidentStatus status;
        /** Discovered. */
        public Instant discoveredAt;
        /** Opened. */
        public Instant openedAt;
        /** Summary. */
        public String summary;
        /** Cause. */
        public String cause;
        /** Response. */
        public String response;
        /** Unlawful. */
        public boolean unlawful;
        /** All tenants. */
        public boolean allTenants;
        /** Tenants. */
        public int tenants;
        /** Notices. */
        @Schema(description = "Notices and updates queued to the tenants")
        public int noticesSent;
        /** Last update. */
        public Instant lastUpdateAt;
        /** Closed. */
        public Instant closedAt;
        /** Clocks. */
        public List<ClockView> clocks;
        /** Version. */
        @Schema(description = "Also the ETag; a change sends it back in If-Match")
        public long version;
        /** Outage start. */
        @Schema(description = "When the service stopped for the affected tenants (their availability counts it)")
        public Instant outageStart;
        /** Outage end. */
        public Instant outageEnd;
        /** Categories. */
        @Schema(description = "Affected data categories (record category names)")
        public List<String> categories;

        static IncidentView of(Incident i) {
            IncidentView v = new IncidentView();
            v.id = i.id();
            v.title = i.title();
            v.status = i.status();
            v.discoveredAt = i.discoveredAt();
            v.openedAt = i.openedAt();
            v.summary = i.summary();
            v.cause = i.cause();
            v.response = i.response();
            v.unlawful = i.unlawful();
            v.allTenants = i.allTenants();
            v.tenants = i.tenants();
            v.noticesSent = i.noticesSent();
            v.lastUpdateAt = i.lastUpdateAt();
            v.closedAt = i.closedAt();
            v.clocks = i.clocks().stream().map(ClockView::of).toList();
            v.version = i.version();
            v.outageStart = i.outageStart();
            v.outageEnd = i.outageEnd();
            v.categories = i.categories();
            return v;
        }
    }

    /** A line of the delivery log. */
    @Schema(name = "Delivery", description = "One recipient of a notification over one channel; recipients are account ids")
    public static final class DeliveryView {
        /** Id. */
        public String id;
        /** Notification. */
        public String notificationId;
        /** Template. */
        public String template;
        /** Tenant. */
        public String tenantId;
        /** Recipient. */
        @Schema(description = "Account id, or operators#n for the n-th configured operator address")
        public String recipient;
        /** Channel. */
        public String channel;
        /** State. */
        public DeliveryState state;
        /** Attempts. */
        public int attempts;
        /** Queued. */
        public Instant queuedAt;
        /** Next attempt. */
        public Instant nextAttemptAt;
        /** Sent. */
        public Instant sentAt;
        /** Answer. */
        @Schema(description = "The channel's last answer, e.g. the SMTP server's reply")
        public String answer;
        /** Incident. */
        public String incidentId;

        static DeliveryView of(Delivery d) {
            DeliveryView v = new DeliveryView();
            v.id = d.id();
            v.notificationId = d.notificationId();
            v.template = d.template();
            v.tenantId = d.tenantId();
            v.recipient = d.recipient();
            v.channel = d.channel();
            v.state = d.state();
            v.attempts = d.attempts();
            v.queuedAt = d.queuedAt();
            v.nextAttemptAt = d.nextAttemptAt();
            v.sentAt = d.sentAt();
            v.answer = d.answer();
            v.incidentId = d.incidentId();
            return v;
        }
    }

    /** An announcement. */
    @Schema(name = "Announcement", description = "A service change, vulnerability, policy change or planned maintenance told to tenants")
    public static final class AnnouncementView {
        /** Id. */
        public String id;
        /** Kind. */
        public AnnouncementKind kind;
        /** Title. */
        public String title;
        /** Body. */
        public String body;
        /** All. */
        @Schema(description = "For every tenant (operators only see whom else it was for)")
        public boolean allTenants;
        /** Tenants. */
        public List<String> tenants;
        /** Plans. */
        public List<String> plans;
        /** When. */
        public Instant sendAt;
        /** Sent. */
        public Instant sentAt;
        /** Cancelled. */
        public Instant cancelledAt;
        /** Recipients. */
        @Schema(description = "Tenants it went to")
        public int recipients;
        /** Window start. */
        public Instant maintenanceStart;
        /** Window end. */
        public Instant maintenanceEnd;
        /** Written. */
        public Instant createdAt;

        static AnnouncementView of(Announcement a) {
            AnnouncementView v = new AnnouncementView();
            v.id = a.id();
            v.kind = a.kind();
            v.title = a.title();
            v.body = a.body();
            v.allTenants = a.allTenants();
            v.tenants = a.tenants();
            v.plans = a.plans();
            v.sendAt = a.sendAt();
            v.sentAt = a.sentAt();
            v.cancelledAt = a.cancelledAt();
            v.recipients = a.recipients();
            v.maintenanceStart = a.maintenanceStart();
            v.maintenanceEnd = a.maintenanceEnd();
            v.createdAt = a.createdAt();
            return v;
        }
    }

    /** A month's availability. */
    @Schema(name = "Availability", description = "A calendar month's availability (configured zone), announced maintenance left out")
    public static final class AvailabilityView {
        /** Month. */
        @Schema(description = "yyyy-MM")
        public String month;
        /** Tenant. */
        @Schema(description = "The tenant; absent for the platform")
        public String tenantId;
        /** Measured. */
        public long measuredMinutes;
        /** Maintenance. */
        public long maintenanceMinutes;
        /** Down. */
        public long downMinutes;
        /** Percent. */
        @Schema(description = "Percent available, rounded down to 3 places; absent when nothing was measured", type = "string")
        public String percent;
        /** Target. */
        @Schema(type = "string")
        public String target;
        /** Below. */
        public boolean below;
        /** Complete. */
        @Schema(description = "Whether the month has ended")
        public boolean complete;

        static AvailabilityView of(Availability a) {
            AvailabilityView v = new AvailabilityView();
            v.month = a.month();
            v.tenantId = a.tenantId();
            v.measuredMinutes = a.measured();
            v.maintenanceMinutes = a.maintenance();
            v.downMinutes = a.down();
            v.percent = a.percent() == null ? null : a.percent().toPlainString();
            v.target = a.target().toPlainString();
            v.below = a.below();
            v.complete = a.complete();
            return v;
        }
    }

    /** An evidence pack. */
    @Schema(name = "EvidencePack", description = "What an affected tenant hands its regulator about an incident")
    public static final class EvidenceView {
        /** Incident. */
        public String incidentId;
        /** Tenant. */
        public String tenantId;
        /** Name. */
        public String tenantName;
        /** Title. */
        public String title;
        /** Status. */
        public IncidentStatus status;
        /** Discovered. */
        public Instant discoveredAt;
        /** Summary. */
        public String summary;
        /** Cause. */
        public String cause;
        /** Response. */
        public String response;
        /** Unlawful. */
        public boolean unlawful;
        /** Categories. */
        public List<CategoryView> categories;
        /** Timeline. */
        public List<TimelineView> timeline;
        /** Notice due. */
        public Instant noticeDueAt;
        /** Noticed. */
        public Instant noticedAt;
        /** APPI preliminary. */
        @Schema(description = "APPI's preliminary report to the regulator: about 3-5 days after discovery (5 shown)")
        public Instant appiPreliminaryDue;
        /** APPI final. */
        @Schema(description = "APPI's final report: 30 days after discovery, 60 for an unlawful act")
        public Instant appiFinalDue;
        /** Generated. */
        public Instant generatedAt;

        static EvidenceView of(EvidencePack e) {
            EvidenceView v = new EvidenceView();
            v.incidentId = e.incidentId();
            v.tenantId = e.tenantId();
            v.tenantName = e.tenantName();
            v.title = e.title();
            v.status = e.status();
            v.discoveredAt = e.discoveredAt();
            v.summary = e.summary();
            v.cause = e.cause();
            v.response = e.response();
            v.unlawful = e.unlawful();
            v.categories = e.categories().stream().map(c -> {
                CategoryView k = new CategoryView();
                k.category = c.category();
                k.records = c.records();
                return k;
            }).toList();
            v.timeline = e.timeline().stream().map(t -> {
                TimelineView k = new TimelineView();
                k.at = t.at();
                k.what = t.what();
                k.detail = t.detail();
                return k;
            }).toList();
            v.noticeDueAt = e.noticeDueAt();
            v.noticedAt = e.noticedAt();
            v.appiPreliminaryDue = e.appiPreliminaryDue();
            v.appiFinalDue = e.appiFinalDue();
            v.generatedAt = e.generatedAt();
            return v;
        }
    }

    /** An affected category. */
    @Schema(name = "EvidenceCategory", description = "An affected data category and the tenant's records in it")
    public static final class CategoryView {
        /** Category. */
        public String category;
        /** Records. */
        @Schema(description = "Records (live and in the trash); -1 when the records capability does not run")
        public long records;
    }

    /** A step. */
    @Schema(name = "EvidenceStep", description = "What happened when")
    public static final class TimelineView {
        /** At. */
        public Instant at;
        /** What. */
        public String what;
        /** Detail. */
        public String detail;
    }
}
