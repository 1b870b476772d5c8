package dev.switchboard.domain.payments;

/**
 * A token transfer as the chain watcher read it from a log: which transaction and log, the block it
 * is in, who sent how many micro-USDC to which address.
 */
public record ObservedTransfer(
    String txHash, long logIndex, ChainBlock block, String from, String to, long amountMicros) {

  public ObservedTransfer {
    txHash = UsdcChain.Addresses.normalizeHash(txHash);
    from = UsdcChain.Addresses.normalize(from);
    to = UsdcChain.Addresses.normalize(to);
    if (logIndex < 0 || amountMicros <= 0) {
      throw new IllegalArgumentException("a transfer has a log index and a positive amount");
    }
  }
}
