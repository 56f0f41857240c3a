package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which warehouse {@code aquifer tpch} works on, as given on its command line with the same options
 * as {@code aquifer start}; the server module resolves them with its configuration rules (file,
 * then environment, then flags).
 *
 * @param configFile {@code --config FILE}
 * @param dataDirectory {@code --data-dir DIR}
 */
public record WarehouseOptions(Optional<Path> configFile, Optional<String> dataDirectory) {
  public WarehouseOptions {
    requireNonNull(configFile, "configFile");
    requireNonNull(dataDirectory, "dataDirectory");
  }
}
