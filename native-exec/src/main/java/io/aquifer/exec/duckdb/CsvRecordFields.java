package io.aquifer.exec.duckdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record as Spark's CSV reader does with its default options ({@code sep ,}, {@code
 * quote "}, {@code escape \}): a quoted field may hold separators, {@code \"} and {@code ""} inside
 * quotes are a quote, and an empty unquoted field is NULL. The fields travel to the engine as a
 * JSON array of strings (the Java UDF interface returns no lists).
 */
final class CsvRecordFields {
  private CsvRecordFields() {}

  static String asJson(String record) {
    if (record == null) {
      return null;
    }
    StringBuilder json = new StringBuilder("[");
    List<String> fields = split(record);
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      String f = fields.get(i);
      json.append(f == null ? "null" : DuckDbJavaFunctions.jsonString(f));
    }
    return json.append(']').toString();
  }

  static List<String> split(String record) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < record.length()) {
          field.append(record.charAt(++i));
        } else if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.toString().isBlank()) {
        quoted = true;
        wasQuoted = true;
        field.setLength(0);
      } else if (c == ',') {
        fields.add(field.isEmpty() && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else {
        field.append(c);
      }
    }
    fields.add(field.isEmpty() && !wasQuoted ? null : field.toString());
    return fields;
  }
}
