package io.aquifer.gateway.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Batches into one Arrow IPC stream in memory: the schema, each batch, the end-of-stream mark. */
final class ArrowIpcStreamBuilder {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final WriteChannel out = new WriteChannel(Channels.newChannel(bytes));
  private long rows;

  ArrowIpcStreamBuilder(Schema schema) {
    try {
      MessageSerializer.serialize(out, schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a schema can be written without dictionaries (results from the engine have none). */
  static boolean supports(Schema schema) {
    for (Field f : schema.getFields()) {
      if (hasDictionary(f)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasDictionary(Field f) {
    if (f.getDictionary() != null) {
      return true;
    }
    for (Field child : f.getChildren()) {
      if (hasDictionary(child)) {
        return true;
      }
    }
    return false;
  }

  void add(VectorSchemaRoot batch) {
    try (ArrowRecordBatch b = new VectorUnloader(batch).getRecordBatch()) {
      MessageSerializer.serialize(out, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows += batch.getRowCount();
  }

  long size() {
    return out.getCurrentPosition();
  }

  long rows() {
    return rows;
  }

  byte[] finish() {
    try {
      ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
