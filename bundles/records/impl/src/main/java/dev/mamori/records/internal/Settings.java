package dev.mamori.records.internal;

import java.time.Duration;

/**
 * The records configuration as values.
 *
 * @param maxPayloadBytes largest payload
 * @param trashPeriod     default trash period
 */
record Settings(int maxPayloadBytes, Duration trashPeriod) {
    static final Settings DEFAULTS = new Settings(256 * 1024, Duration.ofDays(30));

    static Settings of(RecordsConfig c) {
        return new Settings(c.max_payload_kib() * 1024, Duration.ofDays(c.trash_days()));
    }
}
