package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.INVALID_OBJECT_NAME;

/**
 * The rule for owner principal names stored on catalog objects. Owners are not checked against
 * {@link PrincipalStore}: groups and service principals will own objects too once grants exist.
 */
final class Owners {
  private Owners() {}

  static String check(String owner) {
    if (owner == null || owner.isBlank()) {
      throw new CatalogException(INVALID_OBJECT_NAME, "owner must not be empty");
    }
    if (owner.length() > ObjectNames.MAX_LENGTH
        || owner.chars().anyMatch(Character::isISOControl)) {
      throw new CatalogException(
          INVALID_OBJECT_NAME,
          "owner name must be at most 255 characters without control characters");
    }
    return owner;
  }
}
