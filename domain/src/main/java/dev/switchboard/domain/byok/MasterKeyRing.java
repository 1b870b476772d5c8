package dev.switchboard.domain.byok;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The master keys the platform holds: the current one, which wraps every new data key, and during a
 * rotation the previous one, which still unwraps the data keys not re-wrapped yet.
 *
 * <p>The current key is {@code SWITCHBOARD_MASTER_KEY} when set; otherwise it is generated once
 * into {@code <data dir>/secrets/byok-master-key} (readable by its owner only) and read from there
 * at every later start. To rotate, set the new key as {@code SWITCHBOARD_MASTER_KEY} and the old
 * one (the former variable's value, or the file's text) as {@code SWITCHBOARD_MASTER_KEY_PREVIOUS}.
 */
public final class MasterKeyRing {

  /** The generated key's file, under the data directory. */
  public static final String FILE = "secrets/byok-master-key";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final MasterKey current;
  private final Optional<MasterKey> previous;

  public MasterKeyRing(MasterKey current, Optional<MasterKey> previous) {
    this.current = current;
    this.previous = previous.filter(key -> !key.id().equals(current.id()));
  }

  /**
   * The keys as configured.
   *
   * @param current {@code SWITCHBOARD_MASTER_KEY}, if set
   * @param previous {@code SWITCHBOARD_MASTER_KEY_PREVIOUS}, if set
   * @throws MasterKeyException when a key is not base64 of 32 bytes, or the generated key's file
   *     cannot be made or read, or others may read it
   */
  public static MasterKeyRing configured(
      Optional<String> current, Optional<String> previous, Path dataDirectory) {
    MasterKey key =
        current
            .filter(text -> !text.isBlank())
            .map(text -> MasterKey.fromBase64(text, "SWITCHBOARD_MASTER_KEY"))
            .orElseGet(() -> generatedIn(dataDirectory));
    return new MasterKeyRing(
        key,
        previous
            .filter(text -> !text.isBlank())
            .map(text -> MasterKey.fromBase64(text, "SWITCHBOARD_MASTER_KEY_PREVIOUS")));
  }

  public MasterKey current() {
    return current;
  }

  public Optional<MasterKey> previous() {
    return previous;
  }

  /** The key of that fingerprint, if this ring holds it. */
  public Optional<MasterKey> find(String id) {
    if (current.id().equals(id)) {
      return Optional.of(current);
    }
    return previous.filter(key -> key.id().equals(id));
  }

  /** The key generated into the data directory at the first start, read at every later one. */
  static MasterKey generatedIn(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE);
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        create(file);
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null && !OWNER_ONLY.containsAll(posix.readAttributes().permissions())) {
        throw new MasterKeyException(
            file
                + " may be read by others ("
                + PosixFilePermissions.toString(posix.readAttributes().permissions())
                + "): make it readable by its owner only (chmod 600)");
      }
      return MasterKey.fromBase64(
          Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    } catch (IOException e) {
      throw new MasterKeyException("cannot make or read the master key file " + file, e);
    }
  }

  /**
   * Writes a new key into a private temporary file, then links it into place, which fails when
   * another process was first: the file is never seen half-written, and only one key ever wins.
   */
  private static void create(Path file) throws IOException {
    Path directory = file.getParent();
    boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
    Path temporary =
        posix
            ? Files.createTempFile(
                directory,
                ".byok-master-key",
                ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(directory, ".byok-master-key", ".tmp");
    try {
      Files.writeString(
          temporary, MasterKey.generate().toBase64() + "\n", StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException e) {
        // another instance on this data directory made it first: use theirs
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  @Override
  public String toString() {
    return "MasterKeyRing[current="
        + current.id()
        + previous.map(p -> ", previous=" + p.id()).orElse("")
        + "]";
  }
}
