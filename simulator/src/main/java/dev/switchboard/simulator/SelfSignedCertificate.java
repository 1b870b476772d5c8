package dev.switchboard.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for one host name, made by the JDK's {@code keytool} into a directory: the key
 * store the simulator serves TLS with, and a trust store holding only that certificate for the
 * client that is to trust it (a gateway started with {@code -Djavax.net.ssl.trustStore}, or an
 * {@link SSLContext} from {@link #clientContext}). The certificate names the host as a DNS name
 * only, never an address, so a client that connects to an address must check the certificate
 * against the name it sent as SNI to accept it.
 *
 * @param hostName the DNS name the certificate is for
 * @param keyStore PKCS#12 key store with the private key and certificate
 * @param trustStore PKCS#12 trust store with the certificate alone
 * @param password the password of both stores
 */
public record SelfSignedCertificate(
    String hostName, Path keyStore, Path trustStore, String password) {

  private static final String ALIAS = "simulator";

  /** Makes a fresh key pair and certificate for {@code hostName} in {@code directory}. */
  public static SelfSignedCertificate create(Path directory, String hostName) {
    String password = "simulator-" + Long.toHexString(System.nanoTime());
    Path keyStore = directory.resolve(hostName + "-key.p12");
    Path certificate = directory.resolve(hostName + ".crt");
    Path trustStore = directory.resolve(hostName + "-trust.p12");
    try {
      Files.createDirectories(directory);
      keytool(
          "-genkeypair",
          "-alias",
          ALIAS,
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=" + hostName,
          "-ext",
          "SAN=dns:" + hostName,
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          keyStore.toString(),
          "-storepass",
          password);
      keytool(
          "-exportcert",
          "-alias",
          ALIAS,
          "-keystore",
          keyStore.toString(),
          "-storepass",
          password,
          "-file",
          certificate.toString());
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          ALIAS,
          "-file",
          certificate.toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          trustStore.toString(),
          "-storepass",
          password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a certificate for " + hostName, e);
    }
    return new SelfSignedCertificate(hostName, keyStore, trustStore, password);
  }

  /** TLS for a server presenting this certificate. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keyStore), password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load " + keyStore, e);
    }
  }

  /** TLS for a client that trusts this certificate and nothing else. */
  public SSLContext clientContext() {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load " + trustStore, e);
    }
  }

  /** The JVM options that make a Java process trust this certificate (and nothing else). */
  public String trustStoreOptions() {
    return "-Djavax.net.ssl.trustStore="
        + trustStore
        + " -Djavax.net.ssl.trustStorePassword="
        + password
        + " -Djavax.net.ssl.trustStoreType=PKCS12";
  }

  private KeyStore load(Path path) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + arguments[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while keytool ran", e);
    }
  }
}
