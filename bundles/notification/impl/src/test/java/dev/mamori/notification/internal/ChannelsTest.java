package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.NotificationChannel;

@DisplayName("Channels by id (whiteboard): the highest ranking is used; when it goes, the next takes its place")
class ChannelsTest {
    private static Map<String, Object> props(int ranking, long serviceId) {
        return Map.of(NotificationChannel.ID, "email", Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, serviceId);
    }

    @Test
    void rankedAndReplaced() {
        Channels channels = new Channels();
        NotificationChannel stock = m -> DeliveryResult.sent("stock");
        NotificationChannel plugin = m -> DeliveryResult.sent("plugin");
        channels.bind(stock, props(0, 10));
        channels.bind(plugin, props(100, 20));
        assertSame(plugin, channels.get("email").orElseThrow(), "the higher ranking");
        channels.unbind(plugin, props(100, 20));
        assertSame(stock, channels.get("email").orElseThrow(), "the one it stood in front of is back at once");
        channels.unbind(stock, props(0, 10));
        assertTrue(channels.get("email").isEmpty());
    }
}
