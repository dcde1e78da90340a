package dev.mamori.notification.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.notification.spi.NotificationChannel;

/**
 * The channels running now, by id (whiteboard). A channel that is missing when a delivery is due is
 * not a failure: the delivery waits for it (a plugin being updated, the SMTP configuration being
 * changed) until its attempts run out.
 */
@Component(service = Channels.class)
public class Channels {
    /** Every channel bound, by id; the highest ranking (then the oldest) is used, the others wait behind it. */
    private final Map<String, List<Entry>> byId = new ConcurrentHashMap<>();
    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private record Entry(NotificationChannel channel, int ranking, long serviceId) {
    }

    /** @param channel a channel @param props its service properties */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bind(NotificationChannel channel, Map<String, Object> props) {
        Object id = props.get(NotificationChannel.ID);
        if (!(id instanceof String) || ((String) id).isBlank()) {
            return;
        }
        Entry e = new Entry(channel, props.get(Constants.SERVICE_RANKING) instanceof Integer ? (Integer) props.get(Constants.SERVICE_RANKING)
                : 0, props.get(Constants.SERVICE_ID) instanceof Long ? (Long) props.get(Constants.SERVICE_ID) : 0L);
        byId.compute((String) id, (k, old) -> {
            List<Entry> all = old == null ? new ArrayList<>() : new ArrayList<>(old);
            all.add(e);
            all.sort(ORDER);
            return List.copyOf(all);
        });
    }

    /** @param channel a channel going away; the next in rank takes its place */
    void unbind(NotificationChannel channel, Map<String, Object> props) {
        Object id = props.get(NotificationChannel.ID);
        if (id instanceof String) {
            byId.computeIfPresent((String) id, (k, old) -> {
                List<Entry> rest = old.stream().filter(e -> e.channel != channel).toList();
                return rest.isEmpty() ? null : rest;
            });
        }
    }

    /** @param id channel id @return the channel, if one runs */
    Optional<NotificationChannel> get(String id) {
        List<Entry> all = byId.get(id);
        return all == null || all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).channel());
    }

    /** Registers a channel (tests, outside OSGi), in place of any other with this id. */
    void put(String id, NotificationChannel channel) {
        byId.put(id, List.of(new Entry(channel, 0, 0)));
    }
}
