package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a Unity Catalog listing, paged as Databricks pages: {@code max_results} absent lists
 * everything; {@code 0} asks for the server's page size ({@link #SERVER_PAGE_SIZE}); a positive
 * value asks for at most that many (and at most the server's page size); a negative one is an
 * invalid parameter. Objects are listed in name order and {@code next_page_token} is opaque (the
 * last name of the page, encoded), present only while more follow, so that objects created or
 * dropped between two calls neither repeat nor skip the others.
 *
 * @param names the names on this page, in order
 * @param nextPageToken the token of the next page; empty on the last page
 */
record ListingPage(List<String> names, Optional<String> nextPageToken) {
  /** The largest page a listing answers with. */
  static final int SERVER_PAGE_SIZE = 1000;

  ListingPage {
    names = List.copyOf(names);
    requireNonNull(nextPageToken, "nextPageToken");
  }

  /** The page that the call's {@code max_results} and {@code page_token} ask for. */
  static ListingPage of(RestCall call, List<String> allNames) {
    Optional<String> max = call.queryParameter("max_results").filter(s -> !s.isBlank());
    int size;
    if (max.isEmpty()) {
      size = Integer.MAX_VALUE;
    } else {
      long asked;
      try {
        asked = Long.parseLong(max.get().trim());
      } catch (NumberFormatException e) {
        throw DatabricksApiException.invalidParameter(
            "max_results must be a whole number: " + max.get());
      }
      if (asked < 0) {
        throw DatabricksApiException.invalidParameter(
            "max_results must be at least 0 (0 uses the server's page size): " + asked);
      }
      size = asked == 0 ? SERVER_PAGE_SIZE : (int) Math.min(asked, SERVER_PAGE_SIZE);
    }
    Optional<String> after =
        call.queryParameter("page_token").filter(s -> !s.isBlank()).map(ListingPage::decode);
    List<String> sorted = new ArrayList<>(allNames);
    sorted.sort(null);
    List<String> page = new ArrayList<>();
    boolean more = false;
    for (String name : sorted) {
      if (after.isPresent() && name.compareTo(after.get()) <= 0) {
        continue;
      }
      if (page.size() == size) {
        more = true;
        break;
      }
      page.add(name);
    }
    return new ListingPage(
        page, more ? Optional.of(encode(page.get(page.size() - 1))) : Optional.empty());
  }

  /** The answer of a listing: {@code key} holds each name of the page mapped by {@code info}. */
  Map<String, Object> answer(String key, Function<String, Map<String, Object>> info) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (String name : names) {
      items.add(info.apply(name));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(key, items);
    nextPageToken.ifPresent(t -> out.put("next_page_token", t));
    return out;
  }

  private static String encode(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw DatabricksApiException.invalidParameter(
          "page_token is not a token of a previous page: " + token);
    }
  }
}
