package dev.switchboard.payments.crypto;

import dev.switchboard.domain.payments.ChainBlock;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.ObservedTransfer;
import dev.switchboard.domain.payments.TrackedTransfer;
import dev.switchboard.domain.payments.UsdcChain;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Watches the chain for USDC sent to deposit addresses. Each {@link #poll} reads the head, scans
 * the token's {@code Transfer} logs to the watched addresses from the cursor (kept in the database)
 * to the head, records what it finds, then settles: a pending transfer whose block is still the
 * chain's and has the configured confirmations is credited; one whose block is gone is dropped; a
 * credited one whose block is gone within the last {@code reorgDepth} blocks is reversed. Every
 * step is idempotent in the database, so repeated polls, several watchers and restarts credit each
 * transfer once.
 */
public final class UsdcChainWatcher {

  /** {@code Transfer(address indexed from, address indexed to, uint256 value)}. */
  static final String TRANSFER_TOPIC =
      EventEncoder.encode(
          new Event(
              "Transfer",
              List.of(
                  new TypeReference<Address>(true) {},
                  new TypeReference<Address>(true) {},
                  new TypeReference<Uint256>() {})));

  /** Topic filters of this many addresses per {@code eth_getLogs}, to keep requests small. */
  private static final int ADDRESSES_PER_QUERY = 100;

  /** Above this a transfer's micro-USDC would not fit nanos in a {@code long}; no real one is. */
  private static final BigInteger LARGEST_AMOUNT = BigInteger.valueOf(Long.MAX_VALUE / 1_000);

  private static final System.Logger LOG = System.getLogger(UsdcChainWatcher.class.getName());

  private final Web3j web3j;
  private final UsdcChain chain;
  private final CryptoPurchases purchases;
  private final Settings settings;

  /**
   * How the watcher reads the chain.
   *
   * @param confirmations blocks a transfer's block must have on top of it, itself included, before
   *     it is credited (1: credited once mined)
   * @param reorgDepth how deep a reorganisation is looked for: credited transfers in the last this
   *     many blocks are re-checked, and a cursor found off the chain rescans this many blocks
   * @param blocksPerQuery the largest block range of one {@code eth_getLogs}
   */
  public record Settings(int confirmations, int reorgDepth, int blocksPerQuery) {
    public Settings {
      if (confirmations < 1) {
        throw new IllegalArgumentException("at least one confirmation (the block itself)");
      }
      if (reorgDepth < confirmations) {
        throw new IllegalArgumentException(
            "look for reorganisations at least as deep as confirmed");
      }
      if (blocksPerQuery < 1) {
        throw new IllegalArgumentException("a query covers at least one block");
      }
    }

    /** {@code confirmations}, reorganisations looked for 4× as deep (at least 64 blocks). */
    public static Settings of(int confirmations) {
      return new Settings(confirmations, Math.max(64, 4 * confirmations), 2_000);
    }
  }

  /** What one poll did. */
  public record Round(long head, int recorded, int credited, int dropped, int reversed) {}

  public UsdcChainWatcher(
      Web3j web3j, UsdcChain chain, CryptoPurchases purchases, Settings settings) {
    this.web3j = web3j;
    this.chain = chain;
    this.purchases = purchases;
    this.settings = settings;
  }

  /** The chain's EIP-155 id as its node reports it. */
  public static long chainId(Web3j web3j) throws IOException {
    return checked(web3j.ethChainId().send()).getChainId().longValueExact();
  }

  public UsdcChain chain() {
    return chain;
  }

  /** One round: scan what is new, then settle what was seen. */
  public synchronized Round poll() throws IOException {
    long head = checked(web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
    // read after the head: a purchase not listed was recorded after it, so paid in a later block
    List<String> watched = purchases.watchedAddresses();
    Map<Long, Optional<String>> hashes = new HashMap<>();
    int recorded = scan(head, watched, hashes);
    int credited = 0;
    int dropped = 0;
    int reversed = 0;
    for (TrackedTransfer transfer : purchases.unsettled(head - settings.reorgDepth() + 1)) {
      long number = transfer.block().number();
      boolean onChain =
          number <= head
              && canonicalHash(number, hashes).map(transfer.block().hash()::equals).orElse(false);
      if (transfer.state() == TrackedTransfer.State.PENDING) {
        if (!onChain) {
          dropped += purchases.drop(transfer.id()) ? 1 : 0;
        } else if (head - number + 1 >= settings.confirmations()) {
          credited += purchases.credit(transfer.id()) ? 1 : 0;
        }
      } else if (transfer.state() == TrackedTransfer.State.CREDITED && !onChain) {
        if (purchases.reverse(transfer.id())) {
          reversed++;
          LOG.log(
              System.Logger.Level.WARNING,
              "USDC transfer {0} (log {1}) credited to organization {2} left the chain in a"
                  + " reorganisation; its credit is reversed",
              transfer.txHash(),
              transfer.logIndex(),
              transfer.org());
        }
      }
    }
    return new Round(head, recorded, credited, dropped, reversed);
  }

  /** Scans from the cursor (or below it, when its block left the chain) to the head. */
  private int scan(long head, List<String> watched, Map<Long, Optional<String>> hashes)
      throws IOException {
    Optional<ChainBlock> cursor = purchases.cursor(chain);
    long from;
    if (cursor.isEmpty()) {
      from = Math.max(0, head - settings.reorgDepth() + 1);
    } else {
      ChainBlock at = cursor.get();
      boolean stillThere =
          at.number() <= head
              && canonicalHash(at.number(), hashes).map(at.hash()::equals).orElse(false);
      from = stillThere ? at.number() + 1 : Math.max(0, at.number() - settings.reorgDepth() + 1);
    }
    int recorded = 0;
    for (long start = from; start <= head; start += settings.blocksPerQuery()) {
      long end = Math.min(head, start + settings.blocksPerQuery() - 1);
      List<ObservedTransfer> found = watched.isEmpty() ? List.of() : transfers(start, end, watched);
      Optional<String> endHash = canonicalHash(end, hashes);
      if (endHash.isEmpty()) {
        break; // the chain got shorter while we read it: the next poll goes on from the cursor
      }
      recorded += purchases.recordScan(chain, found, new ChainBlock(end, endHash.get()));
    }
    return recorded;
  }

  private List<ObservedTransfer> transfers(long start, long end, List<String> watched)
      throws IOException {
    List<ObservedTransfer> found = new ArrayList<>();
    for (int i = 0; i < watched.size(); i += ADDRESSES_PER_QUERY) {
      List<String> batch = watched.subList(i, Math.min(watched.size(), i + ADDRESSES_PER_QUERY));
      EthFilter filter =
          new EthFilter(
              new DefaultBlockParameterNumber(start),
              new DefaultBlockParameterNumber(end),
              chain.tokenAddress());
      filter.addSingleTopic(TRANSFER_TOPIC);
      filter.addNullTopic();
      filter.addOptionalTopics(batch.stream().map(UsdcChainWatcher::topic).toArray(String[]::new));
      for (EthLog.LogResult<?> result : checked(web3j.ethGetLogs(filter).send()).getLogs()) {
        if (result.get() instanceof Log log) {
          transfer(log).ifPresent(found::add);
        }
      }
    }
    return found;
  }

  /** The transfer a log says, or empty for a removed log, zero or an impossible amount. */
  private static Optional<ObservedTransfer> transfer(Log log) {
    if (log.isRemoved() || log.getTopics().size() != 3 || log.getBlockHash() == null) {
      return Optional.empty();
    }
    BigInteger amount = Numeric.toBigInt(log.getData());
    if (amount.signum() == 0) {
      return Optional.empty();
    }
    if (amount.compareTo(LARGEST_AMOUNT) > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ignoring USDC transfer {0}: {1} micro-USDC is more than can be credited",
          log.getTransactionHash(),
          amount);
      return Optional.empty();
    }
    return Optional.of(
        new ObservedTransfer(
            log.getTransactionHash(),
            log.getLogIndex().longValueExact(),
            new ChainBlock(log.getBlockNumber().longValueExact(), log.getBlockHash()),
            address(log.getTopics().get(1)),
            address(log.getTopics().get(2)),
            amount.longValueExact()));
  }

  /** The hash of the chain's block at {@code number} now, once per round; empty past the head. */
  private Optional<String> canonicalHash(long number, Map<Long, Optional<String>> hashes)
      throws IOException {
    Optional<String> known = hashes.get(number);
    if (known != null) {
      return known;
    }
    EthBlock.Block block =
        checked(web3j.ethGetBlockByNumber(new DefaultBlockParameterNumber(number), false).send())
            .getBlock();
    Optional<String> hash =
        Optional.ofNullable(block).map(b -> b.getHash().toLowerCase(Locale.ROOT));
    hashes.put(number, hash);
    return hash;
  }

  /** An address as a 32-byte topic. */
  static String topic(String address) {
    return "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(address).toLowerCase(Locale.ROOT);
  }

  private static String address(String topic) {
    String hex = Numeric.cleanHexPrefix(topic);
    return "0x" + hex.substring(hex.length() - 40).toLowerCase(Locale.ROOT);
  }

  private static <T extends Response<?>> T checked(T response) throws IOException {
    if (response.hasError()) {
      throw new IOException(
          "the chain's node answered "
              + response.getError().getCode()
              + ": "
              + response.getError().getMessage());
    }
    return response;
  }
}
