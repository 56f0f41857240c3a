package io.aquifer.conformance.slt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.hydromatic.sqllogictest.ISqlTestOperation;
import net.hydromatic.sqllogictest.OptionsParser;
import net.hydromatic.sqllogictest.SltSqlStatement;
import net.hydromatic.sqllogictest.SltTestFile;
import net.hydromatic.sqllogictest.SqlTestQuery;

/**
 * The part of SQLite's sqllogictest corpus Aquifer runs: {@code select1.test} to {@code
 * select5.test} and everything under {@code evidence/}, read from the corpus bundled in {@code
 * net.hydromatic:sql-logic-test}.
 *
 * <p>{@link Selection#SAMPLE} (what {@code mvn verify} runs) keeps every statement, so each file
 * builds its full tables, but only every n-th query of the large files: the sample is the same on
 * every run. It also sends each run of single-row {@code INSERT INTO t VALUES(...)} statements (no
 * column list) as one multi-row INSERT per table: the same rows in the same order per table, one
 * Delta commit instead of hundreds (select4 and select5 insert 1,640 rows one at a time). {@link
 * Selection#ALL} runs every query and every statement as written.
 */
final class SltCorpus {
  static final String ROOT = "test/";

  /** Which queries of each file run. */
  enum Selection {
    SAMPLE,
    ALL;

    static Selection fromProperty(String value) {
      if (value == null || value.isBlank()) {
        return SAMPLE;
      }
      return Selection.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** In the sample, the file keeps queries 0, n, 2n, ...; files not listed keep all. */
  private static final Map<String, Integer> SAMPLE_STRIDE =
      Map.of(
          "select1.test", 4,
          "select2.test", 4,
          "select3.test", 8,
          "select4.test", 8,
          "select5.test", 8);

  private SltCorpus() {}

  /** The corpus files as names relative to {@code test/}, select files first. */
  static List<String> files() {
    List<String> files = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      files.add("select" + i + ".test");
    }
    List<String> evidence = new ArrayList<>();
    try (JarFile jar = new JarFile(corpusJar().toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.startsWith(ROOT + "evidence/") && name.endsWith(".test")) {
          evidence.add(name.substring(ROOT.length()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sqllogictest corpus", e);
    }
    Collections.sort(evidence);
    files.addAll(evidence);
    return files;
  }

  /** Parses a corpus file (the runner's own parser) and keeps the selected queries. */
  static SltTestFile load(String file, Selection selection, OptionsParser.SuppliedOptions options)
      throws IOException {
    SltTestFile test = new SltTestFile(ROOT + file);
    test.parse(options);
    if (selection == Selection.SAMPLE) {
      List<ISqlTestOperation> coalesced = coalesceInserts(test.fileContents);
      test.fileContents.clear();
      test.fileContents.addAll(coalesced);
    }
    int stride = stride(file, selection);
    if (stride > 1) {
      List<ISqlTestOperation> kept = new ArrayList<>();
      int query = 0;
      for (ISqlTestOperation op : test.fileContents) {
        if (op instanceof SqlTestQuery) {
          if (query++ % stride != 0) {
            continue;
          }
        }
        kept.add(op);
      }
      test.fileContents.clear();
      test.fileContents.addAll(kept);
    }
    return test;
  }

  private static final Pattern SINGLE_ROW_INSERT =
      Pattern.compile(
          "INSERT\\s+INTO\\s+(\\w+)\\s+VALUES\\s*(\\(.*\\))\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * Replaces each run of consecutive single-row {@code INSERT INTO t VALUES(...)} statements with
   * one multi-row INSERT per table, tables in order of first appearance. Inserts into different
   * tables commute, and each table keeps its rows in their order.
   */
  static List<ISqlTestOperation> coalesceInserts(List<ISqlTestOperation> operations) {
    List<ISqlTestOperation> out = new ArrayList<>();
    Map<String, List<String>> run = new LinkedHashMap<>();
    for (ISqlTestOperation op : operations) {
      Matcher m =
          op instanceof SltSqlStatement s && s.shouldPass
              ? SINGLE_ROW_INSERT.matcher(s.statement)
              : null;
      if (m != null && m.matches()) {
        run.computeIfAbsent(m.group(1), t -> new ArrayList<>()).add(m.group(2));
        continue;
      }
      flush(run, out);
      out.add(op);
    }
    flush(run, out);
    return out;
  }

  private static void flush(Map<String, List<String>> run, List<ISqlTestOperation> out) {
    run.forEach(
        (table, rows) ->
            out.add(
                new SltSqlStatement(
                    "INSERT INTO " + table + " VALUES" + String.join(",", rows), true)));
    run.clear();
  }

  static int stride(String file, Selection selection) {
    return selection == Selection.ALL ? 1 : SAMPLE_STRIDE.getOrDefault(file, 1);
  }

  private static Path corpusJar() {
    try {
      return Path.of(SltTestFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the sqllogictest jar", e);
    }
  }
}
