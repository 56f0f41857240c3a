package io.aquifer.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AquiferUrlTest {
  @Test
  void hostPortCatalogSchemaAndProperties() throws SQLException {
    Properties info = new Properties();
    info.setProperty("token", "from-properties");
    info.setProperty("fetch_size", "500");
    AquiferUrl url =
        AquiferUrl.parse(
            "jdbc:aquifer://db.example.com:9000/sales/eu%20west?token=dapi123&ssl=true", info);
    assertEquals("db.example.com", url.host());
    assertEquals(9000, url.port());
    assertEquals("sales", url.property("catalog"));
    assertEquals("eu west", url.property("schema"));
    assertEquals("dapi123", url.property("token"), "the URL wins over properties");
    assertEquals("https://db.example.com:9000", url.serverUrl());
    assertEquals("jdbc:aquifer://db.example.com:9000/sales/eu west", url.displayUrl());

    Properties avatica = url.avaticaProperties();
    assertEquals("https://db.example.com:9000", avatica.getProperty("url"));
    assertEquals("protobuf", avatica.getProperty("serialization"));
    assertEquals("dapi123", avatica.getProperty("token"));
    assertEquals("500", avatica.getProperty("fetch_size"));
    assertEquals(AquiferServiceFactory.class.getName(), avatica.getProperty("factory"));
    assertNull(
        avatica.getProperty("catalog"), "applied after connecting, not sent with OpenConnection");
    assertNull(avatica.getProperty("schema"));
  }

  @Test
  void defaults() throws SQLException {
    AquiferUrl url = AquiferUrl.parse("jdbc:aquifer://localhost", new Properties());
    assertEquals(8765, url.port());
    assertEquals("http://localhost:8765", url.serverUrl());
    assertNull(url.property("catalog"));
    Properties avatica = url.avaticaProperties();
    assertEquals("10000", avatica.getProperty("fetch_size"));
    assertEquals(Long.toString(24L * 60 * 60 * 1000), avatica.getProperty("http_response_timeout"));
    assertEquals("true", avatica.getProperty("columnar_frames"), "sent in OpenConnection");
    assertEquals(
        "false",
        AquiferUrl.parse("jdbc:aquifer://localhost?columnar_frames=false", null)
            .avaticaProperties()
            .getProperty("columnar_frames"));
    assertEquals(
        "main", AquiferUrl.parse("jdbc:aquifer://localhost/main", null).property("catalog"));
    assertEquals("[::1]", AquiferUrl.parse("jdbc:aquifer://[::1]:1234", null).host());
  }

  @Test
  void rejectsMalformedUrlsWithoutShowingTheToken() {
    assertFalse(AquiferUrl.accepts("jdbc:avatica:remote:url=http://localhost:8765"));
    assertTrue(AquiferUrl.accepts("jdbc:aquifer://x"));
    SQLException noHost =
        assertThrows(
            SQLException.class,
            () -> AquiferUrl.parse("jdbc:aquifer:localhost?token=secret", null));
    assertEquals("08001", noHost.getSQLState());
    assertFalse(noHost.getMessage().contains("secret"), noHost.getMessage());
    assertThrows(
        SQLException.class, () -> AquiferUrl.parse("jdbc:aquifer://localhost/a/b/c", null));
    assertThrows(SQLException.class, () -> AquiferUrl.parse("jdbc:aquifer://localhost//b", null));
  }
}
