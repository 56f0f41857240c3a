package io.aquifer.conformance.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.server.AquiferServer;
import io.aquifer.server.ServerConfig;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser SQL editor in a real browser: headless Debian Chromium driven by Selenium against a
 * real gateway holding the TPC-H sample. The page talks to the gateway only through the REST API,
 * so what it shows is checked against the same statements sent through the REST API directly.
 * Screenshots of each step land in {@code target/editor-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebEditorBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path SCREENSHOTS = Path.of("target", "editor-screenshots");

  @TempDir static Path dataDirectory;
  @TempDir static Path browserProfile;
  @TempDir static Path downloads;
  @TempDir static Path uploads;

  private static AquiferServer server;
  private static String token;
  private static String baseUrl;
  private static String warehouseId;
  private static ChromeDriver driver;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(
        Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
        "the browser test needs Debian's chromium and chromium-driver"
            + " (scripts/test installs them: apt-get install -y chromium chromium-driver)");
    Map<String, String> flags = new HashMap<>();
    flags.put(ServerConfig.DATA_DIR, dataDirectory.toString());
    for (String port : ServerConfig.LISTEN_PORTS) {
      flags.put(port, "0");
    }
    flags.put(ServerConfig.NODE_MEMORY_LIMIT, "1GB");
    Path tokenFile = dataDirectory.resolve("admin-token");
    server =
        AquiferServer.start(
            ServerConfig.load(null, Map.of(), flags),
            Optional.of(tokenFile),
            new PrintStream(OutputStream.nullOutputStream()),
            true);
    token = Files.readString(tokenFile).trim();
    baseUrl = server.databricksRest().baseUrl();
    warehouseId = server.databricksRest().warehouseId();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--user-data-dir=" + browserProfile);
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    // The page's console, printed after each test so a failure in CI shows the script's errors.
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void printBrowserConsole() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      System.out.println("browser console: " + entry);
    }
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(0)
  void thePageIsServedWithoutATokenWithCacheAndSecurityHeaders() throws Exception {
    HttpResponse<String> page = http("GET", "/", Map.of());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Aquifer SQL editor</title>"));
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElseThrow()
            .contains("script-src 'self'"));
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, http("GET", "/", Map.of("If-None-Match", etag)).statusCode());
    HttpResponse<String> script = http("GET", "/assets/editor.js", Map.of());
    assertEquals(200, script.statusCode());
    assertEquals(
        "text/javascript; charset=utf-8",
        script.headers().firstValue("Content-Type").orElseThrow());
    for (String[] other :
        new String[][] {{"GET", "/assets/nope.js"}, {"POST", "/"}, {"GET", "/index.htm"}}) {
      HttpResponse<String> r = http(other[0], other[1], Map.of());
      assertEquals(404, r.statusCode(), other[1]);
      assertEquals("ENDPOINT_NOT_FOUND", JSON.readTree(r.body()).get("error_code").asText());
    }
  }

  @Test
  @Order(1)
  void aBadTokenIsRefusedAndTheRightOneSignsIn() throws Exception {
    driver.get(baseUrl + "/");
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.sendKeys("not-a-token", Keys.ENTER);
    wait.until(ExpectedConditions.textToBe(By.id("signin-error"), "This token is not valid."));
    screenshot("sign-in");
    driver.findElement(By.id("token")).sendKeys(token, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    wait.until(ExpectedConditions.textToBe(By.id("user"), AquiferServer.ADMIN_USER));
    // the warehouse picker lists the Starter Warehouse with its state
    wait.until(
        d ->
            d.findElements(By.cssSelector("#warehouse option[value='" + warehouseId + "']")).size()
                == 1);
    assertTrue(
        driver.findElement(By.id("warehouse-state")).getText().matches("(RUNNING|STARTING).*"),
        driver.findElement(By.id("warehouse-state")).getText());
  }

  @Test
  @Order(2)
  void schemaBrowserReachesLineitemsColumnsAndInsertsNames() throws Exception {
    expand("samples");
    expand("samples.tpch_sf0_01");
    expand("samples.tpch_sf0_01.lineitem");
    WebElement column = node("samples.tpch_sf0_01.lineitem.l_orderkey");
    JsonNode table =
        rest("GET", "/api/2.1/unity-catalog/tables/samples.tpch_sf0_01.lineitem", null);
    List<String> expected = new ArrayList<>();
    for (JsonNode c : table.get("columns")) {
      expected.add(c.get("name").asText() + " " + c.get("type_text").asText());
    }
    List<String> shown = new ArrayList<>();
    for (WebElement li :
        driver.findElements(
            By.cssSelector("li[data-full-name='samples.tpch_sf0_01.lineitem'] li[data-kind]"))) {
      shown.add(
          li.findElement(By.className("node-name")).getText()
              + " "
              + li.findElement(By.className("node-type")).getText());
    }
    assertEquals(expected, shown, "columns with their types, as Unity Catalog lists them");
    assertEquals(16, shown.size());
    screenshot("schema-browser");

    // the filter keeps lineitem and its ancestors, hides the other tables
    driver.findElement(By.id("filter")).sendKeys("lineitem");
    wait.until(d -> !node("samples.tpch_sf0_01.nation").isDisplayed());
    assertTrue(node("samples.tpch_sf0_01.lineitem").isDisplayed());
    js(
        "const f = document.getElementById('filter'); f.value = '';"
            + " f.dispatchEvent(new Event('input'));");
    wait.until(d -> node("samples.tpch_sf0_01.nation").isDisplayed());

    // the filter searches schemas not expanded yet (through Unity Catalog) and opens the
    // catalog and schema that hold a match
    restRows("CREATE SCHEMA IF NOT EXISTS main.editor_search");
    restRows("CREATE TABLE IF NOT EXISTS main.editor_search.needle_in_hay (a INT)");
    assertTrue(
        d().findElements(By.cssSelector("li[data-full-name='main.editor_search']")).isEmpty());
    driver.findElement(By.id("filter")).sendKeys("needle_in");
    wait.until(ExpectedConditions.attributeToBe(By.id("filter-status"), "data-state", "DONE"));
    wait.until(d -> node("main.editor_search.needle_in_hay").isDisplayed());
    assertEquals(
        "1 table matches in all schemas.", driver.findElement(By.id("filter-status")).getText());
    assertFalse(node("samples.tpch_sf0_01.nation").isDisplayed());
    assertFalse(node("samples.tpch_sf0_01.lineitem").isDisplayed());
    screenshot("schema-search");
    driver.findElement(By.id("filter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "no_such_tbl_zz");
    wait.until(
        ExpectedConditions.textToBe(By.id("filter-status"), "No table matches in any schema."));
    js(
        "const f = document.getElementById('filter'); f.value = '';"
            + " f.dispatchEvent(new Event('input'));");
    wait.until(d -> node("samples.tpch_sf0_01.nation").isDisplayed());
    assertTrue(node("main.editor_search.needle_in_hay").isDisplayed());

    // keyboard: right expands, left collapses, down moves to the next visible name
    WebElement customer =
        node("samples.tpch_sf0_01.customer")
            .findElement(By.cssSelector(":scope > .node-row > .node-name"));
    js("arguments[0].focus()", customer);
    new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
    wait.until(d -> node("samples.tpch_sf0_01.customer.c_custkey").isDisplayed());
    new Actions(driver).sendKeys(Keys.ARROW_LEFT).perform();
    wait.until(d -> !node("samples.tpch_sf0_01.customer.c_custkey").isDisplayed());
    new Actions(driver).sendKeys(Keys.ARROW_DOWN).perform();
    assertEquals("lineitem", js("return document.activeElement.textContent"));

    // table actions: preview (first rows) and the Delta history
    tableAction("samples.tpch_sf0_01.lineitem", "Preview");
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "100 rows"));
    assertEquals(16, gridHeader().size());
    assertEquals("l_orderkey", gridHeader().get(0));
    tableAction("samples.tpch_sf0_01.lineitem", "History");
    wait.until(d -> gridHeader().contains("operation"));
    assertFalse(gridRows().isEmpty(), "the table has commits");
    screenshot("table-history");

    setEditor("SELECT  FROM ", "SELECT ".length());
    column.findElement(By.className("node-name")).click();
    js(
        "const e = document.getElementById('sql'); e.setSelectionRange(e.value.length, e.value.length)");
    node("samples.tpch_sf0_01.lineitem").findElement(By.className("node-name")).click();
    assertEquals(
        "SELECT l_orderkey FROM samples.tpch_sf0_01.lineitem",
        js("return document.getElementById('sql').value"));
  }

  @Test
  @Order(3)
  void completionOffersColumnsOfTheTableInFrom() throws Exception {
    setEditor("SELECT  FROM samples.tpch_sf0_01.lineitem", "SELECT ".length());
    new Actions(driver).sendKeys("l_ord").perform();
    WebElement option =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#completions li[aria-selected='true']")));
    assertTrue(option.getText().startsWith("l_orderkey"), option.getText());
    screenshot("completion");
    new Actions(driver).sendKeys(Keys.TAB).perform();
    assertEquals(
        "SELECT l_orderkey FROM samples.tpch_sf0_01.lineitem",
        js("return document.getElementById('sql').value"));
    // the text is edited in CodeMirror 6, whose base theme applies under the page's
    // Content-Security-Policy (no inline styles), and the page's tokenizer marks it
    assertEquals(
        "flex", js("return getComputedStyle(document.querySelector('#sql .cm-editor')).display"));
    assertEquals(
        List.of("SELECT", "FROM"),
        js(
            "return [...document.querySelectorAll('#sql .cm-content .tok-keyword')]"
                + ".map(e => e.textContent)"));

    // functions come from the function catalog (SHOW FUNCTIONS), not only from a fixed list
    setEditor("SELECT ", "SELECT ".length());
    new Actions(driver).sendKeys("levensh").perform();
    WebElement function =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#completions li[aria-selected='true']")));
    assertTrue(function.getText().startsWith("levenshtein"), function.getText());
    new Actions(driver).sendKeys(Keys.ENTER).perform();
    assertEquals("SELECT levenshtein(", js("return document.getElementById('sql').value"));
  }

  @Test
  @Order(4)
  void ctrlEnterRunsTheStatementUnderTheCursorAndTheGridShowsItsRows() throws Exception {
    String query =
        "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty,"
            + " round(avg(l_discount), 4) AS avg_disc, count(*) AS count_order\n"
            + "FROM samples.tpch_sf0_01.lineitem\n"
            + "WHERE l_shipdate <= DATE '1998-09-02'\n"
            + "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";
    String script = "SELECT 1 AS one;\n" + query + ";\nSELECT 2 AS two;\n";
    setEditor(script, script.indexOf("GROUP BY"));
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "4 rows"));
    List<List<String>> expected = restRows(query);
    assertEquals(4, expected.size());
    assertEquals(expected, gridRows());
    assertEquals(
        List.of("l_returnflag", "l_linestatus", "sum_qty", "avg_disc", "count_order"),
        gridHeader());
    assertTrue(driver.findElement(By.id("timing")).getText().matches("in \\d+\\.\\d\\d s"));
    // server-side timings come from the Query History API for the page's statement
    String statementId = driver.findElement(By.id("results")).getAttribute("data-statement-id");
    WebElement serverTiming = driver.findElement(By.id("server-timing"));
    wait.until(d -> !serverTiming.getText().isEmpty());
    JsonNode entry =
        rest("GET", "/api/2.0/sql/history/queries?filter_by.statement_ids=" + statementId, null)
            .at("/res/0");
    assertEquals(statementId, entry.get("query_id").asText());
    assertEquals(entry.get("duration").asText(), serverTiming.getAttribute("data-duration-ms"));
    assertTrue(
        serverTiming
            .getText()
            .startsWith(
                String.format(
                    java.util.Locale.US,
                    "(server %.2f s, ",
                    entry.get("duration").asLong() / 1000.0)),
        serverTiming.getText());
    screenshot("result");

    // the chart draws one bar per row
    driver.findElement(By.id("toggle-chart")).click();
    wait.until(d -> d.findElements(By.cssSelector("#chart svg rect.bar")).size() == 4);
    // axis titles name the charted columns (X the first text column, Y the first numeric one)
    assertEquals(
        "l_returnflag", driver.findElement(By.cssSelector("#chart text.x-title")).getText());
    assertEquals("sum_qty", driver.findElement(By.cssSelector("#chart text.y-title")).getText());
    screenshot("chart");
    for (String kind : List.of("line", "scatter", "pie")) {
      new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-type")))
          .selectByValue(kind);
      wait.until(
          d ->
              d.findElements(By.cssSelector("#chart svg[data-kind='" + kind + "'] .mark")).size()
                  == 4);
    }
    assertEquals(
        4, driver.findElements(By.cssSelector("#chart svg path.mark")).size(), "a slice a row");
    driver.findElement(By.id("toggle-chart")).click();

    // a selection runs instead of the statement under the cursor
    js(
        "const e = document.getElementById('sql'); e.focus();"
            + " e.setSelectionRange(e.value.indexOf('SELECT 2'), e.value.indexOf('SELECT 2') + 15)");
    runWithCtrlEnter();
    wait.until(d -> gridHeader().equals(List.of("two")));
    assertEquals(List.of(List.of("2")), gridRows());
  }

  @Test
  @Order(5)
  void nullsAreMarkedAndMarkupInValuesAndNamesIsText() throws Exception {
    String hostile = "<img src=x onerror=\"window.__pwned=1\">";
    setEditor(
        "SELECT CAST(NULL AS INT) AS n, '"
            + hostile.replace("'", "''")
            + "' AS `<b>name</b>`, 'NULL' AS word",
        0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "1 row"));
    List<WebElement> cells = driver.findElements(By.cssSelector("#grid tbody td"));
    assertEquals("NULL", cells.get(1).getText());
    assertEquals(1, cells.get(1).findElements(By.cssSelector("span.null")).size(), "NULL marked");
    assertEquals(hostile, cells.get(2).getText());
    assertEquals("NULL", cells.get(3).getText());
    assertEquals(0, cells.get(3).findElements(By.cssSelector("span.null")).size(), "a string");
    assertEquals(List.of("n", "<b>name</b>", "word"), gridHeader());
    assertEquals(0, driver.findElements(By.cssSelector("#grid img, #grid b")).size());
    assertNull(js("return window.__pwned"), "markup in a value never runs");
  }

  @Test
  @Order(6)
  void largeResultsArePagedThroughChunksAndDownloadAsCsv() throws Exception {
    String query = "SELECT * FROM samples.tpch_sf0_01.lineitem ORDER BY l_orderkey, l_linenumber";
    setEditor(query, 0);
    runWithCtrlEnter();
    wait.until(d -> !d.findElement(By.id("row-count")).getText().isEmpty());
    // the page's own statement, as the REST API describes it
    String statementId = driver.findElement(By.id("results")).getAttribute("data-statement-id");
    JsonNode manifest = rest("GET", "/api/2.0/sql/statements/" + statementId, null).get("manifest");
    long total = manifest.get("total_row_count").asLong();
    assertTrue(
        manifest.get("total_chunk_count").asInt() > 1,
        "the result spans several chunks: " + manifest.get("chunks"));
    assertEquals(
        String.format(java.util.Locale.US, "%,d rows", total),
        driver.findElement(By.id("row-count")).getText());
    int inView = gridRows().size();
    assertTrue(inView > 5 && inView <= 200, "only the rows in view are in the DOM: " + inView);
    goToRow(101);
    List<List<String>> shown = gridRows(); // (how many fit can change with the bar's layout)
    assertEquals(restRows(query + " LIMIT " + shown.size() + " OFFSET 100"), shown);

    // the last rows are read from the last chunk
    goToRow(total);
    shown = gridRows();
    long lastFirst = total - shown.size() + 1;
    assertEquals(Long.toString(lastFirst), firstRowNumber());
    assertEquals(restRows(query + " LIMIT " + shown.size() + " OFFSET " + (lastFirst - 1)), shown);
    screenshot("paging");

    driver.findElement(By.id("download-csv")).click();
    Path csv = awaitDownload(".csv");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertTrue(lines.get(0).startsWith("l_orderkey,l_partkey,l_suppkey,l_linenumber,"));
    assertEquals(total + 1, lines.size(), "a header and every row of every chunk");
  }

  @Test
  @Order(7)
  void parameterFieldsBindNamedMarkers() throws Exception {
    String sql =
        "SELECT n_name, n_regionkey FROM samples.tpch_sf0_01.nation"
            + " WHERE n_nationkey = :key OR n_name = :name";
    setEditor(sql, 0);
    WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("param-key")));
    key.sendKeys("7");
    new org.openqa.selenium.support.ui.Select(
            driver.findElement(By.cssSelector("[data-param='key'] select")))
        .selectByValue("INT");
    driver.findElement(By.id("param-name")).sendKeys("PERU");
    js("document.getElementById('sql').focus()");
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "2 rows"));
    assertEquals(
        restRows(
            "SELECT n_name, n_regionkey FROM samples.tpch_sf0_01.nation"
                + " WHERE n_nationkey = 7 OR n_name = 'PERU'"),
        gridRows());
    // an empty field is NULL: nothing matches
    driver.findElement(By.id("param-name")).clear();
    driver.findElement(By.id("param-key")).clear();
    js("document.getElementById('sql').focus()");
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "0 rows"));
  }

  @Test
  @Order(8)
  void aMillionRowResultIsAVirtualGridWithBoundedDomRows() throws Exception {
    setEditor("SELECT id, id * 2 AS twice FROM range(1000000) ORDER BY id", 0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "1,000,000 rows"));
    int inView = gridRows().size();
    assertTrue(inView > 5 && inView <= 200, "rows in the DOM: " + inView);
    assertContiguousFrom(1);
    // scrolling (the scroll bar stands for every row) shows the rows at that place, never more
    // of them in the DOM than fit in the box
    for (double fraction : new double[] {0.25, 0.5, 0.999, 0.0, 1.0}) {
      js(
          "const w = document.getElementById('grid-wrap');"
              + " w.scrollTop = (w.scrollHeight - w.clientHeight) * arguments[0];",
          fraction);
      long expectedFirst =
          Math.round(fraction * (1_000_000 - inView)) + 1; // row in view at that fraction
      // (the scroll bar's position maps to a row in proportion, to within a few hundred rows)
      wait.until(d -> Math.abs(Long.parseLong(firstRowNumber()) - expectedFirst) <= 2000);
      assertContiguousFrom(Long.parseLong(firstRowNumber()));
      assertTrue(gridRows().size() <= inView + 1, "DOM rows stay bounded while scrolling");
      assertTrue(
          (Long) js("return document.querySelectorAll('#grid tbody tr').length") <= 200,
          "DOM rows");
    }
    List<List<String>> rows = gridRows();
    assertEquals(List.of("999999", "1999998"), rows.get(rows.size() - 1), "the last row");
    screenshot("million-rows");
    // the keyboard moves the grid too (Home back to the first row)
    WebElement grid = driver.findElement(By.id("grid-wrap"));
    grid.sendKeys(Keys.HOME);
    wait.until(d -> firstRowNumber().equals("1"));
    assertContiguousFrom(1);
  }

  @Test
  @Order(9)
  void theResultCacheMarkerShowsForAnAnswerFromTheCache() throws Exception {
    String sql =
        "SELECT o_orderpriority, count(*) AS n FROM samples.tpch_sf0_01.orders"
            + " GROUP BY o_orderpriority ORDER BY o_orderpriority";
    setEditor(sql, 0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "5 rows"));
    wait.until(d -> !d.findElement(By.id("server-timing")).getText().isEmpty());
    assertFalse(driver.findElement(By.id("from-cache")).isDisplayed(), "computed the first time");
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "5 rows"));
    wait.until(d -> !d.findElement(By.id("server-timing")).getText().isEmpty());
    String statementId = driver.findElement(By.id("results")).getAttribute("data-statement-id");
    JsonNode entry =
        rest(
                "GET",
                "/api/2.0/sql/history/queries?include_metrics=true&filter_by.statement_ids="
                    + statementId,
                null)
            .at("/res/0");
    assertTrue(entry.at("/metrics/result_from_cache").asBoolean(), entry.toString());
    assertTrue(driver.findElement(By.id("from-cache")).isDisplayed(), "answered from the cache");
    assertEquals("from result cache", driver.findElement(By.id("from-cache")).getText());
    assertEquals(restRows(sql), gridRows());
    screenshot("result-cache");

    // the chart draws every loaded row, not only those in view
    setEditor("SELECT id, id % 7 AS m FROM range(300) ORDER BY id", 0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "300 rows"));
    driver.findElement(By.id("toggle-chart")).click();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-type")))
        .selectByValue("bar");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-y")))
        .selectByVisibleText("m");
    wait.until(d -> d.findElements(By.cssSelector("#chart svg rect.bar")).size() == 300);
    assertEquals("m", driver.findElement(By.cssSelector("#chart text.y-title")).getText());
    assertEquals("id", driver.findElement(By.cssSelector("#chart text.x-title")).getText());
    driver.findElement(By.id("toggle-chart")).click();

    // over the whole result, not the loaded chunks: a result of several chunks, summed per X
    String whole = "SELECT CAST(id % 4 AS STRING) AS k, id AS v FROM range(200000)";
    JsonNode links =
        rest(
            "POST",
            "/api/2.0/sql/statements",
            Map.of(
                "statement",
                whole,
                "warehouse_id",
                warehouseId,
                "wait_timeout",
                "50s",
                "disposition",
                "EXTERNAL_LINKS"));
    assertTrue(
        links.at("/manifest/total_chunk_count").asInt() > 1,
        "several chunks: " + links.at("/manifest"));
    setEditor(whole, 0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "200,000 rows"));
    driver.findElement(By.id("toggle-chart")).click();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-y")))
        .selectByVisibleText("v");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-agg")))
        .selectByValue("sum");
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                d.findElements(By.cssSelector("#chart svg[data-rows='200000'][data-marks='4']"))
                        .size()
                    == 1);
    Map<String, String> drawn = new HashMap<>();
    for (WebElement bar : d().findElements(By.cssSelector("#chart svg rect.bar"))) {
      drawn.put(bar.getAttribute("data-x"), bar.getAttribute("data-y"));
    }
    // (computed here: a GROUP BY over range() fails in the engine with "UNNEST not supported")
    long[] sums = new long[4];
    for (long id = 0; id < 200000; id++) {
      sums[(int) (id % 4)] += id;
    }
    Map<String, String> expectedSums = new HashMap<>();
    for (int k = 0; k < 4; k++) {
      expectedSums.put(String.valueOf(k), String.valueOf(sums[k]));
    }
    assertEquals(expectedSums, drawn);
    assertEquals(
        "sum of v by k over all 200,000 rows", driver.findElement(By.id("chart-hint")).getText());
    screenshot("chart-whole-result");
    // a result past the row cap: the first 250,000 rows, and the hint says so
    driver.findElement(By.id("toggle-chart")).click();
    setEditor("SELECT CAST(id % 3 AS STRING) AS k, id AS v FROM range(300000)", 0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "300,000 rows"));
    driver.findElement(By.id("toggle-chart")).click();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-agg")))
        .selectByValue("count");
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                d.findElements(
                            By.cssSelector(
                                "#chart svg[data-rows='250000'][data-capped='true'][data-marks='3']"))
                        .size()
                    == 1);
    long counted = 0;
    for (WebElement bar : d().findElements(By.cssSelector("#chart svg rect.bar"))) {
      counted += Long.parseLong(bar.getAttribute("data-y"));
    }
    assertEquals(250000, counted);
    assertEquals(
        "count of v by k over the first 250,000 of 300,000 rows (capped at 250,000)",
        driver.findElement(By.id("chart-hint")).getText());
    driver.findElement(By.id("toggle-chart")).click();
  }

  @Test
  @Order(10)
  void aNarrowWindowStacksThePanels() throws Exception {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(600, 900));
    try {
      WebElement browser = driver.findElement(By.id("browser"));
      WebElement editor = driver.findElement(By.id("sql"));
      wait.until(d -> browser.getRect().getWidth() > 500);
      assertTrue(editor.isDisplayed());
      assertTrue(editor.getRect().getY() > browser.getRect().getY(), "editor below the browser");
      assertTrue(editor.getRect().getWidth() <= 600);
      screenshot("narrow");
    } finally {
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
    }
  }

  @Test
  @Order(11)
  void aBadQueryShowsTheErrorAtItsPosition() throws Exception {
    String bad = "SELECT l_orderkey,\n       no_such_column\nFROM samples.tpch_sf0_01.lineitem";
    String script = "SELECT 1;\n" + bad;
    setEditor(script, script.length());
    runWithCtrlEnter();
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-message")));
    JsonNode viaRest = rest("POST", "/api/2.0/sql/statements", statement(bad));
    assertEquals("FAILED", viaRest.at("/status/state").asText());
    String message = viaRest.at("/status/error/message").asText();
    assertEquals(message, error.getText());
    assertTrue(message.contains("line 2, column 8"), message);
    // the position is relative to the statement; the editor marks it in the whole script
    WebElement mark = driver.findElement(By.cssSelector("#sql .error-mark"));
    assertEquals("no_such_column", mark.getText());
    assertEquals("Go to line 3, column 8", driver.findElement(By.id("error-position")).getText());
    assertTrue(driver.findElement(By.id("status")).getText().startsWith("Failed"));
    screenshot("error");
  }

  @Test
  @Order(12)
  void cancelStopsALongQueryAndHistoryShowsIt() throws Exception {
    setEditor(
        "SELECT count(*) FROM samples.tpch_sf0_01.lineitem a, samples.tpch_sf0_01.lineitem b,"
            + " samples.tpch_sf0_01.nation n WHERE (a.l_orderkey * 7 + b.l_partkey + n.n_nationkey)"
            + " % 1000003 = 17",
        0);
    runWithCtrlEnter();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel")));
    wait.until(
        ExpectedConditions.textMatches(
            By.id("status"), java.util.regex.Pattern.compile("Running.*")));
    driver.findElement(By.id("cancel")).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("status"), java.util.regex.Pattern.compile("Canceled after .*")));
    assertFalse(driver.findElement(By.id("cancel")).isEnabled());
    // the history records a statement when it has ended
    JsonNode history = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      history = rest("GET", "/api/2.0/sql/history/queries?max_results=1", null).at("/res/0");
      if (history.path("query_text").asText().contains("% 1000003 = 17")) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("CANCELED", history.get("status").asText());
    assertTrue(history.get("query_text").asText().contains("% 1000003 = 17"));

    driver.findElement(By.id("history-button")).click();
    String canceledId = history.get("query_id").asText();
    WebElement row =
        wait.until(ExpectedConditions.visibilityOfElementLocated(historyRow(canceledId)));
    assertFalse(driver.findElement(By.id("sql")).isDisplayed(), "a page of its own");
    assertEquals("#history", js("return location.hash"));
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertEquals("CANCELED", cells.get(1).getText());
    assertEquals(AquiferServer.ADMIN_USER, cells.get(2).getText());
    assertEquals(history.get("query_text").asText(), cells.get(7).getText());
    screenshot("history");

    // status and warehouse go to the API's filter_by; every row shown matches
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-status")))
        .selectByValue("CANCELED");
    wait.until(d -> historyStatuses().equals(List.of("CANCELED")));
    assertEquals(1, d().findElements(historyRow(canceledId)).size());
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-status")))
        .selectByValue("FINISHED");
    wait.until(d -> historyStatuses().equals(List.of("FINISHED")));
    assertEquals(0, d().findElements(historyRow(canceledId)).size());
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-warehouse")))
        .selectByValue(warehouseId);
    wait.until(d -> !historyStatuses().isEmpty());
    // the user and text filters
    WebElement user = driver.findElement(By.id("history-user"));
    user.sendKeys("nobody-by-that-name");
    wait.until(
        d -> d.findElements(By.cssSelector("#history-table tr[data-statement-id]")).isEmpty());
    user.clear();
    user.sendKeys(AquiferServer.ADMIN_USER);
    driver.findElement(By.id("history-filter")).sendKeys("count_order");
    // Q1 itself, not the "EXPLAIN <Q1>" that restRows below runs (a user's EXPLAIN, listed and
    // matching the filter too); the page's own plan statements are not listed (checked below).
    By q1 =
        By.xpath(
            "//table[@id='history-table']//tr[@data-statement-id][.//button[contains(@class,"
                + " 'sql') and starts-with(normalize-space(.), 'SELECT')"
                + " and contains(., 'count_order')]]");
    wait.until(ExpectedConditions.visibilityOfElementLocated(q1));
    // a run that the engine ran (not answered from the result cache), so it has a kept profile
    WebElement q1Row =
        d().findElements(q1).stream()
            .filter(tr -> !tr.getText().contains("(cache)"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no run of Q1 outside the result cache"));
    assertTrue(
        d().findElements(By.cssSelector("#history-table tr[data-statement-id]")).stream()
            .allMatch(tr -> tr.getText().contains("count_order")));

    // opening one shows its text and its plan (EXPLAIN through the Statement Execution API)
    String q1Text = q1Row.findElement(By.cssSelector("button.sql")).getText();
    String keptRunId = q1Row.getAttribute("data-statement-id");
    long engineRunsBefore = server.engineQueriesStarted();
    q1Row.findElement(By.cssSelector("button.sql")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("history-plan"), "data-state", "SUCCEEDED"));

    // the profile of Q1's own run, kept with its history entry and mapped by the server onto the
    // logical plan: each plan node with the engine's operators (time, rows); nothing runs again
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .withMessage(() -> driver.findElement(By.id("history-run-profile-status")).getText())
        .until(
            ExpectedConditions.attributeToBe(
                By.id("history-run-profile"), "data-state", "SUCCEEDED"));
    assertEquals(engineRunsBefore, server.engineQueriesStarted(), "opening it ran nothing");
    List<WebElement> planNodes =
        d().findElements(By.cssSelector("#history-run-profile tbody tr[data-plan-operator]"));
    JsonNode kept = rest("GET", "/api/2.0/sql/history/queries/" + keptRunId + "/profile", null);
    List<String> keptNodes = new ArrayList<>();
    planOperators(kept.get("plan"), keptNodes);
    assertEquals(
        keptNodes, planNodes.stream().map(tr -> tr.getAttribute("data-plan-operator")).toList());
    WebElement aggregateNode =
        planNodes.stream()
            .filter(tr -> tr.getAttribute("data-plan-operator").contains("Aggregate"))
            .findFirst()
            .orElseThrow();
    assertEquals("4", aggregateNode.getAttribute("data-rows"), "Q1's 4 groups");
    assertTrue(aggregateNode.getAttribute("data-engine-operators").contains("GROUP_BY"));
    long lineitemRows =
        Long.parseLong(restRows("SELECT count(*) FROM samples.tpch_sf0_01.lineitem").get(0).get(0));
    WebElement scanNode =
        planNodes.stream()
            .filter(tr -> tr.getAttribute("data-plan-operator").contains("Scan"))
            .findFirst()
            .orElseThrow();
    assertTrue(scanNode.getAttribute("data-engine-operators").contains("SCAN"));
    long scanned = Long.parseLong(scanNode.getAttribute("data-rows"));
    assertTrue(scanned > 0 && scanned <= lineitemRows, "lineitem rows scanned: " + scanned);
    assertTrue(
        planNodes.stream().anyMatch(tr -> Double.parseDouble(tr.getAttribute("data-time-ms")) > 0),
        "operator times on the plan");
    assertTrue(
        driver
            .findElement(By.id("history-run-profile-status"))
            .getText()
            .contains("nothing was run again"));
    js("arguments[0].scrollIntoView()", d().findElement(By.id("history-run-profile")));
    screenshot("history-run-profile");
    assertEquals(q1Text, driver.findElement(By.id("history-detail-text")).getText());
    List<List<String>> plan = restRows("EXPLAIN " + q1Text);
    String planText = driver.findElement(By.id("history-plan")).getText();
    assertFalse(planText.isBlank());
    assertTrue(planText.contains(plan.get(0).get(0).lines().findFirst().orElseThrow().trim()));
    screenshot("history-detail");

    // the per-operator profile: the statement re-run as EXPLAIN ANALYZE, the engine's operator
    // tree with rows and times; the operators are those of the profile the REST API gives for the
    // same EXPLAIN ANALYZE, the top one produced Q1's 4 rows, and a scan read lineitem's rows
    assertTrue(d().findElement(By.id("history-profile")).getAttribute("hidden") != null);
    driver.findElement(By.id("history-profile-run")).click();
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .withMessage(() -> driver.findElement(By.id("history-profile-status")).getText())
        .until(
            ExpectedConditions.attributeToBe(By.id("history-profile"), "data-state", "SUCCEEDED"));
    List<WebElement> operators =
        d().findElements(By.cssSelector("#history-profile tbody tr[data-operator]"));
    List<String> shownOperators =
        operators.stream().map(tr -> tr.getAttribute("data-operator")).toList();
    List<List<String>> analyzed = restRows("EXPLAIN ANALYZE " + q1Text);
    assertEquals(List.of("plan", "profile"), restColumns("EXPLAIN ANALYZE " + q1Text));
    List<String> engineOperators = new ArrayList<>();
    profileOperators(JSON.readTree(analyzed.get(0).get(1)).path("operator"), engineOperators);
    assertEquals(engineOperators, shownOperators);
    assertEquals("0", operators.get(0).getAttribute("data-depth"));
    assertEquals("4", operators.get(0).getAttribute("data-rows"));
    long lineitems =
        Long.parseLong(restRows("SELECT count(*) FROM samples.tpch_sf0_01.lineitem").get(0).get(0));
    assertTrue(
        operators.stream()
            .filter(tr -> tr.getAttribute("data-operator").contains("SCAN"))
            .mapToLong(tr -> Long.parseLong(tr.getAttribute("data-rows")))
            .anyMatch(rows -> rows > 0 && rows <= lineitems),
        "a scan of lineitem in " + shownOperators);
    assertTrue(
        driver.findElement(By.id("history-profile-status")).getText().contains("re-run"),
        "labelled as a re-run");
    js("arguments[0].scrollIntoView()", d().findElement(By.id("history-profile")));
    screenshot("history-profile");

    // the page ran the plan as its own statement: the Query History API lists it with its mark,
    // the page's table leaves it out unless "show the editor's own statements" is ticked, and
    // the user's EXPLAIN (restRows above) stays listed
    String ownPlan = "/* aquifer-editor */ EXPLAIN ";
    String ownPlanId =
        wait.until(
            d -> {
              try {
                for (JsonNode q :
                    rest("GET", "/api/2.0/sql/history/queries?max_results=100", null).at("/res")) {
                  String text = q.path("query_text").asText();
                  if (text.startsWith(ownPlan) && text.contains("count_order")) {
                    assertEquals("FINISHED", q.path("status").asText());
                    assertEquals("EXPLAIN", q.path("statement_type").asText());
                    return q.path("query_id").asText();
                  }
                }
                return null;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    WebElement own = driver.findElement(By.id("history-own"));
    assertFalse(own.isSelected());
    driver.findElement(By.id("history-refresh")).click();
    own.click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(historyRow(ownPlanId)));
    assertTrue(
        d().findElement(historyRow(ownPlanId))
            .findElement(By.cssSelector("button.sql"))
            .getText()
            .startsWith(ownPlan));
    screenshot("history-own-statements");
    own.click();
    wait.until(d -> d.findElements(historyRow(ownPlanId)).isEmpty());
    By userExplain =
        By.xpath(
            "//table[@id='history-table']//tr[@data-statement-id][.//button[contains(@class,"
                + " 'sql') and starts-with(normalize-space(.), 'EXPLAIN')"
                + " and contains(., 'count_order')]]");
    wait.until(ExpectedConditions.visibilityOfElementLocated(userExplain));
    assertTrue(
        d().findElements(By.cssSelector("#history-table tr[data-statement-id] button.sql")).stream()
            .noneMatch(b -> b.getText().startsWith("/* aquifer-editor */")));

    // the canceled one's plan opens too
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-status")))
        .selectByValue("CANCELED");
    driver.findElement(By.id("history-filter")).clear();
    js(
        "const f = document.getElementById('history-filter'); f.value = '1000003';"
            + " f.dispatchEvent(new Event('input'));");
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(historyRow(canceledId))
                  .findElement(By.cssSelector("button.sql"))
                  .click();
              return true;
            });
    wait.until(
        ExpectedConditions.attributeToBe(By.id("history-detail"), "data-statement-id", canceledId));
    wait.until(ExpectedConditions.attributeToBe(By.id("history-plan"), "data-state", "SUCCEEDED"));
    driver.findElement(By.id("history-open")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sql")));
    assertEquals(
        history.get("query_text").asText(), js("return document.getElementById('sql').value"));

    // Re-run goes back to the editor and runs the statement
    driver.findElement(By.id("history-button")).click();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-status")))
        .selectByValue("FINISHED");
    js(
        "const f = document.getElementById('history-filter'); f.value = 'count_order';"
            + " f.dispatchEvent(new Event('input'));");
    clearResults();
    String q1Id =
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
            .until(
                d -> {
                  WebElement tr = d.findElement(q1);
                  tr.findElement(By.cssSelector("button.sql")).click();
                  return tr.getAttribute("data-statement-id");
                });
    wait.until(
        ExpectedConditions.attributeToBe(By.id("history-detail"), "data-statement-id", q1Id));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("history-rerun"))).click();
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .withMessage(
            () ->
                "re-run of "
                    + q1Id
                    + ": status "
                    + driver.findElement(By.id("status")).getText()
                    + ", rows "
                    + driver.findElement(By.id("row-count")).getText()
                    + ", grid "
                    + gridRows())
        .until(
            ExpectedConditions.textMatches(
                By.id("status"), java.util.regex.Pattern.compile("Re-run: succeeded.*")));
    assertTrue(
        js("return document.getElementById('history-detail-text').textContent")
            .toString()
            .startsWith("SELECT"));
    wait.until(ExpectedConditions.textToBe(By.id("row-count"), "4 rows"));
    assertEquals(restRows(q1Text), gridRows());
    assertEquals(
        List.of("l_returnflag", "l_linestatus", "sum_qty", "avg_disc", "count_order"),
        gridHeader());
    assertTrue(driver.findElement(By.id("history")).getAttribute("hidden") != null);
  }

  @Test
  @Order(13)
  void uploadTwoCsvFilesPreviewsThemAndCreatesATableWithAChangedType() throws Exception {
    restRows("CREATE SCHEMA IF NOT EXISTS main.editor_upload");
    restRows("CREATE VOLUME IF NOT EXISTS main.editor_upload.landing");
    restRows("CREATE SCHEMA IF NOT EXISTS main.editor_no_volume");
    Path first = uploadFile("people-1.csv", "id,name,score\n1,ann,1.5\n2,bob,2.5\n");
    Path second = uploadFile("people 2.csv", "id,name,score\n3,cy,3.5\n");

    driver.findElement(By.id("upload-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload")));
    chooseUploadTarget("editor_no_volume");
    // a schema without volumes says so and offers nothing to stage in
    wait.until(
        ExpectedConditions.textMatches(
            By.id("upload-volume-note"),
            java.util.regex.Pattern.compile("main\\.editor_no_volume has no volume.*")));
    assertEquals(0, driver.findElements(By.cssSelector("#upload-volume option")).size());
    chooseUploadTarget("editor_upload");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#upload-volume option[value='landing']")));
    assertEquals("", driver.findElement(By.id("upload-volume-note")).getText());
    driver.findElement(By.id("upload-table")).sendKeys("people");
    chooseUploadFiles(first, second);
    assertEquals(
        List.of("people-1.csv", "people 2.csv"),
        js(
            "return [...document.querySelectorAll('#upload-file-list tr')].map(tr =>"
                + " tr.dataset.file)"));
    driver.findElement(By.id("upload-start")).click();
    awaitUploadPreview();
    screenshot("upload-preview");

    // each file's progress bar is full (set from the browser's upload progress events only) and
    // the files are staged as aquifer load stages them
    assertEquals(
        List.of(true, true),
        js(
            "return [...document.querySelectorAll('#upload-file-list progress')].map(p =>"
                + " p.value === p.max && p.max > 1)"));
    assertEquals(
        List.of("uploaded", "uploaded"),
        js(
            "return [...document.querySelectorAll('#upload-file-list .file-state')].map(td =>"
                + " td.textContent)"));
    assertTrue(
        driver
            .findElement(By.id("upload-status"))
            .getText()
            .startsWith("Staged 2 files in /Volumes/main/editor_upload/landing/aquifer_load/"),
        driver.findElement(By.id("upload-status")).getText());
    assertEquals(1, stagedRuns().size(), "one staging folder while the preview is open");

    // the inferred schema and the rows of both files
    assertEquals(
        List.of(List.of("id", "INT"), List.of("name", "STRING"), List.of("score", "DOUBLE")),
        js(
            "return [...document.querySelectorAll('#upload-columns tr[data-column]')].map(tr =>"
                + " [tr.dataset.column, tr.querySelector('.inferred-type').textContent])"));
    @SuppressWarnings("unchecked")
    List<List<String>> preview =
        new ArrayList<>(
            (List<List<String>>)
                js(
                    "return [...document.querySelectorAll('#upload-rows tbody tr')].map(tr =>"
                        + " [...tr.children].map(td => td.textContent))"));
    preview.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    assertEquals(
        List.of(List.of("1", "ann", "1.5"), List.of("2", "bob", "2.5"), List.of("3", "cy", "3.5")),
        preview);

    // id becomes a BIGINT (schemaHints), then the table is made
    WebElement idType =
        driver.findElement(By.cssSelector("#upload-columns tr[data-column='id'] input"));
    idType.sendKeys(Keys.chord(Keys.CONTROL, "a"), "BIGINT");
    driver.findElement(By.id("upload-create")).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-status"), "Created main.editor_upload.people: 3 rows."));
    screenshot("upload-created");
    assertEquals(List.of(List.of("3")), restRows("SELECT count(*) FROM main.editor_upload.people"));
    assertEquals(List.of(List.of("6")), restRows("SELECT sum(id) FROM main.editor_upload.people"));
    JsonNode table = rest("GET", "/api/2.1/unity-catalog/tables/main.editor_upload.people", null);
    Map<String, String> types = new HashMap<>();
    table
        .get("columns")
        .forEach(c -> types.put(c.get("name").asText(), c.get("type_text").asText()));
    assertEquals("bigint", types.get("id").toLowerCase(java.util.Locale.ROOT), table.toString());
    assertEquals("double", types.get("score").toLowerCase(java.util.Locale.ROOT), table.toString());
    awaitNoStagedFiles();
  }

  @Test
  @Order(14)
  void aMalformedFileNamesTheFileAndLineAndCreatesNothing() throws Exception {
    Path good = uploadFile("good.csv", "id,name\n1,one\n");
    Path bad = uploadFile("bad.csv", "id,name\n8,eight\nnine,9\n");
    chooseUploadTarget("editor_upload");
    WebElement name = driver.findElement(By.id("upload-table"));
    name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "bad_people");
    chooseUploadFiles(good, bad);
    driver.findElement(By.id("upload-start")).click();
    awaitUploadPreview();
    // inferred as a STRING ("nine"); as an INT its line 3 fails (FAILFAST, as aquifer load)
    driver
        .findElement(By.cssSelector("#upload-columns tr[data-column='id'] input"))
        .sendKeys(Keys.chord(Keys.CONTROL, "a"), "INT");
    driver.findElement(By.id("upload-create")).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("upload-message"), java.util.regex.Pattern.compile(".+")));
    String message = driver.findElement(By.id("upload-message")).getText();
    screenshot("upload-malformed");
    assertTrue(
        message.startsWith("bad.csv: Creating main.editor_upload.bad_people failed: "), message);
    assertTrue(message.contains("MALFORMED_RECORD_IN_PARSING"), message);
    assertTrue(message.contains("bad.csv line 3"), message);
    assertFalse(message.contains("aquifer_load"), "the staged name is mapped back: " + message);
    String badState =
        driver
            .findElement(By.cssSelector("#upload-file-list tr[data-file='bad.csv'] .file-state"))
            .getText();
    assertTrue(badState.contains("line 3"), badState);
    assertEquals(
        "uploaded",
        driver
            .findElement(By.cssSelector("#upload-file-list tr[data-file='good.csv'] .file-state"))
            .getText());
    HttpResponse<String> missing =
        http(
            "GET",
            "/api/2.1/unity-catalog/tables/main.editor_upload.bad_people",
            Map.of("Authorization", "Bearer " + token));
    assertEquals(404, missing.statusCode(), missing.body());
    awaitNoStagedFiles();

    // a table that exists is refused before anything is staged, unless it is to be replaced
    name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "people");
    chooseUploadFiles(good);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-start"))).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-message"),
            "TABLE_OR_VIEW_ALREADY_EXISTS (SQLSTATE 42P07): main.editor_upload.people already"
                + " exists; choose 'replace it' or another name."));
    assertEquals(0, stagedRuns().size());
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("upload-mode")))
        .selectByValue("overwrite");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-start"))).click();
    awaitUploadPreview();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-create"))).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-status"), "Replaced main.editor_upload.people: 1 row."));
    assertEquals(
        List.of(List.of("1", "one")), restRows("SELECT id, name FROM main.editor_upload.people"));
    awaitNoStagedFiles();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("upload-mode")))
        .selectByValue("create");

    // a JSON file that does not parse fails the preview, named, and nothing stays staged
    Path broken = uploadFile("broken.json", "{\"id\": 1}\n{\"id\": \n");
    name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "broken");
    chooseUploadFiles(broken);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-start"))).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("upload-message"),
            java.util.regex.Pattern.compile("broken\\.json: Reading the files failed: .+")));
    String jsonMessage = driver.findElement(By.id("upload-message")).getText();
    assertFalse(jsonMessage.contains("aquifer_load"), jsonMessage);
    assertFalse(driver.findElement(By.id("upload-preview")).isDisplayed());
    assertFalse(driver.findElement(By.id("upload-create")).isEnabled());
    awaitNoStagedFiles();
  }

  @Test
  @Order(15)
  void filesOfOtherTypesOrTooManyAreRefused() throws Exception {
    Path sheet = uploadFile("numbers.xlsx", "not a spreadsheet");
    Path csv = uploadFile("fine.csv", "a\n1\n");
    chooseUploadFiles(csv, sheet);
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-message"),
            "numbers.xlsx: not a file type the upload takes (.csv, .tsv, .json, .jsonl,"
                + " .parquet, .avro, .orc, .xml, .txt)."));
    assertEquals(0, driver.findElements(By.cssSelector("#upload-file-list tr")).size());
    assertFalse(driver.findElement(By.id("upload-start")).isEnabled());
    List<Path> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(uploadFile("part-" + i + ".csv", "a\n" + i + "\n"));
    }
    chooseUploadFiles(eleven.toArray(Path[]::new));
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-message"), "11 files chosen: upload at most 10 at a time."));
    assertFalse(driver.findElement(By.id("upload-start")).isEnabled());
    // more than 2 GiB in all (a sparse file: the page reads only its size)
    Path big = uploads.resolve("big.csv");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength((2L << 30) + 1);
    }
    chooseUploadFiles(csv, big);
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-message"),
            "The files hold more than 2 GiB (2.0 GiB): upload at most 2 GiB at a time."));
    assertEquals(0, driver.findElements(By.cssSelector("#upload-file-list tr")).size());
    assertFalse(driver.findElement(By.id("upload-start")).isEnabled());
    screenshot("upload-refused");
    assertEquals(0, stagedRuns().size());

    // XML: the row tag field appears, is checked before anything is sent, and names the rows
    assertFalse(driver.findElement(By.id("upload-row-tag")).isDisplayed());
    Path books =
        uploadFile(
            "books.xml",
            "<catalog><book id=\"1\"><t>a</t></book><book id=\"2\"><t>b</t></book></catalog>\n");
    chooseUploadTarget("editor_upload");
    driver.findElement(By.id("upload-table")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "books");
    chooseUploadFiles(books);
    WebElement rowTag =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-row-tag")));
    rowTag.sendKeys(Keys.chord(Keys.CONTROL, "a"), "<book>");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-start"))).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("upload-message"), java.util.regex.Pattern.compile(".*Row tag.*")));
    assertEquals(0, stagedRuns().size());
    rowTag.sendKeys(Keys.chord(Keys.CONTROL, "a"), "book");
    driver.findElement(By.id("upload-start")).click();
    awaitUploadPreview();
    driver.findElement(By.id("upload-create")).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.id("upload-status"), "Created main.editor_upload.books: 2 rows."));
    assertEquals(List.of(List.of("3")), restRows("SELECT sum(_id) FROM main.editor_upload.books"));
    awaitNoStagedFiles();
    driver.findElement(By.id("upload-button")).click(); // back to the editor
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("work")));
  }

  @Test
  @Order(16)
  void aStoppedWarehouseShowsItsStateAndStartsFromThePicker() throws Exception {
    rest("POST", "/api/2.0/sql/warehouses/" + warehouseId + "/stop", Map.of());
    js("document.getElementById('warehouse').focus()"); // focusing the picker reloads the states
    WebElement start =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-warehouse")));
    assertTrue(driver.findElement(By.id("warehouse-state")).getText().startsWith("STOPPED"));
    screenshot("warehouse-stopped");
    start.click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("warehouse-state"), java.util.regex.Pattern.compile("RUNNING.*")));
    assertFalse(driver.findElement(By.id("start-warehouse")).isDisplayed());
    setEditor("SELECT 42 AS answer", 0);
    runWithCtrlEnter();
    wait.until(d -> gridHeader().equals(List.of("answer")));
    assertEquals(List.of(List.of("42")), gridRows());
  }

  @Test
  @Order(17)
  void tabsSurviveAReloadAndARevokedTokenReturnsToSignIn() throws Exception {
    int tabs = driver.findElements(By.cssSelector("#tabs .tab")).size();
    driver.findElement(By.id("new-tab")).click();
    setEditor("SELECT 'kept across reloads' AS k", 0);
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    assertEquals(tabs + 1, driver.findElements(By.cssSelector("#tabs .tab")).size());
    assertEquals(
        "SELECT 'kept across reloads' AS k", js("return document.getElementById('sql').value"));

    // a token that stops being valid (expired, revoked) sends the user back to sign in
    js("sessionStorage.setItem('aquifer.editor.token', 'revoked')");
    driver.findElement(By.id("history-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
    assertTrue(
        driver.findElement(By.id("signin-error")).getText().contains("sign in again"),
        driver.findElement(By.id("signin-error")).getText());

    driver.findElement(By.id("token")).sendKeys(token, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    driver.findElement(By.id("signout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
    assertNull(js("return sessionStorage.getItem('aquifer.editor.token')"), "token forgotten");
  }

  // ------------------------------------------------------------------------------------------

  private static WebElement node(String fullName) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("li[data-full-name='" + fullName + "']")));
  }

  private static void expand(String fullName) {
    WebElement li = node(fullName);
    li.findElement(By.cssSelector(":scope > .node-row > .twisty")).click();
    wait.until(
        d ->
            !li.findElements(By.cssSelector(":scope > ul > li[data-kind]")).isEmpty()
                || !li.findElements(By.cssSelector(":scope > ul > li.error-text")).isEmpty());
    assertTrue(
        li.findElements(By.cssSelector(":scope > ul > li.error-text")).isEmpty(), li.getText());
  }

  private static void clearResults() {
    js(
        "for (const id of ['status', 'row-count', 'server-timing'])"
            + " document.getElementById(id).textContent = '';"
            + " document.getElementById('grid').replaceChildren();");
  }

  private static ChromeDriver d() {
    return driver;
  }

  private static By historyRow(String statementId) {
    return By.cssSelector("#history-table tr[data-statement-id='" + statementId + "']");
  }

  /** The distinct statuses in the history table. */
  @SuppressWarnings("unchecked")
  private static List<String> historyStatuses() {
    return (List<String>)
        js(
            "return [...new Set([...document.querySelectorAll('#history-table"
                + " tr[data-statement-id]')].map(tr => tr.children[1].textContent))]");
  }

  private static String firstRowNumber() {
    return (String)
        js(
            "const c = document.querySelector('#grid tbody td.rownum');"
                + " return c ? c.textContent : ''");
  }

  /** Scrolls the grid to a row with the Row field, and waits until it is the first in view. */
  private static void goToRow(long row) {
    WebElement field = driver.findElement(By.id("goto-row"));
    // Select what the field holds and type over it: clear() leaves the field, and a render in
    // between would write the first row in view back into it before the keys arrive.
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Long.toString(row), Keys.ENTER);
    long total =
        Long.parseLong(driver.findElement(By.id("row-count")).getText().replaceAll("[^0-9]", ""));
    long expected = Math.min(row, total - gridRows().size() + 1);
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .withMessage(
            () ->
                "first row in view "
                    + firstRowNumber()
                    + ", wanted "
                    + expected
                    + "; "
                    + js(
                        "const w = document.getElementById('grid-wrap'); return w.scrollTop + '/'"
                            + " + w.scrollHeight + '/' + w.clientHeight + ' field '"
                            + " + document.getElementById('goto-row').value"))
        .until(d -> firstRowNumber().equals(Long.toString(expected)));
  }

  /** The rows in view of range(1000000): row n holds n - 1 and twice that. */
  private static void assertContiguousFrom(long first) {
    List<List<String>> rows = gridRows();
    for (int i = 0; i < rows.size(); i++) {
      long id = first - 1 + i;
      assertEquals(
          List.of(Long.toString(id), Long.toString(2 * id)), rows.get(i), "row " + (id + 1));
    }
  }

  private static void tableAction(String fullName, String action) {
    clearResults();
    WebElement row = node(fullName).findElement(By.cssSelector(":scope > .node-row"));
    new Actions(driver).moveToElement(row).perform();
    WebElement button =
        row.findElement(By.cssSelector("button[aria-label='" + action + " " + fullName + "']"));
    wait.until(ExpectedConditions.elementToBeClickable(button)).click();
  }

  private static HttpResponse<String> http(String method, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Replaces the editor's text and puts the cursor at {@code cursor}. The element {@code #sql}
   * holds the CodeMirror 6 editor and carries a textarea's value, setSelectionRange and focus.
   */
  private static void setEditor(String text, int cursor) {
    js(
        "const e = document.getElementById('sql'); e.focus(); e.value = arguments[0];"
            + " e.setSelectionRange(arguments[1], arguments[1]);",
        text,
        cursor);
  }

  /** Presses Ctrl+Enter in the editor, after clearing what the last run left on the page. */
  private static void runWithCtrlEnter() {
    clearResults();
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
  }

  @SuppressWarnings("unchecked")
  private static List<List<String>> gridRows() {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#grid tbody")));
    return (List<List<String>>)
        js(
            "return [...document.querySelectorAll('#grid tbody tr')].map(tr =>"
                + " [...tr.children].slice(1).map(td => td.dataset.null ? null :"
                + " td.textContent))");
  }

  @SuppressWarnings("unchecked")
  private static List<String> gridHeader() {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#grid tbody")));
    return (List<String>)
        js(
            "return [...document.querySelectorAll('#grid thead th')].slice(1).map(th =>"
                + " th.firstChild.textContent)");
  }

  private static Map<String, Object> statement(String sql) {
    return Map.of("statement", sql, "warehouse_id", warehouseId, "wait_timeout", "50s");
  }

  /** The operator names of DuckDB's JSON profile, depth first, without its wrappers. */
  /** The plan nodes of a kept profile in pre-order, as the page lists them. */
  private static void planOperators(JsonNode node, List<String> out) {
    out.add(node.path("operator").asText());
    for (JsonNode input : node.path("inputs")) {
      planOperators(input, out);
    }
  }

  private static void profileOperators(JsonNode nodes, List<String> out) {
    for (JsonNode node : nodes) {
      String name = node.path("operator_name").asText(node.path("type").asText(""));
      if (!name.isEmpty() && !name.equals("EXPLAIN_ANALYZE") && !name.equals("RESULT_COLLECTOR")) {
        out.add(name);
      }
      profileOperators(node.path("children"), out);
    }
  }

  private static List<String> restColumns(String sql) throws Exception {
    JsonNode answer = rest("POST", "/api/2.0/sql/statements", statement(sql));
    assertEquals("SUCCEEDED", answer.at("/status/state").asText(), answer.toString());
    List<String> names = new ArrayList<>();
    answer.at("/manifest/schema/columns").forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  private static List<List<String>> restRows(String sql) throws Exception {
    JsonNode answer = rest("POST", "/api/2.0/sql/statements", statement(sql));
    assertEquals("SUCCEEDED", answer.at("/status/state").asText(), answer.toString());
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode row : answer.at("/result/data_array")) {
      List<String> values = new ArrayList<>();
      row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
      rows.add(values);
    }
    return rows;
  }

  private static JsonNode rest(String method, String path, Object body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static Path awaitDownload(String suffix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(downloads)) {
        Optional<Path> done = files.filter(p -> p.toString().endsWith(suffix)).findFirst();
        if (done.isPresent()) {
          return done.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + suffix + " download in " + downloads);
  }

  private static Path uploadFile(String name, String content) throws Exception {
    return Files.writeString(uploads.resolve(name), content);
  }

  /** Chooses main.{schema} as the upload's target (and so the schema's volumes). */
  private static void chooseUploadTarget(String schema) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-catalog")));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#upload-catalog option[value='main']")));
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("upload-catalog")))
        .selectByValue("main");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#upload-schema option[value='" + schema + "']")));
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("upload-schema")))
        .selectByValue(schema);
  }

  /** Puts the files in the file field, as choosing them in the browser's dialog does. */
  private static void chooseUploadFiles(Path... files) {
    WebElement input = driver.findElement(By.id("upload-files"));
    wait.until(d -> input.isEnabled()); // not while an upload or statement runs
    js("arguments[0].value = ''", input);
    input.sendKeys(String.join("\n", Stream.of(files).map(Path::toString).toList()));
  }

  private static void awaitUploadPreview() {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .withMessage(
            () ->
                "preview: "
                    + driver.findElement(By.id("upload-message")).getText()
                    + " / "
                    + driver.findElement(By.id("upload-status")).getText())
        .until(d -> d.findElement(By.id("upload-preview")).isDisplayed());
  }

  /** The run folders below the volume's aquifer_load folder, through the Files API. */
  private static List<String> stagedRuns() throws Exception {
    HttpResponse<String> list =
        http(
            "GET",
            "/api/2.0/fs/directories/Volumes/main/editor_upload/landing/aquifer_load",
            Map.of("Authorization", "Bearer " + token));
    if (list.statusCode() == 404) {
      return List.of();
    }
    assertEquals(200, list.statusCode(), list.body());
    List<String> runs = new ArrayList<>();
    JSON.readTree(list.body()).path("contents").forEach(e -> runs.add(e.get("path").asText()));
    return runs;
  }

  /** The page deletes the staged files after the statement: wait until it has. */
  private static void awaitNoStagedFiles() {
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .withMessage(() -> "staged files left")
        .until(
            d -> {
              try {
                return stagedRuns().isEmpty();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
