package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.volumes.VolumeFile;
import io.aquifer.gateway.volumes.VolumeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Databricks' Files API 2.0 over volumes: {@code /api/2.0/fs/files/Volumes/...} (PUT, GET, HEAD,
 * DELETE) and {@code /api/2.0/fs/directories/Volumes/...} (GET lists, PUT creates, HEAD, DELETE).
 * Uploads and downloads stream between the HTTP exchange and the volume; nothing is held in memory.
 * The gateway's {@link VolumeFiles} checks paths and privileges.
 */
final class FilesApi {
  static final String FILES = "/api/2.0/fs/files";
  static final String DIRECTORIES = "/api/2.0/fs/directories";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final StatementService service;

  FilesApi(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  static boolean handles(String path) {
    return path.startsWith(FILES + "/") || path.startsWith(DIRECTORIES + "/");
  }

  /** Answers one Files API call; failures are thrown for the front end to send. */
  void handle(
      HttpExchange exchange,
      Principal principal,
      String method,
      String path,
      Map<String, String> query)
      throws IOException {
    VolumeFiles files = service.volumeFiles();
    if (path.startsWith(FILES + "/")) {
      String file = path.substring(FILES.length());
      switch (method) {
        case "PUT" -> {
          boolean overwrite = flag(query, "overwrite");
          try (InputStream body = exchange.getRequestBody()) {
            files.upload(principal, file, body, overwrite);
          }
          exchange.sendResponseHeaders(204, -1);
        }
        case "GET" -> {
          VolumeFiles.Download download = files.download(principal, file);
          try (InputStream in = download.data()) {
            headers(exchange, download.file());
            long size = download.file().entry().size();
            exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
            if (size > 0) {
              try (OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
              }
            }
          }
        }
        case "HEAD" -> {
          headers(exchange, files.fileMetadata(principal, file));
          exchange.sendResponseHeaders(200, -1);
        }
        case "DELETE" -> {
          files.deleteFile(principal, file);
          exchange.sendResponseHeaders(204, -1);
        }
        default -> throw notAllowed(method, path);
      }
      return;
    }
    String directory = path.substring(DIRECTORIES.length());
    switch (method) {
      case "GET" -> {
        List<Map<String, Object>> contents = new ArrayList<>();
        for (VolumeFile f : files.listDirectory(principal, directory)) {
          Map<String, Object> entry = new LinkedHashMap<>();
          boolean dir = f.entry().directory();
          entry.put("path", dir ? f.path() + "/" : f.path());
          entry.put("is_directory", dir);
          if (!dir) {
            entry.put("file_size", f.entry().size());
          }
          entry.put("last_modified", f.entry().modified().toEpochMilli());
          entry.put("name", f.name());
          contents.add(entry);
        }
        byte[] body = RestJson.bytes(Map.of("contents", contents));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      case "PUT" -> {
        files.createDirectory(principal, directory);
        exchange.sendResponseHeaders(204, -1);
      }
      case "HEAD" -> {
        files.directoryMetadata(principal, directory);
        exchange.sendResponseHeaders(200, -1);
      }
      case "DELETE" -> {
        files.deleteDirectory(principal, directory);
        exchange.sendResponseHeaders(204, -1);
      }
      default -> throw notAllowed(method, path);
    }
  }

  private static void headers(HttpExchange exchange, VolumeFile file) {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("Content-Length", Long.toString(file.entry().size()));
    exchange.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(file.entry().modified()));
  }

  private static boolean flag(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw DatabricksApiException.invalidParameter(
              "Invalid value for '" + name + "': expected true or false, got '" + value + "'");
    };
  }

  private static DatabricksApiException notAllowed(String method, String path) {
    return new DatabricksApiException(
        404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
  }
}
