package dev.switchboard.domain;

import java.sql.Types;
import java.util.UUID;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.mappings.DatabaseMapping;
import org.eclipse.persistence.mappings.DirectToFieldMapping;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;

/**
 * {@code uuid} columns as {@link UUID}s the way the PostgreSQL driver binds and reads them.
 * EclipseLink 4.0's own UUID converter fails on a null column value (a NullPointerException reading
 * it), and a null it binds is a {@code varchar} null, which PostgreSQL refuses for a uuid column:
 * so the converter goes, the driver's UUID passes through, and a null is bound untyped. The one
 * place that needs EclipseLink's own API (the field type is internal to it).
 */
public final class UuidColumns implements SessionCustomizer {

  @Override
  public void customize(Session session) {
    for (ClassDescriptor descriptor : session.getDescriptors().values()) {
      for (DatabaseMapping mapping : descriptor.getMappings()) {
        if (mapping instanceof DirectToFieldMapping direct
            && isUuid(descriptor.getJavaClass(), mapping)) {
          direct.setConverter(null);
          direct.getField().setSqlType(Types.OTHER);
        }
      }
    }
  }

  private static boolean isUuid(Class<?> entity, DatabaseMapping mapping) {
    for (Class<?> c = entity; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(mapping.getAttributeName()).getType() == UUID.class;
      } catch (NoSuchFieldException notHere) {
        // declared higher up
      }
    }
    return false;
  }
}
