package io.aquifer.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowResultLink;
import io.aquifer.rest.ChunkLinks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkCursorTest {
  private static LinkCursor cursor(int chunks, long rowsEach) {
    List<LinkCursor.Chunk> list = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      list.add(new LinkCursor.Chunk(i, i * rowsEach, rowsEach, 1000 + i));
    }
    return new LinkCursor(
        List.of(),
        new byte[0],
        true,
        list,
        index -> new ChunkLinks.Link("http://h/c/" + index, Instant.ofEpochSecond(100)));
  }

  @Test
  void pagesHandOutOneLinkPerChunkInOrderWithinTheRowBudget() {
    LinkCursor c = cursor(5, 100);
    ResultCursor.Page first = c.next(250);
    assertEquals(2, first.links().size());
    assertEquals(200, first.rows());
    assertTrue(first.hasMore());
    TSparkArrowResultLink link = first.links().get(1);
    assertEquals("http://h/c/1", link.getFileLink());
    assertEquals(100, link.getStartRowOffset());
    assertEquals(100, link.getRowCount());
    assertEquals(1001, link.getBytesNum());
    assertEquals(100_000, link.getExpiryTime());
    // At least one link, even when one chunk has more rows than asked for.
    assertEquals(1, c.next(1).links().size());
    ResultCursor.Page rest = c.next(Integer.MAX_VALUE);
    assertEquals(2, rest.links().size());
    assertFalse(rest.hasMore());
    assertEquals(0, c.next(10).links().size());
  }

  @Test
  void seekGoesToTheChunkHoldingTheRow() {
    LinkCursor c = cursor(4, 100);
    c.next(Integer.MAX_VALUE);
    assertEquals(200, c.seek(250));
    assertEquals(200, c.next(Integer.MAX_VALUE).links().get(0).getStartRowOffset());
    assertEquals(0, c.seek(0));
    assertEquals(4, c.next(Integer.MAX_VALUE).links().size());
    assertEquals(400, c.seek(10_000));
    assertFalse(c.next(10).hasMore());
  }

  @Test
  void atMost32LinksAPage() {
    LinkCursor c = cursor(40, 10);
    ResultCursor.Page page = c.next(Integer.MAX_VALUE);
    assertEquals(LinkCursor.MAX_LINKS_PER_PAGE, page.links().size());
    assertTrue(page.hasMore());
  }
}
