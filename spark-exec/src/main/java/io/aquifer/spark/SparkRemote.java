package io.aquifer.spark;

import java.net.URI;
import java.util.regex.Pattern;

/** Spark Connect connection strings: {@code sc://host[:port][/;param=value;...]}. */
public final class SparkRemote {
  private static final Pattern FORM =
      Pattern.compile("sc://[A-Za-z0-9._\\-\\[\\]:]+(/(;[A-Za-z_]+=[^;]*)*)?");

  private SparkRemote() {}

  /**
   * Returns {@code remote} if it is a Spark Connect connection string.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String check(String remote) {
    if (remote == null || remote.isBlank()) {
      throw new IllegalArgumentException(
          "a Spark warehouse needs a Spark Connect endpoint sc://host:port");
    }
    String r = remote.strip();
    if (!FORM.matcher(r).matches()) {
      throw new IllegalArgumentException(
          "not a Spark Connect endpoint (sc://host:port[/;param=value]): " + r);
    }
    URI uri = URI.create(r.contains("/;") ? r.substring(0, r.indexOf("/;")) : r);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the Spark Connect endpoint names no host: " + r);
    }
    return r;
  }
}
