package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/** One privilege granted to one principal on one securable. */
public record GrantInfo(
    Securable securable, String principal, Privilege privilege, String grantedBy) {
  public GrantInfo {
    requireNonNull(securable, "securable");
    requireNonNull(principal, "principal");
    requireNonNull(privilege, "privilege");
    requireNonNull(grantedBy, "grantedBy");
  }
}
