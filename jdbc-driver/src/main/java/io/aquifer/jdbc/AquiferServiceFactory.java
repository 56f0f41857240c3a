package io.aquifer.jdbc;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica's protobuf-over-HTTP service, as its remote driver builds it, with {@link
 * CanonicalWireNames} so that the relocated classes speak the standard protocol, and that unpacks
 * columnar result frames when the connection asked for them ({@link ColumnarProtobufService}).
 * Plugged in through Avatica's {@code factory} connection property.
 */
public final class AquiferServiceFactory implements Service.Factory {
  public AquiferServiceFactory() {}

  @Override
  public Service create(AvaticaConnection connection) {
    ConnectionConfig config = connection.config();
    URL url;
    try {
      url = new URI(config.url()).toURL();
    } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid Aquifer server address " + config.url(), e);
    }
    AvaticaHttpClient client =
        config.httpClientFactory().getClient(url, config, connection.getKerberosConnection());
    CanonicalWireNames translation = new CanonicalWireNames(new ProtobufTranslationImpl());
    if (connection instanceof AquiferConnection
        && ((AquiferConnection) connection).columnarFrames()) {
      return new ColumnarProtobufService(client, translation);
    }
    return new RemoteProtobufService(client, translation);
  }
}
