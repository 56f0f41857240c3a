package io.aquifer.catalog;

/** What a principal is; users, service principals and groups share one name space. */
public enum PrincipalKind {
  USER,
  SERVICE_PRINCIPAL,
  GROUP
}
