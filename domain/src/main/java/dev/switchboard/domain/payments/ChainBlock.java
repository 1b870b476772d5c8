package dev.switchboard.domain.payments;

/** A block by number and hash: the same number with another hash is another chain's block. */
public record ChainBlock(long number, String hash) {

  public ChainBlock {
    if (number < 0) {
      throw new IllegalArgumentException("block numbers start at 0");
    }
    hash = UsdcChain.Addresses.normalizeHash(hash);
  }
}
