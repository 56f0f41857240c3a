package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.STRING_OR_BINARY;
import static io.aquifer.planner.functions.FunctionCategory.HASH;

/**
 * AES encryption as Databricks does it ({@code aes_encrypt}, {@code aes_decrypt}, {@code
 * try_aes_decrypt}): ECB, CBC and GCM modes, the IV prefixed to the output. DuckDB has no AES: the
 * warehouse node computes it in its JVM ({@code __aquifer_aes_*}), with binary values passed as
 * hex.
 */
final class AesFunctions {
  private AesFunctions() {}

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "aes_encrypt",
            HASH,
            "aes_encrypt(expr, key [, mode [, padding [, iv [, aad]]]])",
            "expr encrypted with AES (key of 16, 24 or 32 bytes; mode GCM, CBC or ECB); a random"
                + " IV unless one is given.")
        .args(
            STRING_OR_BINARY,
            STRING_OR_BINARY,
            ArgKind.STRING,
            ArgKind.STRING,
            STRING_OR_BINARY,
            STRING_OR_BINARY)
        .optionalFrom(2)
        .returns(Returns.BINARY)
        .dynamic()
        .duckdb(2, encrypt("'GCM'", "'DEFAULT'", "''", "''"))
        .duckdb(3, encrypt("CAST($3 AS VARCHAR)", "'DEFAULT'", "''", "''"))
        .duckdb(4, encrypt("CAST($3 AS VARCHAR)", "CAST($4 AS VARCHAR)", "''", "''"))
        .duckdb(5, encrypt("CAST($3 AS VARCHAR)", "CAST($4 AS VARCHAR)", "hex($5)", "''"))
        .duckdb(6, encrypt("CAST($3 AS VARCHAR)", "CAST($4 AS VARCHAR)", "hex($5)", "hex($6)"));
    decrypt(d, "aes_decrypt", "The AES-encrypted expr decrypted; fails on a wrong key or data.");
    decrypt(
        d,
        "try_aes_decrypt",
        "The AES-encrypted expr decrypted, or NULL when it cannot be (wrong key or data).");
  }

  private static String encrypt(String mode, String padding, String iv, String aad) {
    return "unhex(__aquifer_aes_encrypt(hex($1), hex($2), "
        + mode
        + ", "
        + padding
        + ", "
        + iv
        + ", "
        + aad
        + "))";
  }

  private static void decrypt(DatabricksFunctionCatalog d, String name, String description) {
    String engine = "__aquifer_" + name;
    d.scalar(name, HASH, name + "(expr, key [, mode [, padding [, aad]]])", description)
        .args(STRING_OR_BINARY, STRING_OR_BINARY, ArgKind.STRING, ArgKind.STRING, STRING_OR_BINARY)
        .optionalFrom(2)
        .returns(Returns.BINARY)
        .nullable()
        .duckdb(2, decrypt(engine, "'GCM'", "'DEFAULT'", "''"))
        .duckdb(3, decrypt(engine, "CAST($3 AS VARCHAR)", "'DEFAULT'", "''"))
        .duckdb(4, decrypt(engine, "CAST($3 AS VARCHAR)", "CAST($4 AS VARCHAR)", "''"))
        .duckdb(5, decrypt(engine, "CAST($3 AS VARCHAR)", "CAST($4 AS VARCHAR)", "hex($5)"));
  }

  private static String decrypt(String engine, String mode, String padding, String aad) {
    return "unhex(" + engine + "(hex($1), hex($2), " + mode + ", " + padding + ", " + aad + "))";
  }
}
