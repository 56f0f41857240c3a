package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowResultLink;
import io.aquifer.rest.ChunkLinks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A statement's rows as CloudFetch result links ({@code URL_BASED_SET}): one signed, expiring link
 * per stored result chunk, to an Arrow IPC stream (LZ4 frame when the client can decompress it) the
 * client downloads from the HTTP port. Pages hand out links, not rows; a client may ask again from
 * any row offset (to renew expired links), since the stored chunks stay readable until the
 * statement is closed.
 */
final class LinkCursor implements ResultCursor {
  /** At most this many links in one FetchResults answer. */
  static final int MAX_LINKS_PER_PAGE = 32;

  /** A stored chunk: its index, first row in the result, rows and bytes. */
  record Chunk(int index, long rowOffset, long rows, long bytes) {}

  private final List<ResultColumn> columns;
  private final byte[] schema;
  private final boolean lz4;
  private final List<Chunk> chunks;
  private final IntFunction<ChunkLinks.Link> links;
  private int position;

  /**
   * @param schema the IPC schema message of the result (as the chunks carry it)
   * @param links the signed link of a chunk, by index
   */
  LinkCursor(
      List<ResultColumn> columns,
      byte[] schema,
      boolean lz4,
      List<Chunk> chunks,
      IntFunction<ChunkLinks.Link> links) {
    this.columns = List.copyOf(columns);
    this.schema = schema.clone();
    this.lz4 = lz4;
    this.chunks = List.copyOf(chunks);
    this.links = requireNonNull(links, "links");
  }

  @Override
  public Format format() {
    return Format.LINKS;
  }

  @Override
  public boolean lz4Compressed() {
    return lz4;
  }

  @Override
  public byte[] arrowSchema() {
    return schema.clone();
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  /** The number of chunks, hence of links. */
  int chunkCount() {
    return chunks.size();
  }

  /** The row offset of the next link handed out. */
  long rowOffset() {
    return position < chunks.size()
        ? chunks.get(position).rowOffset()
        : chunks.isEmpty() ? 0 : last().rowOffset() + last().rows();
  }

  /**
   * Goes to the chunk that holds row {@code rowOffset} (past the end: no more links).
   *
   * @return the row offset of that chunk's first row
   */
  long seek(long rowOffset) {
    position = 0;
    while (position < chunks.size()
        && chunks.get(position).rowOffset() + chunks.get(position).rows() <= rowOffset) {
      position++;
    }
    return rowOffset();
  }

  private Chunk last() {
    return chunks.get(chunks.size() - 1);
  }

  @Override
  public Page next(int maxRows) {
    List<TSparkArrowResultLink> out = new ArrayList<>();
    long taken = 0;
    while (position < chunks.size()
        && out.size() < MAX_LINKS_PER_PAGE
        && (out.isEmpty() || taken + chunks.get(position).rows() <= maxRows)) {
      Chunk c = chunks.get(position);
      ChunkLinks.Link link = links.apply(c.index());
      TSparkArrowResultLink wire = new TSparkArrowResultLink();
      wire.setFileLink(link.url());
      wire.setExpiryTime(link.expires().toEpochMilli());
      wire.setStartRowOffset(c.rowOffset());
      wire.setRowCount(c.rows());
      wire.setBytesNum(c.bytes());
      out.add(wire);
      taken += c.rows();
      position++;
    }
    return new Page(List.of(), (int) taken, position < chunks.size(), List.of(), out);
  }

  @Override
  public void close() {}
}
