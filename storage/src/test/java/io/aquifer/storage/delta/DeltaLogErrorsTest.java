package io.aquifer.storage.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs Aquifer must refuse, written by hand: unknown table features. */
class DeltaLogErrorsTest {
  private static final String METADATA =
      "{\"metaData\":{\"id\":\"t\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
          + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
          + "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
          + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}";

  @TempDir Path dir;
  private final KernelDeltaTables tables = new KernelDeltaTables();

  @Test
  void unknownReaderFeatureIsAnUnsupportedProtocol() throws Exception {
    URI location =
        table(
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                + "\"readerFeatures\":[\"fancyReads\"],\"writerFeatures\":[\"fancyReads\"]}}");

    StorageException e = assertThrows(StorageException.class, () -> tables.latest(location));

    assertEquals(StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL, e.code());
    assertTrue(e.getMessage().contains("fancyReads"), e.getMessage());
    assertTrue(e.getMessage().contains(Path.of(location).toString()), e.getMessage());
  }

  @Test
  void unknownWriterFeatureAllowsReadingButNotCommitting() throws Exception {
    URI location =
        table(
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                + "\"writerFeatures\":[\"fancyWrites\"]}}");
    assertEquals(0, tables.latest(location).version());

    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                tables.commit(
                    location, new CommitRequest(0, "WRITE", Map.of(), List.of(), List.of())));

    assertEquals(StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("fancyWrites"), e.getMessage());
    assertEquals(0, tables.latest(location).version());
  }

  private URI table(String protocol) throws Exception {
    Path log = Files.createDirectories(dir.resolve("t/_delta_log"));
    Files.writeString(log.resolve("00000000000000000000.json"), protocol + "\n" + METADATA + "\n");
    return dir.resolve("t").toUri();
  }
}
