package dev.mamori.platform.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The platform's one {@link Clock} service: system time in the configured zone (AUD-6).
 * Tests register a higher-ranked Clock service to move time; consumers bind greedily.
 */
@Component(service = Clock.class, configurationPid = "dev.mamori.clock", property = "service.ranking:Integer=0")
@Designate(ocd = ConfiguredClock.Config.class)
public class ConfiguredClock extends Clock {

    /** Clock configuration (PID dev.mamori.clock). */
    @ObjectClassDefinition(name = "Mamori clock", description = "Time zone in which times are recorded and shown.")
    public @interface Config {
        /** @return zone id */
        @AttributeDefinition(description = "IANA zone id used to record and show times (AUD-6).")
        String zone() default "Asia/Tokyo";
    }

    private volatile ZoneId zone;

    /** @param config configuration */
    @Activate
    public ConfiguredClock(Config config) {
        this.zone = parse(config.zone());
    }

    @Modified
    void modified(Config config) {
        this.zone = parse(config.zone());
    }

    private static ZoneId parse(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("dev.mamori.clock: zone '" + id + "' is not a valid zone id", e);
        }
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.system(zone);
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }
}
