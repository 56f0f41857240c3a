package io.aquifer.exec.duckdb;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBLogicalType;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Databricks functions DuckDB has no counterpart for, computed in the node's JVM and registered in
 * the engine's system catalog under {@code __aquifer_*} names, which the planner's function catalog
 * translates to: XPath over XML text ({@code xpath_*}) and AES encryption ({@code aes_encrypt},
 * {@code aes_decrypt}), Spark's {@code xxhash64} and the CSV record splitting of {@code from_csv}.
 * The Java UDF interface passes no binary values, so binary arguments and results travel as hex
 * text; the planner wraps the calls in {@code hex}/{@code unhex}.
 *
 * <p>Every function is NULL in, NULL out (checked here too: DuckDB passes a column's NULLs). An
 * invalid argument fails the query with the engine's "Invalid Input" error, which the node reports
 * as INVALID_ARGUMENT with this class's message.
 */
final class DuckDbJavaFunctions {
  private DuckDbJavaFunctions() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Registers every function; they are visible to every connection of the database. */
  static void register(DuckDBConnection connection) throws SQLException {
    xpath(connection, "__aquifer_xpath_nodes", String.class, DuckDbJavaFunctions::xpathNodes);
    xpath(
        connection,
        "__aquifer_xpath_boolean",
        Boolean.class,
        (xml, path) -> (Boolean) XPathEvaluation.evaluate(xml, path, XPathConstants.BOOLEAN));
    xpath(connection, "__aquifer_xpath_string", String.class, DuckDbJavaFunctions::xpathString);
    xpath(connection, "__aquifer_xpath_double", Double.class, DuckDbJavaFunctions::xpathNumber);
    xpath(
        connection,
        "__aquifer_xpath_long",
        Long.class,
        (xml, path) -> {
          Double d = xpathNumber(xml, path);
          return d == null ? null : d.longValue();
        });
    xpath(
        connection,
        "__aquifer_xpath_int",
        Integer.class,
        (xml, path) -> {
          Double d = xpathNumber(xml, path);
          return d == null ? null : d.intValue();
        });
    xpath(
        connection,
        "__aquifer_xpath_short",
        Short.class,
        (xml, path) -> {
          Double d = xpathNumber(xml, path);
          return d == null ? null : d.shortValue();
        });
    DuckDBFunctions.scalarFunction()
        .withName("__aquifer_aes_encrypt")
        .withVarArgs(varchar())
        .withReturnType(String.class)
        .withNullInNullOut()
        .withVolatile()
        .withVarArgsFunction(args -> anyNull(args) ? null : hex(Aes.encrypt(args)))
        .register(connection);
    DuckDBFunctions.scalarFunction()
        .withName("__aquifer_aes_decrypt")
        .withVarArgs(varchar())
        .withReturnType(String.class)
        .withNullInNullOut()
        .withVarArgsFunction(args -> anyNull(args) ? null : hex(Aes.decrypt(args)))
        .register(connection);
    DuckDBFunctions.scalarFunction()
        .withName("__aquifer_try_aes_decrypt")
        .withVarArgs(varchar())
        .withReturnType(String.class)
        .withNullInNullOut()
        .withVarArgsFunction(
            args -> {
              try {
                return anyNull(args) ? null : hex(Aes.decrypt(args));
              } catch (FunctionException e) {
                return null;
              }
            })
        .register(connection);
    xxhash64(connection);
    DuckDBFunctions.scalarFunction()
        .withName("__aquifer_csv_fields")
        .withParameters(String.class)
        .withReturnType(String.class)
        .withNullInNullOut()
        .withFunction(CsvRecordFields::asJson)
        .register(connection);
  }

  /**
   * Spark's xxhash64, one value at a time: {@code __aquifer_xxhash64_<kind>(value, seed)} is the
   * hash of the value with the seed (the seed itself for NULL), so the planner chains one call per
   * argument and array element. NULLs must reach the function, so these are not NULL-in-NULL-out.
   */
  private static void xxhash64(DuckDBConnection connection) throws SQLException {
    xxhash64(connection, "int", Integer.class, SparkXxHash64::ofInt);
    xxhash64(connection, "long", Long.class, SparkXxHash64::ofLong);
    xxhash64(connection, "float", Float.class, SparkXxHash64::ofFloat);
    xxhash64(connection, "double", Double.class, SparkXxHash64::ofDouble);
    xxhash64(connection, "string", String.class, SparkXxHash64::ofString);
    xxhash64(connection, "hex", String.class, SparkXxHash64::ofHex);
    xxhash64(connection, "decimal", String.class, SparkXxHash64::ofNarrowDecimal);
    xxhash64(connection, "wide_decimal", String.class, SparkXxHash64::ofWideDecimal);
  }

  private static <T> void xxhash64(
      DuckDBConnection connection,
      String kind,
      Class<T> value,
      java.util.function.BiFunction<T, Long, Long> function)
      throws SQLException {
    DuckDBFunctions.scalarFunction()
        .withName("__aquifer_xxhash64_" + kind)
        .withParameters(value, Long.class)
        .withReturnType(Long.class)
        .withFunction(function)
        .register(connection);
  }

  /** A new VARCHAR type: registering a function closes the types it was given. */
  private static DuckDBLogicalType varchar() throws SQLException {
    return DuckDBLogicalType.of(DuckDBColumnType.VARCHAR);
  }

  private static <T> void xpath(
      DuckDBConnection connection,
      String name,
      Class<T> result,
      java.util.function.BiFunction<String, String, T> function)
      throws SQLException {
    DuckDBFunctions.scalarFunction()
        .withName(name)
        .withParameters(String.class, String.class)
        .withReturnType(result)
        .withNullInNullOut()
        .withFunction(function)
        .register(connection);
  }

  /**
   * DuckDB's NULL-in-NULL-out covers constant arguments only; a column's NULLs reach the function.
   */
  private static boolean anyNull(Object[] args) {
    for (Object arg : args) {
      if (arg == null) {
        return true;
      }
    }
    return false;
  }

  /** The text of each selected node (NULL for elements), as a JSON array of strings. */
  static String xpathNodes(String xml, String path) {
    NodeList nodes = (NodeList) XPathEvaluation.evaluate(xml, path, XPathConstants.NODESET);
    if (nodes == null) {
      return null;
    }
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < nodes.getLength(); i++) {
      if (i > 0) {
        json.append(',');
      }
      String value = nodes.item(i).getNodeValue();
      json.append(value == null ? "null" : jsonString(value));
    }
    return json.append(']').toString();
  }

  static String xpathString(String xml, String path) {
    return (String) XPathEvaluation.evaluate(xml, path, XPathConstants.STRING);
  }

  static Double xpathNumber(String xml, String path) {
    return (Double) XPathEvaluation.evaluate(xml, path, XPathConstants.NUMBER);
  }

  static String jsonString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? null : HexFormat.of().formatHex(bytes);
  }

  private static byte[] unhex(Object text, String what) {
    try {
      return HexFormat.of().parseHex((String) text);
    } catch (IllegalArgumentException e) {
      throw new FunctionException("The " + what + " is not valid binary");
    }
  }

  /**
   * XPath 1.0 over an XML document as Spark evaluates it: an empty document or path gives NULL; a
   * document that does not parse or a path that does not compile fails. Documents may not declare a
   * DTD (no external entities are ever fetched).
   */
  static final class XPathEvaluation {
    private XPathEvaluation() {}

    private static final int CACHED_PATHS = 64;

    private static final ThreadLocal<DocumentBuilder> BUILDER =
        ThreadLocal.withInitial(XPathEvaluation::newBuilder);

    private static final ThreadLocal<Map<String, XPathExpression>> PATHS =
        ThreadLocal.withInitial(
            () ->
                new LinkedHashMap<>(16, 0.75f, true) {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, XPathExpression> eldest) {
                    return size() > CACHED_PATHS;
                  }
                });

    static Object evaluate(String xml, String path, QName result) {
      if (xml == null || path == null || xml.isEmpty() || path.isEmpty()) {
        return null;
      }
      XPathExpression expression = PATHS.get().get(path);
      if (expression == null) {
        try {
          expression = XPathFactory.newInstance().newXPath().compile(path);
        } catch (XPathExpressionException e) {
          throw new FunctionException("Invalid XPath '" + path + "': " + reason(e));
        }
        PATHS.get().put(path, expression);
      }
      Document document;
      try {
        DocumentBuilder builder = BUILDER.get();
        builder.reset();
        document = builder.parse(new InputSource(new StringReader(xml)));
      } catch (SAXException | IOException e) {
        throw new FunctionException("Invalid XML document: " + reason(e));
      }
      try {
        return expression.evaluate(document, result);
      } catch (XPathExpressionException e) {
        throw new FunctionException("The XPath '" + path + "' failed: " + reason(e));
      }
    }

    private static DocumentBuilder newBuilder() {
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(
            new org.xml.sax.ErrorHandler() {
              @Override
              public void warning(org.xml.sax.SAXParseException e) {}

              @Override
              public void error(org.xml.sax.SAXParseException e) throws SAXException {
                throw e;
              }

              @Override
              public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                throw e;
              }
            });
        return builder;
      } catch (ParserConfigurationException e) {
        throw new IllegalStateException("No XML parser", e);
      }
    }

    private static String reason(Exception e) {
      Throwable t = e;
      while (t.getCause() != null && t.getMessage() == null) {
        t = t.getCause();
      }
      return String.valueOf(t.getMessage());
    }
  }

  /**
   * AES as Spark's {@code aes_encrypt}/{@code aes_decrypt}: arguments (hex input, hex key, mode,
   * padding[, hex IV], hex AAD). ECB and CBC use PKCS#5 padding, GCM none with a 128-bit tag; the
   * output of CBC and GCM starts with the IV (16 and 12 bytes), random when none is given.
   */
  static final class Aes {
    private Aes() {}

    static byte[] encrypt(Object[] args) {
      if (args.length != 6) {
        throw new FunctionException("aes_encrypt takes 6 engine arguments, got " + args.length);
      }
      byte[] input = unhex(args[0], "input");
      SecretKeySpec key = key(unhex(args[1], "key"));
      Mode mode = Mode.of((String) args[2], (String) args[3]);
      byte[] iv = unhex(args[4], "initialization vector");
      byte[] aad = unhex(args[5], "additional authenticated data");
      if (mode == Mode.ECB && iv.length > 0) {
        throw new FunctionException("aes_encrypt: ECB mode takes no initialization vector");
      }
      if (mode != Mode.GCM && aad.length > 0) {
        throw new FunctionException("aes_encrypt: only GCM mode takes additional data (AAD)");
      }
      if (mode != Mode.ECB) {
        if (iv.length == 0) {
          iv = new byte[mode.ivLength];
          RANDOM.nextBytes(iv);
        } else if (iv.length != mode.ivLength) {
          throw new FunctionException(
              "aes_encrypt: the initialization vector of "
                  + mode
                  + " mode must be "
                  + mode.ivLength
                  + " bytes, got "
                  + iv.length);
        }
      }
      try {
        Cipher cipher = Cipher.getInstance(mode.transformation);
        switch (mode) {
          case ECB -> cipher.init(Cipher.ENCRYPT_MODE, key);
          case CBC -> cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
          case GCM -> {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            if (aad.length > 0) {
              cipher.updateAAD(aad);
            }
          }
        }
        byte[] encrypted = cipher.doFinal(input);
        if (mode == Mode.ECB) {
          return encrypted;
        }
        return ByteBuffer.allocate(iv.length + encrypted.length).put(iv).put(encrypted).array();
      } catch (GeneralSecurityException e) {
        throw new FunctionException("aes_encrypt failed: " + e.getMessage());
      }
    }

    static byte[] decrypt(Object[] args) {
      if (args.length != 5) {
        throw new FunctionException("aes_decrypt takes 5 engine arguments, got " + args.length);
      }
      byte[] input = unhex(args[0], "input");
      SecretKeySpec key = key(unhex(args[1], "key"));
      Mode mode = Mode.of((String) args[2], (String) args[3]);
      byte[] aad = unhex(args[4], "additional authenticated data");
      if (mode != Mode.GCM && aad.length > 0) {
        throw new FunctionException("aes_decrypt: only GCM mode takes additional data (AAD)");
      }
      try {
        Cipher cipher = Cipher.getInstance(mode.transformation);
        int offset = 0;
        switch (mode) {
          case ECB -> cipher.init(Cipher.DECRYPT_MODE, key);
          case CBC -> {
            requireLength(input, mode.ivLength);
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(input, 0, mode.ivLength));
            offset = mode.ivLength;
          }
          case GCM -> {
            requireLength(input, mode.ivLength);
            cipher.init(
                Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, input, 0, mode.ivLength));
            if (aad.length > 0) {
              cipher.updateAAD(aad);
            }
            offset = mode.ivLength;
          }
        }
        return cipher.doFinal(input, offset, input.length - offset);
      } catch (GeneralSecurityException e) {
        throw new FunctionException(
            "aes_decrypt failed (wrong key, mode or data?): " + e.getMessage());
      }
    }

    private static void requireLength(byte[] input, int ivLength) {
      if (input.length < ivLength) {
        throw new FunctionException(
            "aes_decrypt: the input is shorter than its initialization vector");
      }
    }

    private static SecretKeySpec key(byte[] key) {
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new FunctionException(
            "AES keys must be 16, 24 or 32 bytes long, got " + key.length + " bytes");
      }
      return new SecretKeySpec(key, "AES");
    }

    enum Mode {
      ECB("AES/ECB/PKCS5Padding", 0),
      CBC("AES/CBC/PKCS5Padding", 16),
      GCM("AES/GCM/NoPadding", 12);

      final String transformation;
      final int ivLength;

      Mode(String transformation, int ivLength) {
        this.transformation = transformation;
        this.ivLength = ivLength;
      }

      static Mode of(String mode, String padding) {
        String m = mode.toUpperCase(Locale.ROOT);
        String p = padding.toUpperCase(Locale.ROOT);
        boolean pkcs = p.equals("PKCS") || p.equals("DEFAULT");
        if ((m.equals("ECB") || m.equals("CBC")) && pkcs) {
          return valueOf(m);
        }
        if (m.equals("GCM") && (p.equals("NONE") || p.equals("DEFAULT"))) {
          return GCM;
        }
        throw new FunctionException(
            "AES mode "
                + mode
                + " with padding "
                + padding
                + " is not supported (ECB and CBC with PKCS, GCM with NONE)");
      }
    }
  }

  /**
   * A function's failure on its input. Without a stack trace, so that the engine's error (which
   * prints the exception) carries only the message.
   */
  static final class FunctionException extends RuntimeException {
    FunctionException(String message) {
      super(message, null, false, false);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
