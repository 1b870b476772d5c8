package dev.switchboard.payments.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * A real local EVM chain for the tests: hardhat's node (the npm project in the payments module's
 * {@code src/test/chain}, installed by {@code npm ci}) on 127.0.0.1 and a free port, mining a block
 * per transaction, with the test USDC token compiled by solc-js and deployed from its first funded
 * account. Shared with the end-to-end tests in web-ui.
 */
public final class HardhatChain implements AutoCloseable {

  /** The npm project, from the payments module's directory or a sibling module's. */
  static final Path PROJECT =
      Files.isDirectory(Path.of("src", "test", "chain"))
          ? Path.of("src", "test", "chain").toAbsolutePath()
          : Path.of("..", "payments", "src", "test", "chain").toAbsolutePath().normalize();

  private static String compiledToken;

  private final Process node;
  private final HttpService service;
  final Web3j web3j;
  final String url;

  /** The funded account that deploys the token, holds its supply and pays. */
  final String payer;

  private HardhatChain(Process node, String url) throws IOException {
    this.node = node;
    this.url = url;
    this.service = new HttpService(url);
    this.web3j = Web3j.build(service);
    List<String> accounts = checked(web3j.ethAccounts().send()).getAccounts();
    this.payer = accounts.get(0);
  }

  /** Starts a node and waits (at most a minute) until it answers. */
  public static HardhatChain start() throws IOException {
    if (!Files.isDirectory(PROJECT.resolve("node_modules/hardhat"))) {
      throw new IllegalStateException(
          "hardhat is not installed: run 'npm ci' in " + PROJECT + " (scripts/test does)");
    }
    int port = freePort();
    Path log = Path.of("target", "hardhat-" + port + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(
                "node",
                "node_modules/hardhat/internal/cli/cli.js",
                "node",
                "--hostname",
                "127.0.0.1",
                "--port",
                Integer.toString(port))
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true");
    Process node = builder.start();
    String url = "http://127.0.0.1:" + port;
    Web3j probe = Web3j.build(new HttpService(url));
    try {
      Awaitility.await("hardhat answering on " + url + " (log: " + log + ")")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                if (!node.isAlive()) {
                  throw new IllegalStateException("hardhat exited; its log: " + log);
                }
                try {
                  return !probe.ethBlockNumber().send().hasError();
                } catch (IOException e) {
                  return false;
                }
              });
    } finally {
      probe.shutdown();
    }
    return new HardhatChain(node, url);
  }

  /** Deploys a new test USDC (six decimals) whose whole supply the payer holds. */
  public String deployToken() throws IOException {
    String bytecode = compiledTokenBytecode();
    String constructor =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Uint256(BigInteger.valueOf(1_000_000_000L).multiply(BigInteger.TEN.pow(6)))));
    TransactionReceipt receipt =
        send(new Transaction(payer, null, null, null, null, null, bytecode + constructor));
    return receipt.getContractAddress();
  }

  /** Sends {@code micros} of {@code token} from the payer to {@code to}; mined at once. */
  public TransactionReceipt transfer(String token, String to, long micros) throws IOException {
    String data =
        FunctionEncoder.encode(
            new Function(
                "transfer",
                List.of(new Address(to), new Uint256(BigInteger.valueOf(micros))),
                List.of()));
    return send(new Transaction(payer, null, null, null, token, null, data));
  }

  long head() throws IOException {
    return checked(web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
  }

  /** Mines {@code blocks} empty blocks. */
  public void mine(int blocks) throws IOException {
    for (int i = 0; i < blocks; i++) {
      checked(new Request<>("evm_mine", List.of(), service, Raw.class).send());
    }
  }

  /** Remembers the chain as it is now, to {@link #revert} to. */
  public String snapshot() throws IOException {
    return (String)
        checked(new Request<>("evm_snapshot", List.of(), service, Raw.class).send()).getResult();
  }

  /**
   * Goes back to the snapshot: every block after it leaves the chain, as in a reorganisation; the
   * blocks mined after this are new blocks with new hashes at the same heights.
   */
  public void revert(String snapshot) throws IOException {
    Object reverted =
        checked(new Request<>("evm_revert", List.of(snapshot), service, Raw.class).send())
            .getResult();
    if (!Boolean.TRUE.equals(reverted)) {
      throw new IllegalStateException("hardhat did not revert to snapshot " + snapshot);
    }
  }

  /** The node's JSON-RPC URL. */
  public String url() {
    return url;
  }

  /** A client of its own, as another instance (or the same one restarted) would have. */
  Web3j newClient() {
    return Web3j.build(new HttpService(url));
  }

  @Override
  public void close() throws InterruptedException {
    web3j.shutdown();
    node.descendants().forEach(ProcessHandle::destroy);
    node.destroy();
    if (!node.waitFor(10, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
  }

  private TransactionReceipt send(Transaction transaction) throws IOException {
    String hash = checked(web3j.ethSendTransaction(transaction).send()).getTransactionHash();
    TransactionReceipt receipt =
        checked(web3j.ethGetTransactionReceipt(hash).send())
            .getTransactionReceipt()
            .orElseThrow(() -> new IllegalStateException("not mined at once: " + hash));
    if (!receipt.isStatusOK()) {
      throw new IllegalStateException("transaction failed: " + receipt);
    }
    return receipt;
  }

  private static synchronized String compiledTokenBytecode() throws IOException {
    if (compiledToken == null) {
      Process compile =
          new ProcessBuilder("node", "compile.js")
              .directory(PROJECT.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String json = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (compile.waitFor() != 0) {
          throw new IllegalStateException("compile.js failed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      int start = json.indexOf("\"bytecode\":\"") + "\"bytecode\":\"".length();
      compiledToken = json.substring(start, json.indexOf('"', start));
    }
    return compiledToken;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static <T extends Response<?>> T checked(T response) throws IOException {
    if (response.hasError()) {
      throw new IOException("hardhat answered: " + response.getError().getMessage());
    }
    return response;
  }

  /** A JSON-RPC answer of any shape. */
  static final class Raw extends Response<Object> {}
}
