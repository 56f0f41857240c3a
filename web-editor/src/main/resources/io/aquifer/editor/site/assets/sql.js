// SQL text helpers of the Aquifer editor: tokens for highlighting, statement boundaries for
// "run the statement under the cursor", error positions and names for completion. No DOM here.
"use strict";

const AquiferSql = (() => {
  const KEYWORDS = (
    "ADD ALL ALTER AND ANTI ANY AS ASC BETWEEN BIGINT BINARY BOOLEAN BY CASE CAST CATALOG CATALOGS " +
    "COLUMN COLUMNS COMMENT CREATE CROSS CURRENT DATE DECIMAL DELETE DESC DESCRIBE DISTINCT DOUBLE " +
    "DROP ELSE END EXCEPT EXISTS EXPLAIN FALSE FILTER FIRST FLOAT FOLLOWING FOR FROM FULL GROUP " +
    "HAVING IF IN INNER INSERT INT INTEGER INTERSECT INTERVAL INTO IS JOIN LAST LATERAL LEFT LIKE " +
    "LIMIT MERGE NATURAL NOT NULL NULLS OFFSET ON OR ORDER OUTER OVER OVERWRITE PARTITION PRECEDING " +
    "QUALIFY RANGE REPLACE RIGHT ROW ROWS SCHEMA SCHEMAS SELECT SEMI SET SHOW SMALLINT STRING TABLE " +
    "TABLES THEN TIMESTAMP TIMESTAMP_NTZ TINYINT TO TRUE TRUNCATE UNBOUNDED UNION UPDATE USE USING " +
    "VALUES VIEW VIEWS WHEN WHERE WINDOW WITH"
  ).split(" ");
  // Common Databricks SQL built-in functions: what completion offers until the editor has read the
  // function catalog (SHOW FUNCTIONS) from a running warehouse.
  const FUNCTIONS = (
    "abs avg array_agg array_contains ceil ceiling coalesce collect_list collect_set concat " +
    "concat_ws count count_if current_catalog current_date current_schema current_timestamp " +
    "date_add date_diff date_format date_sub date_trunc datediff day dayofweek dense_rank " +
    "element_at exp explode first_value floor from_unixtime greatest hour if ifnull initcap " +
    "instr lag last_value lead least left length lower lpad ltrim max md5 min minute month " +
    "nullif nvl percentile_approx position pow power rank regexp_extract regexp_replace repeat " +
    "replace reverse right round row_number rpad rtrim sha2 sign size split sqrt stddev " +
    "substr substring sum to_date to_timestamp trim trunc try_cast try_divide unix_timestamp " +
    "upper variance year"
  ).split(" ");
  const KEYWORD_SET = new Set(KEYWORDS);
  const FUNCTION_SET = new Set(FUNCTIONS);

  const TOKEN = new RegExp(
    [
      "(\\s+)", // 1 space
      "(--[^\\n]*|/\\*[\\s\\S]*?(?:\\*/|$))", // 2 comment
      "('(?:[^'\\\\]|\\\\[\\s\\S]|'')*'?|\"(?:[^\"\\\\]|\\\\[\\s\\S]|\"\")*\"?)", // 3 string
      "(`(?:[^`]|``)*`?)", // 4 quoted identifier
      "(\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?[a-zA-Z]*|\\.\\d+)", // 5 number
      "(:[A-Za-z_][A-Za-z0-9_]*)", // 6 parameter marker
      "([A-Za-z_][A-Za-z0-9_]*)", // 7 word
      "([\\s\\S])", // 8 anything else
    ].join("|"),
    "y"
  );

  /** Splits SQL into tokens {type, text, start}; the texts concatenate back to the input. */
  function tokenize(sql) {
    const out = [];
    TOKEN.lastIndex = 0;
    let m;
    while (TOKEN.lastIndex < sql.length && (m = TOKEN.exec(sql)) !== null) {
      const start = m.index;
      let type;
      if (m[1] !== undefined) type = "space";
      else if (m[2] !== undefined) type = "comment";
      else if (m[3] !== undefined) type = "string";
      else if (m[4] !== undefined) type = "ident";
      else if (m[5] !== undefined) type = "number";
      else if (m[6] !== undefined) {
        // "::" is a cast, not a marker
        type = start > 0 && sql[start - 1] === ":" ? "punct" : "param";
      } else if (m[7] !== undefined) {
        const upper = m[7].toUpperCase();
        const next = sql.slice(TOKEN.lastIndex).match(/^\s*\(/);
        if (KEYWORD_SET.has(upper) && !(next && FUNCTION_SET.has(m[7].toLowerCase()))) type = "keyword";
        else if (next) type = "function";
        else type = "word";
      } else type = "punct";
      out.push({ type, text: m[0], start });
    }
    return out;
  }

  /** The statements of a script: [{start, end, text}] without the ';', empty ones left out. */
  function splitStatements(sql) {
    const out = [];
    let start = 0;
    const push = (end) => {
      const text = sql.slice(start, end);
      const lead = text.length - text.trimStart().length;
      if (text.trim().length > 0 && !onlyComments(text)) {
        out.push({ start: start + lead, end: start + text.trimEnd().length, text: text.trim() });
      }
    };
    for (const t of tokenize(sql)) {
      if (t.type === "punct" && t.text === ";") {
        push(t.start);
        start = t.start + 1;
      }
    }
    push(sql.length);
    return out;
  }

  function onlyComments(text) {
    return tokenize(text).every((t) => t.type === "space" || t.type === "comment");
  }

  /**
   * The statement to run for a cursor at `offset`: the one that contains it, else the nearest one
   * before it (the cursor just after a ';'), else the first after it.
   */
  function statementAt(sql, offset) {
    const statements = splitStatements(sql);
    if (statements.length === 0) return null;
    let before = null;
    for (const s of statements) {
      if (offset >= s.start && offset <= s.end) return s;
      if (s.end <= offset) before = s;
    }
    return before || statements[0];
  }

  /** The {line, column} (1-based) an Aquifer error message names ("at line 2, column 8"). */
  function positionFromMessage(message) {
    const m = /\bline (\d+), column (\d+)/.exec(message || "");
    return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
  }

  /** The offset in `text` of a 1-based line and column (clamped to the text). */
  function offsetOf(text, line, column) {
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf("\n", offset);
      if (nl < 0) return text.length;
      offset = nl + 1;
    }
    return Math.min(text.length, offset + Math.max(0, column - 1));
  }

  /** The 1-based {line, column} of an offset. */
  function lineColumn(text, offset) {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - before.lastIndexOf("\n") };
  }

  /** The dotted name being typed just before `offset`: {start, parts} (the last part partial). */
  function nameBefore(sql, offset) {
    const m = /((?:(?:`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)\.)*)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(
      sql.slice(Math.max(0, offset - 400), offset)
    );
    const text = m ? m[0] : "";
    const parts = m && m[1] ? m[1].slice(0, -1).match(/`[^`]*`|[^.]+/g).map(unquote) : [];
    parts.push(m && m[2] ? m[2] : "");
    return { start: offset - text.length, parts };
  }

  /** Tables named after FROM or JOIN in a statement: [{parts, alias}]. */
  function tablesInFrom(sql) {
    const out = [];
    const re =
      /\b(?:from|join)\s+((?:`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)){0,2})(?:\s+(?:as\s+)?([A-Za-z_][A-Za-z0-9_]*))?/gi;
    let m;
    while ((m = re.exec(sql)) !== null) {
      const parts = m[1].match(/`[^`]*`|[^.]+/g).map(unquote);
      const alias = m[2] && !KEYWORD_SET.has(m[2].toUpperCase()) ? m[2] : null;
      out.push({ parts, alias });
    }
    return out;
  }

  function unquote(part) {
    return part.startsWith("`") ? part.slice(1, -1).replace(/``/g, "`") : part;
  }

  /** A name as SQL text: plain when it is a simple identifier, else in backticks. */
  function quoteName(name) {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORD_SET.has(name.toUpperCase())
      ? name
      : "`" + name.replace(/`/g, "``") + "`";
  }

  return {
    KEYWORDS,
    FUNCTIONS,
    tokenize,
    splitStatements,
    statementAt,
    positionFromMessage,
    offsetOf,
    lineColumn,
    nameBefore,
    tablesInFrom,
    quoteName,
  };
})();
