package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB CSV file uploaded to a volume with {@code aquifer load}'s Files API client, streamed
 * through the gateway (which runs in this JVM) without its heap growing with the file: the heap in
 * use after a full GC, sampled during the upload, stays within 256 MiB of what it was before.
 */
class LoadLargeFileTest {
  private static final long SIZE = 1L << 30;
  private static final long HEAP_GROWTH_BOUND = 256L << 20;

  @TempDir Path dataDirectory;
  @TempDir Path files;

  @Test
  void streamsAGigabyteCsvWithoutTheHeapGrowingWithIt() throws Exception {
    Path csv = files.resolve("big.csv");
    long started = System.nanoTime();
    try (BufferedWriter w =
        new BufferedWriter(Files.newBufferedWriter(csv, StandardCharsets.US_ASCII), 1 << 20)) {
      w.write("id,name,amount\n");
      long written = 15;
      String padding = "x".repeat(80);
      for (long i = 0; written < SIZE; i++) {
        String line = i + "," + padding + "," + (i % 1000) + "\n";
        w.write(line);
        written += line.length();
      }
    }
    long size = Files.size(csv);
    double generated = (System.nanoTime() - started) / 1e9;
    try (RunningServer server = RunningServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE VOLUME main.default.big");
      }
      DatabricksRestClient client =
          new DatabricksRestClient(
              URI.create(server.server().databricksRest().baseUrl() + "/"), server.token());
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long baseline = heapAfterGc(memory);
      AtomicLong peak = new AtomicLong(baseline);
      AtomicLong samples = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      Thread sampler =
          new Thread(
              () -> {
                try {
                  do {
                    peak.accumulateAndGet(heapAfterGc(memory), Math::max);
                    samples.incrementAndGet();
                  } while (!done.await(200, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      AtomicLong sent = new AtomicLong();
      long uploadStarted = System.nanoTime();
      try {
        client.upload("/Volumes/main/default/big/in/big.csv", csv, false, sent::set);
      } finally {
        done.countDown();
        sampler.join();
      }
      double uploaded = (System.nanoTime() - uploadStarted) / 1e9;
      Files.delete(csv);

      assertEquals(size, sent.get(), "the progress saw every byte");
      assertEquals(size, client.fileSize("/Volumes/main/default/big/in/big.csv"));
      long growth = peak.get() - baseline;
      System.out.printf(
          Locale.ROOT,
          "1 GiB CSV: generated in %.1f s, uploaded in %.1f s (%.0f MiB/s); heap after GC %d MiB"
              + " before, peak %d MiB during (%d samples), growth %d MiB%n",
          generated,
          uploaded,
          size / uploaded / (1 << 20),
          baseline >> 20,
          peak.get() >> 20,
          samples.get(),
          growth >> 20);
      assertTrue(samples.get() >= 2, "sampled during the upload");
      assertTrue(
          growth < HEAP_GROWTH_BOUND,
          "heap grew by " + (growth >> 20) + " MiB while uploading 1 GiB");
      client.deleteFile("/Volumes/main/default/big/in/big.csv");
    }
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
