package io.aquifer.conformance.volumes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.files.CreateDirectoryRequest;
import com.databricks.sdk.service.files.DirectoryEntry;
import com.databricks.sdk.service.files.DownloadResponse;
import com.databricks.sdk.service.files.UploadRequest;
import com.databricks.sdk.service.sql.ColumnInfo;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import io.aquifer.conformance.ConformanceServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Files API through the Databricks SDK for Java's {@code WorkspaceClient.files()}. */
class DatabricksSdkFilesTest {
  @TempDir Path dataDirectory;

  @Test
  void uploadDownloadListAndDeleteFilesOfAVolume() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      WorkspaceClient client =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(server.server().databricksRest().baseUrl())
                  .setToken(server.token()));
      sql(server, client, "CREATE VOLUME main.default.files");
      String root = "/Volumes/main/default/files";

      byte[] data = new byte[3 * 1024 * 1024 + 17];
      new Random(7).nextBytes(data);
      client
          .files()
          .upload(
              new UploadRequest()
                  .setFilePath(root + "/in/data.bin")
                  .setContents(new ByteArrayInputStream(data))
                  .setOverwrite(false));
      client
          .files()
          .createDirectory(new CreateDirectoryRequest().setDirectoryPath(root + "/empty"));

      DownloadResponse download = client.files().download(root + "/in/data.bin");
      byte[] read;
      try (InputStream in = download.getContents()) {
        read = in.readAllBytes();
      }
      assertArrayEquals(data, read);
      assertEquals(
          data.length, client.files().getMetadata(root + "/in/data.bin").getContentLength());

      List<String> top = new ArrayList<>();
      for (DirectoryEntry e : client.files().listDirectoryContents(root)) {
        top.add(e.getName() + ":" + e.getIsDirectory());
      }
      assertEquals(List.of("empty:true", "in:true"), top);
      List<DirectoryEntry> in = new ArrayList<>();
      client.files().listDirectoryContents(root + "/in").forEach(in::add);
      assertEquals(1, in.size());
      assertEquals(root + "/in/data.bin", in.get(0).getPath());
      assertEquals(data.length, in.get(0).getFileSize());
      assertFalse(in.get(0).getIsDirectory());

      // Upload without overwrite onto an existing file fails; with it, replaces the file.
      DatabricksError exists =
          assertThrows(
              DatabricksError.class,
              () ->
                  client
                      .files()
                      .upload(
                          new UploadRequest()
                              .setFilePath(root + "/in/data.bin")
                              .setContents(new ByteArrayInputStream(new byte[] {1}))
                              .setOverwrite(false)));
      assertEquals(409, exists.getStatusCode());
      client
          .files()
          .upload(
              new UploadRequest()
                  .setFilePath(root + "/in/data.bin")
                  .setContents(new ByteArrayInputStream("small".getBytes(StandardCharsets.UTF_8)))
                  .setOverwrite(true));
      try (InputStream again = client.files().download(root + "/in/data.bin").getContents()) {
        assertEquals("small", new String(again.readAllBytes(), StandardCharsets.UTF_8));
      }

      // A directory with files cannot be deleted; an empty one can.
      DatabricksError notEmpty =
          assertThrows(DatabricksError.class, () -> client.files().deleteDirectory(root + "/in"));
      assertEquals(409, notEmpty.getStatusCode());
      client.files().delete(root + "/in/data.bin");
      DatabricksError gone =
          assertThrows(DatabricksError.class, () -> client.files().download(root + "/in/data.bin"));
      assertEquals(404, gone.getStatusCode());
      client.files().deleteDirectory(root + "/in");
      client.files().deleteDirectory(root + "/empty");
      assertFalse(client.files().listDirectoryContents(root).iterator().hasNext());

      // Paths outside a volume are refused.
      DatabricksError escape =
          assertThrows(
              DatabricksError.class,
              () -> client.files().getMetadata("/Volumes/main/default/files/../../x"));
      assertEquals(400, escape.getStatusCode());
      DatabricksError unknownVolume =
          assertThrows(
              DatabricksError.class,
              () -> client.files().download("/Volumes/main/default/nope/x.bin"));
      assertEquals(404, unknownVolume.getStatusCode());
      assertTrue(unknownVolume.getMessage().contains("does not exist"), unknownVolume.getMessage());

      // An external volume lives in an admin's external location; DROP VOLUME keeps its files.
      Path location = dataDirectory.resolve("external").resolve("shared");
      sql(server, client, "CREATE EXTERNAL VOLUME main.default.ext LOCATION '" + location + "'");
      client
          .files()
          .upload(
              new UploadRequest()
                  .setFilePath("/Volumes/main/default/ext/report.txt")
                  .setContents(new ByteArrayInputStream("q3".getBytes(StandardCharsets.UTF_8)))
                  .setOverwrite(false));
      assertEquals("q3", Files.readString(location.resolve("report.txt")));
      sql(server, client, "DROP VOLUME main.default.ext");
      assertTrue(Files.exists(location.resolve("report.txt")));
      assertEquals(
          StatementState.FAILED,
          client
              .statementExecution()
              .executeStatement(
                  new ExecuteStatementRequest()
                      .setWarehouseId(server.server().databricksRest().warehouseId())
                      .setStatement(
                          "CREATE EXTERNAL VOLUME main.default.bad LOCATION '"
                              + dataDirectory.resolve("warehouse")
                              + "'")
                      .setWaitTimeout("50s"))
              .getStatus()
              .getState());
    }
  }

  @Test
  void copyIntoAnswersDatabricksCountColumns() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      WorkspaceClient client =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(server.server().databricksRest().baseUrl())
                  .setToken(server.token()));
      sql(server, client, "CREATE VOLUME main.default.drops");
      sql(server, client, "CREATE TABLE main.default.people (id BIGINT, name STRING)");
      upload(client, "/Volumes/main/default/drops/csv/a.csv", "id,name\n1,Ada\n2,Alan\n");
      String copy =
          "COPY INTO main.default.people FROM '/Volumes/main/default/drops/csv'"
              + " FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true')";
      StatementResponse first = run(server, client, copy);
      assertEquals(StatementState.SUCCEEDED, first.getStatus().getState());
      assertEquals(
          List.of("num_affected_rows", "num_inserted_rows"),
          first.getManifest().getSchema().getColumns().stream().map(ColumnInfo::getName).toList());
      assertEquals(
          List.of(List.of("2", "2")),
          first.getResult().getDataArray().stream().map(List::copyOf).toList());
      // Loaded files are skipped: a row of zeros.
      assertEquals(
          List.of(List.of("0", "0")),
          run(server, client, copy).getResult().getDataArray().stream().map(List::copyOf).toList());
    }
  }

  private static void upload(WorkspaceClient client, String path, String text) {
    client
        .files()
        .upload(
            new UploadRequest()
                .setFilePath(path)
                .setContents(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                .setOverwrite(true));
  }

  private static StatementResponse run(
      ConformanceServer server, WorkspaceClient client, String statement) {
    return client
        .statementExecution()
        .executeStatement(
            new ExecuteStatementRequest()
                .setWarehouseId(server.server().databricksRest().warehouseId())
                .setStatement(statement)
                .setWaitTimeout("50s"));
  }

  private static void sql(ConformanceServer server, WorkspaceClient client, String statement) {
    assertEquals(
        StatementState.SUCCEEDED,
        client
            .statementExecution()
            .executeStatement(
                new ExecuteStatementRequest()
                    .setWarehouseId(server.server().databricksRest().warehouseId())
                    .setStatement(statement)
                    .setWaitTimeout("50s"))
            .getStatus()
            .getState(),
        statement);
  }
}
