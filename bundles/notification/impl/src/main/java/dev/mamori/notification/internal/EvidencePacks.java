package dev.mamori.notification.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.EvidencePack;
import dev.mamori.records.CategoryCount;
import dev.mamori.records.RecordService;

/** An affected tenant's evidence pack, from the incident, its notifications to the tenant and their deliveries. */
final class EvidencePacks {
    private EvidencePacks() {
    }

    /**
     * @param records the records capability, or null when it does not run
     */
    static EvidencePack of(NotificationCore core, IncidentStore.Row r, String tenant, Instant noticedAt, RecordService records,
            String tenantName) {
        Instant now = core.clock.instant();
        List<EvidencePack.TimelineEntry> timeline = new ArrayList<>();
        timeline.add(new EvidencePack.TimelineEntry(r.discoveredAt(), "discovered", r.status().name()));
        timeline.add(new EvidencePack.TimelineEntry(r.openedAt(), "opened", "incident " + r.id()));
        String lastNotification = null;
        for (Outbox.IncidentLine l : core.outbox.forIncident(r.id(), tenant)) {
            if (!l.notificationId().equals(lastNotification)) {
                timeline.add(new EvidencePack.TimelineEntry(l.queuedAt(), l.template().equals("incident.notice") ? "notice-queued"
                        : "update-queued", "notification " + l.notificationId()));
                lastNotification = l.notificationId();
            }
            if (l.state() == DeliveryState.SENT) {
                timeline.add(new EvidencePack.TimelineEntry(l.sentAt(), "delivered", l.channel() + " to account " + l.recipient()
                        + ", Message-ID <" + l.deliveryId() + "@" + core.settings().messageIdDomain() + ">" + (l.answer() == null ? ""
                                : ", answer: " + l.answer())));
            } else if (l.state() == DeliveryState.FAILED) {
                timeline.add(new EvidencePack.TimelineEntry(l.queuedAt(), "delivery-failed", l.channel() + " to " + l.recipient()
                        + (l.answer() == null ? "" : ": " + l.answer())));
            }
        }
        if (r.outageStart() != null) {
            timeline.add(new EvidencePack.TimelineEntry(r.outageStart(), "outage-started", ""));
        }
        if (r.outageEnd() != null) {
            timeline.add(new EvidencePack.TimelineEntry(r.outageEnd(), "outage-ended", ""));
        }
        if (r.closedAt() != null) {
            timeline.add(new EvidencePack.TimelineEntry(r.closedAt(), "closed", r.status().name()));
        }
        timeline.sort(Comparator.comparing(EvidencePack.TimelineEntry::at));
        Map<String, Long> counts = new HashMap<>();
        if (records != null && !r.categories().isEmpty()) {
            for (CategoryCount c : records.count(tenant)) {
                counts.put(c.category(), c.live() + c.trashed());
            }
        }
        List<EvidencePack.CategoryRecords> categories = new ArrayList<>();
        for (String c : r.categories()) {
            categories.add(new EvidencePack.CategoryRecords(c, records == null ? -1 : counts.getOrDefault(c, 0L)));
        }
        return new EvidencePack(r.id(), tenant, tenantName, r.title(), r.status(), r.discoveredAt(), r.summary(), r.cause(), r.response(),
                r.unlawful(), categories, timeline, r.discoveredAt().plus(Clocks.NOTICE), noticedAt,
                r.discoveredAt().plus(Clocks.APPI_PRELIMINARY), r.discoveredAt().plus(r.unlawful() ? Clocks.APPI_FINAL_UNLAWFUL
                        : Clocks.APPI_FINAL), now);
    }
}
