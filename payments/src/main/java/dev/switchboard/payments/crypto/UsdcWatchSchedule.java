package dev.switchboard.payments.crypto;

import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.UsdcChain;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Polls the chain in the background while the application runs: one {@link UsdcChainWatcher} on its
 * own thread, a round every interval. The chain's id is asked of the node on the first round that
 * reaches it, so a node that is down at start-up delays the watching, not the start. A failed round
 * is logged and the next one tries again; nothing is lost, as the cursor is in the database.
 */
public final class UsdcWatchSchedule implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(UsdcWatchSchedule.class.getName());

  private final Web3j web3j;
  private final String tokenAddress;
  private final CryptoPurchases purchases;
  private final UsdcChainWatcher.Settings settings;
  private final Duration interval;
  private final ScheduledExecutorService executor;
  private UsdcChainWatcher watcher; // only touched by the executor's one thread
  private boolean failing;

  public UsdcWatchSchedule(
      String rpcUrl,
      String tokenAddress,
      CryptoPurchases purchases,
      UsdcChainWatcher.Settings settings,
      Duration interval) {
    this.web3j = Web3j.build(new HttpService(rpcUrl));
    this.tokenAddress = tokenAddress;
    this.purchases = purchases;
    this.settings = settings;
    this.interval = interval;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "switchboard-usdc-watcher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts polling: the first round at once, then one every interval after the last ended. */
  public void start() {
    executor.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void round() {
    try {
      if (watcher == null) {
        watcher =
            new UsdcChainWatcher(
                web3j,
                new UsdcChain(UsdcChainWatcher.chainId(web3j), tokenAddress),
                purchases,
                settings);
        LOG.log(System.Logger.Level.INFO, "watching USDC transfers on chain {0}", watcher.chain());
      }
      UsdcChainWatcher.Round round = watcher.poll();
      if (failing) {
        LOG.log(System.Logger.Level.INFO, "the chain answers again (head {0})", round.head());
        failing = false;
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) { // once per outage, not every interval
        LOG.log(System.Logger.Level.WARNING, "USDC watcher round failed; retrying on schedule", e);
        failing = true;
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    web3j.shutdown();
  }
}
