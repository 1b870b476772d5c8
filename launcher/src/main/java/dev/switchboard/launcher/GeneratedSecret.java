package dev.switchboard.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret the platform makes for itself and keeps in its data directory ({@code secrets/<name>},
 * readable by its owner only), generated at the first start and read at every later one.
 */
final class GeneratedSecret {

  private static final SecureRandom RANDOM = new SecureRandom();

  private GeneratedSecret() {}

  /** The secret called {@code name}: 256 random bits, URL-safe base64, made once. */
  static String read(Path dataDirectory, String name) throws IOException {
    Path secrets = dataDirectory.resolve("secrets");
    Files.createDirectories(secrets);
    Path file = secrets.resolve(name);
    if (!Files.exists(file)) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
            file, secret + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        // another process made it first: read theirs
      } catch (UnsupportedOperationException e) {
        Files.writeString(
            file, secret + "\n", StandardCharsets.US_ASCII); // not a POSIX file system
      }
    }
    String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (secret.isEmpty()) {
      throw new IOException(file + " is empty: delete it to have a new secret generated");
    }
    return secret;
  }
}
