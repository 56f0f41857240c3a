package io.aquifer.rest;

import java.util.Optional;

/**
 * Static files served by GET on the REST front end's port, without a token (the browser SQL editor:
 * its page and scripts hold no data; everything it shows it reads through the REST API with the
 * user's token). Paths of the API are never offered to the site.
 */
public interface StaticSite {

  /** The file at {@code path} (e.g. {@code /} or {@code /assets/editor.js}), if the site has it. */
  Optional<StaticAsset> asset(String path);
}
