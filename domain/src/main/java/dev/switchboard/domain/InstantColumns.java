package dev.switchboard.domain;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * {@code timestamptz} columns as {@link Instant}s, bound as the JDBC code binds them. EclipseLink
 * 4.0 (Jakarta Persistence 3.1) has no mapping of its own for {@code Instant} and would store it
 * serialized.
 */
@Converter(autoApply = true)
public final class InstantColumns implements AttributeConverter<Instant, Timestamp> {

  @Override
  public Timestamp convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  @Override
  public Instant convertToEntityAttribute(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
