package dev.mamori.platform.db;

import java.time.Instant;

import javax.persistence.AttributeConverter;
import javax.persistence.Converter;

/**
 * Instants as epoch milliseconds (BIGINT): exact and identical on H2 and PostgreSQL, whatever
 * the JVM's zone; shown in the configured zone. List it in your persistence unit.
 */
@Converter
public class InstantMillisConverter implements AttributeConverter<Instant, Long> {
    @Override
    public Long convertToDatabaseColumn(Instant attribute) {
        return attribute == null ? null : attribute.toEpochMilli();
    }

    @Override
    public Instant convertToEntityAttribute(Long dbData) {
        return dbData == null ? null : Instant.ofEpochMilli(dbData);
    }
}
