package dev.mamori.tenant.internal;

import java.time.Instant;

import javax.persistence.AttributeConverter;
import javax.persistence.Converter;

/** Instants as epoch milliseconds: exact and identical on H2 and PostgreSQL, whatever the JVM zone. */
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
