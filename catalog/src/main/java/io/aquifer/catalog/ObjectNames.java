package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.INVALID_OBJECT_NAME;

import java.util.Locale;

/**
 * The naming rule for catalogs, schemas, tables and views: names are case-insensitive and stored in
 * lower case; a name is non-empty, at most {@value #MAX_LENGTH} characters, and holds no {@code
 * '.'} and no control character.
 */
public final class ObjectNames {
  public static final int MAX_LENGTH = 255;

  private ObjectNames() {}

  /**
   * Checks {@code name} and returns it in lower case.
   *
   * @param kind what the name names ("catalog", "schema", "table"), for the message
   * @throws CatalogException with {@link CatalogErrorCode#INVALID_OBJECT_NAME}
   */
  public static String normalize(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new CatalogException(INVALID_OBJECT_NAME, kind + " name must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new CatalogException(
          INVALID_OBJECT_NAME,
          kind + " name is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        throw new CatalogException(
            INVALID_OBJECT_NAME, kind + " name '" + name + "' must not contain '.'");
      }
      if (Character.isISOControl(c)) {
        throw new CatalogException(
            INVALID_OBJECT_NAME,
            kind
                + " name must not contain control characters (U+"
                + String.format("%04X", (int) c)
                + " at position "
                + i
                + ")");
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
