package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over HTTPS with a PEM certificate and key ({@code --tls-cert}, {@code --tls-key}).
 */
class DatabricksRestTlsTest {
  @TempDir Path dataDirectory;
  @TempDir Path keys;

  @Test
  void servesStatementsOverHttpsWithAPemCertificate() throws Exception {
    Path cert = keys.resolve("cert.pem");
    Path key = keys.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    assertEquals(0, openssl.waitFor(), "openssl must make a test certificate");

    try (ConformanceServer server =
        ConformanceServer.start(
            dataDirectory,
            Map.of(ServerConfig.TLS_CERT, cert.toString(), ServerConfig.TLS_KEY, key.toString()))) {
      String host = server.server().databricksRest().baseUrl();
      assertTrue(host.startsWith("https://"), host);
      JsonNode connection =
          new ObjectMapper().readTree(dataDirectory.resolve("connection.json").toFile());
      assertEquals(host, connection.get("databricks").get("host").asText());
      assertTrue(connection.get("databricks").get("jdbcUrl").asText().contains(";ssl=1;"));

      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(trusting(cert))
              .connectTimeout(Duration.ofSeconds(30))
              .build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(host + "/api/2.0/sql/statements"))
                  .header("Authorization", "Bearer " + server.token())
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"statement\": \"SELECT 40 + 2 AS answer\", \"warehouse_id\": \""
                              + server.server().databricksRest().warehouseId()
                              + "\", \"wait_timeout\": \"30s\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertEquals("SUCCEEDED", body.get("status").get("state").asText());
      assertEquals("42", body.get("result").get("data_array").get(0).get(0).asText());
    }
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry(
          "aquifer", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
