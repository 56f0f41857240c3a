package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.cache.NodeDiskCache;
import io.aquifer.storage.objects.S3Location;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Points a fragment's scans of object-store files ({@code s3://}) at their copies in the node's
 * disk cache, since DuckDB here reads only local files. Local files pass unchanged. The returned
 * lease keeps the copies in the cache until the query is done.
 */
final class ScanFileLocalizer {
  private final Optional<NodeDiskCache> cache;

  ScanFileLocalizer(Optional<NodeDiskCache> cache) {
    this.cache = cache;
  }

  /** Scans whose files are all local, and what to close when the query ends. */
  record Localized(
      List<ScanSpec> scans,
      AutoCloseable lease,
      java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheReads> reads) {}

  Localized localize(List<ScanSpec> scans) {
    if (scans.stream().flatMap(s -> s.files().stream()).noneMatch(f -> S3Location.isS3(f.path()))) {
      return new Localized(scans, () -> {}, () -> io.aquifer.storage.cache.DiskCacheReads.NONE);
    }
    NodeDiskCache disk =
        cache.orElseThrow(
            () ->
                new ExecException(
                    ExecErrorCode.NOT_SUPPORTED,
                    "This node has no disk cache, so it cannot read tables in object storage"));
    NodeDiskCache.Lease lease = disk.lease();
    try {
      List<ScanSpec> out = new ArrayList<>(scans.size());
      for (ScanSpec scan : scans) {
        List<ScanFile> files = new ArrayList<>(scan.files().size());
        for (ScanFile f : scan.files()) {
          if (S3Location.isS3(f.path())) {
            String local = lease.localPath(URI.create(f.path())).toUri().toString();
            files.add(new ScanFile(local, f.partitionValues(), f.deletedRowPositions()));
          } else {
            files.add(f);
          }
        }
        out.add(
            new ScanSpec(
                scan.relationName(), scan.columns(), files, scan.format(), scan.dataCacheFiles()));
      }
      return new Localized(out, lease, lease::reads);
    } catch (StorageException e) {
      lease.close();
      throw new ExecException(
          ExecErrorCode.ENGINE_ERROR, "Cannot read a table file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }
}
