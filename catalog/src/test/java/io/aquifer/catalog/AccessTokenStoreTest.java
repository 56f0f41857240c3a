package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogStoreTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenStoreTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
  private CatalogDatabase database;
  private PrincipalStore principals;
  private AccessTokenStore tokens;

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    principals = new PrincipalStore(database, clock);
    tokens = new AccessTokenStore(database, clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void usersAreCreatedOnceCaseInsensitively() {
    assertFalse(principals.hasUsers());
    UserInfo admin = principals.createUser("Admin@Example.com", true);
    assertEquals(new UserInfo("admin@example.com", true, clock.instant()), admin);
    assertTrue(principals.hasUsers());
    assertFails(
        CATALOG_OBJECT_ALREADY_EXISTS,
        "user admin@example.com",
        () -> principals.createUser("ADMIN@example.com", false));
    principals.createUser("bob", false);
    assertEquals(
        List.of("admin@example.com", "bob"),
        principals.listUsers().stream().map(UserInfo::name).toList());
    assertEquals(
        Optional.of(new Principal("bob", false)),
        principals.getUser("BOB").map(UserInfo::principal));
    principals.dropUser("bob");
    assertEquals(Optional.empty(), principals.getUser("bob"));
    assertFails(CATALOG_OBJECT_NOT_FOUND, "user bob", () -> principals.dropUser("bob"));
  }

  @Test
  void tokenAuthenticatesItsUserAndIsNeverStored() throws Exception {
    principals.createUser("alice", true);
    CreatedAccessToken created =
        tokens.createToken("Alice", Optional.of("laptop"), Optional.empty());
    String token = created.token();
    assertTrue(token.matches("dapi[0-9a-f]{64}"), token);
    assertFalse(created.toString().contains(token.substring(4)), "toString hides the token");
    assertEquals(Optional.of(new Principal("alice", true)), tokens.authenticate(token));
    assertEquals(
        List.of(
            new AccessTokenInfo(
                created.info().id(),
                "alice",
                Optional.of("laptop"),
                clock.instant(),
                Optional.empty(),
                Optional.empty())),
        tokens.listTokens("alice"));

    assertFalse(filesContain(token), "token in the open database files");
    database.close();
    assertFalse(filesContain(token), "token in the closed database file");
    open();
    assertEquals(
        Optional.of(new Principal("alice", true)),
        tokens.authenticate(token),
        "tokens survive a restart");
  }

  /**
   * Whether any file of the database (main file, WAL, shared memory) holds the token or its secret.
   */
  private boolean filesContain(String token) throws IOException {
    byte[][] needles = {
      token.getBytes(StandardCharsets.UTF_8),
      token.substring(4).getBytes(StandardCharsets.UTF_8),
      HexFormat.of().parseHex(token.substring(4)),
    };
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (byte[] needle : needles) {
          if (indexOf(bytes, needle) >= 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void wrongTokensAreRejected() {
    principals.createUser("alice", false);
    String token = tokens.createToken("alice", Optional.empty(), Optional.empty()).token();
    char last = token.charAt(token.length() - 1);
    String oneDigitOff = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
    for (String wrong :
        new String[] {
          oneDigitOff, token.substring(1), token + "0", "", "dapi", token.toUpperCase(), null
        }) {
      assertEquals(Optional.empty(), tokens.authenticate(wrong), String.valueOf(wrong));
    }
    assertEquals(Optional.of(new Principal("alice", false)), tokens.authenticate(token));
  }

  @Test
  void expiredTokensAreRejected() {
    principals.createUser("alice", false);
    CreatedAccessToken created =
        tokens.createToken("alice", Optional.empty(), Optional.of(Duration.ofHours(1)));
    assertEquals(
        Optional.of(clock.instant().plus(Duration.ofHours(1))), created.info().expiresAt());
    clock.advance(Duration.ofMinutes(59));
    assertTrue(tokens.authenticate(created.token()).isPresent());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(
        Optional.empty(), tokens.authenticate(created.token()), "expired at its expiry time");
    assertThrows(
        IllegalArgumentException.class,
        () -> tokens.createToken("alice", Optional.empty(), Optional.of(Duration.ZERO)));
  }

  @Test
  void revokedTokensAreRejectedAndOthersKeepWorking() {
    principals.createUser("alice", false);
    CreatedAccessToken first = tokens.createToken("alice", Optional.of("one"), Optional.empty());
    clock.advance(Duration.ofSeconds(1));
    CreatedAccessToken second = tokens.createToken("alice", Optional.of("two"), Optional.empty());
    assertNotEquals(first.token(), second.token());
    assertNotEquals(first.info().id(), second.info().id());

    clock.advance(Duration.ofSeconds(1));
    tokens.revokeToken(first.info().id());
    Instant revokedAt = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    tokens.revokeToken(first.info().id());
    assertEquals(Optional.empty(), tokens.authenticate(first.token()));
    assertTrue(tokens.authenticate(second.token()).isPresent());
    List<AccessTokenInfo> listed = tokens.listTokens("alice");
    assertEquals(
        List.of("one", "two"), listed.stream().map(t -> t.comment().orElseThrow()).toList());
    assertEquals(
        Optional.of(revokedAt), listed.get(0).revokedAt(), "revoking twice keeps the first time");
    assertFalse(listed.get(0).isValidAt(clock.instant()));
    assertTrue(listed.get(1).isValidAt(clock.instant()));
    assertFails(CATALOG_OBJECT_NOT_FOUND, "access token nope", () -> tokens.revokeToken("nope"));
  }

  @Test
  void tokensNeedAUserAndGoWithIt() {
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "user ghost",
        () -> tokens.createToken("ghost", Optional.empty(), Optional.empty()));
    assertFails(CATALOG_OBJECT_NOT_FOUND, "user ghost", () -> tokens.listTokens("ghost"));
    principals.createUser("bob", false);
    String token = tokens.createToken("bob", Optional.empty(), Optional.empty()).token();
    principals.dropUser("bob");
    assertEquals(Optional.empty(), tokens.authenticate(token));
    principals.createUser("bob", false);
    assertEquals(
        List.of(), tokens.listTokens("bob"), "a new bob does not inherit the old one's tokens");
    assertEquals(Optional.empty(), tokens.authenticate(token));
  }
}
