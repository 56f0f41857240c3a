package io.aquifer.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.rest.StaticAsset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebEditorSiteTest {
  private final WebEditorSite site = new WebEditorSite();

  @Test
  void servesThePageAtTheRootWithCacheAndSecurityHeaders() {
    StaticAsset page = site.asset("/").orElseThrow();
    assertEquals("text/html; charset=utf-8", page.contentType());
    assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("Aquifer SQL editor"));
    assertEquals("no-cache", page.headers().get("Cache-Control"));
    assertTrue(page.headers().get("Content-Security-Policy").contains("script-src 'self'"));
    assertTrue(page.entityTag().matches("\"[0-9a-f]{32}\""), page.entityTag());
  }

  @Test
  void everyFileThePageNamesIsServed() {
    String html = new String(site.asset("/").orElseThrow().body(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(html);
    int found = 0;
    while (m.find()) {
      assertTrue(site.asset(m.group(1)).isPresent(), "served: " + m.group(1));
      found++;
    }
    assertEquals(5, found, "the page names its scripts, styles and icon");
  }

  @Test
  void noInlineScriptWhichThePolicyWouldBlock() {
    String html = new String(site.asset("/").orElseThrow().body(), StandardCharsets.UTF_8);
    assertTrue(!Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), html);
    assertTrue(!html.contains(" onclick="), "no inline handlers");
  }

  @Test
  void unknownPathsAreNotTheSites() {
    assertTrue(site.asset("/assets/missing.js").isEmpty());
    assertTrue(site.asset("/api/2.0/sql/statements").isEmpty());
    assertTrue(site.asset("/.well-known/databricks-config").isEmpty());
    assertTrue(site.asset("/assets/../index.html").isEmpty());
  }

  @Test
  void theCodeEditorIsBundledIntoTheSite() {
    StaticAsset bundle = site.asset("/assets/code-editor.js").orElseThrow();
    assertEquals("text/javascript; charset=utf-8", bundle.contentType());
    assertEquals("no-cache", bundle.headers().get("Cache-Control"));
    String text = new String(bundle.body(), StandardCharsets.UTF_8);
    assertTrue(text.contains("AquiferCodeEditor"), "defines the page's hook");
    assertTrue(text.contains("cm-content"), "holds CodeMirror");
  }

  @Test
  void entityTagsDifferPerFile() {
    assertNotEquals(
        site.asset("/assets/editor.js").orElseThrow().entityTag(),
        site.asset("/assets/sql.js").orElseThrow().entityTag());
  }
}
