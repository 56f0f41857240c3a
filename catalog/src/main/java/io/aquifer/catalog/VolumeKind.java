package io.aquifer.catalog;

/** Who owns a volume's directory: the server (MANAGED) or an admin's external location. */
public enum VolumeKind {
  MANAGED,
  EXTERNAL
}
