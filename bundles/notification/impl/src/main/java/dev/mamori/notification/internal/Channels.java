package dev.mamori.notification.internal;

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
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

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
        byId.merge((String) id, e, (old, neu) -> neu.ranking > old.ranking ? neu : old);
    }

    /** @param channel a channel going away */
    void unbind(NotificationChannel channel, Map<String, Object> props) {
        Object id = props.get(NotificationChannel.ID);
        if (id instanceof String) {
            byId.computeIfPresent((String) id, (k, e) -> e.channel == channel ? null : e);
        }
    }

    /** @param id channel id @return the channel, if one runs */
    Optional<NotificationChannel> get(String id) {
        return Optional.ofNullable(byId.get(id)).map(Entry::channel);
    }

    /** Registers a channel (tests, outside OSGi). */
    void put(String id, NotificationChannel channel) {
        byId.put(id, new Entry(channel, 0, 0));
    }
}
