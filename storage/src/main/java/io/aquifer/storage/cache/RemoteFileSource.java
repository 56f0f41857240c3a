package io.aquifer.storage.cache;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.objects.S3Clients;
import io.aquifer.storage.objects.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** Where the node disk cache fetches a file it does not hold. */
@FunctionalInterface
public interface RemoteFileSource {
  /** The whole content of {@code file}; the caller closes the stream. */
  InputStream open(URI file) throws IOException;

  /** Objects of {@code s3://} URIs through {@code client}. */
  static RemoteFileSource s3(java.util.function.Supplier<S3Client> client) {
    return file -> {
      S3Location object = S3Location.of(file.toString());
      try {
        return client.get().getObject(b -> b.bucket(object.bucket()).key(object.prefix()));
      } catch (SdkException e) {
        throw new StorageException(
            StorageErrorCode.STORAGE_IO_ERROR,
            "cannot read " + file + " into the node's disk cache: " + e.getMessage(),
            e);
      }
    };
  }

  /** Objects of {@code s3://} URIs through the process's shared S3 client. */
  static RemoteFileSource s3() {
    return s3(S3Clients::shared);
  }
}
