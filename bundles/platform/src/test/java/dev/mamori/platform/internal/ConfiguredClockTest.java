package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfiguredClockTest {

    static ConfiguredClock.Config zone(String zone) {
        return new ConfiguredClock.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConfiguredClock.Config.class;
            }

            @Override
            public String zone() {
                return zone;
            }
        };
    }

    @Test
    @DisplayName("AUD-6: the clock's zone is the configured one and can be changed at runtime")
    void zoneConfigured() {
        ConfiguredClock clock = new ConfiguredClock(zone("Asia/Tokyo"));
        assertEquals(ZoneId.of("Asia/Tokyo"), clock.getZone());
        clock.modified(zone("Europe/Berlin"));
        assertEquals(ZoneId.of("Europe/Berlin"), clock.getZone());
        assertEquals(ZoneId.of("UTC"), clock.withZone(ZoneId.of("UTC")).getZone());
    }

    @Test
    @DisplayName("AUD-6: the default zone is Asia/Tokyo")
    void defaultZone() throws Exception {
        assertEquals("Asia/Tokyo", ConfiguredClock.Config.class.getMethod("zone").getDefaultValue());
    }

    @Test
    @DisplayName("AUD-6: an invalid zone is refused with a message naming it; a bad update keeps the old zone")
    void invalidZone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConfiguredClock(zone("Mars/Olympus")));
        assertTrue(e.getMessage().contains("Mars/Olympus"));
        ConfiguredClock clock = new ConfiguredClock(zone("Asia/Tokyo"));
        assertThrows(IllegalArgumentException.class, () -> clock.modified(zone("")));
        assertEquals(ZoneId.of("Asia/Tokyo"), clock.getZone());
    }

    @Test
    @DisplayName("AUD-6: the clock tells system time")
    void systemTime() {
        ConfiguredClock clock = new ConfiguredClock(zone("Asia/Tokyo"));
        Instant before = Instant.now();
        Instant now = clock.instant();
        long millis = clock.millis();
        Instant after = Instant.now();
        assertFalse(now.isBefore(before));
        assertFalse(now.isAfter(after));
        assertTrue(millis >= before.toEpochMilli() && millis <= after.toEpochMilli());
    }
}
