package io.aquifer.avatica;

import io.aquifer.gateway.ProductInfo;
import java.sql.Connection;
import java.util.EnumMap;
import java.util.Map;
import org.apache.calcite.avatica.Meta.DatabaseProperty;

/**
 * What Avatica's DatabasePropertyRequest tells clients: Aquifer's product name and version, and
 * that there are no transactions. Drivers report their own name and version; Aquifer's JDBC driver
 * reports these product values from {@code DatabaseMetaData}.
 *
 * <p>Keyword and function lists are left out (Avatica's defaults are empty): the Flight SQL front
 * end has them, and they belong in one place both front ends share.
 */
final class DatabaseProperties {
  private DatabaseProperties() {}

  static Map<DatabaseProperty, Object> of() {
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, ProductInfo.NAME);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, ProductInfo.version());
    properties.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, ProductInfo.versionPart(0));
    properties.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, ProductInfo.versionPart(1));
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_NONE);
    return Map.copyOf(properties);
  }
}
