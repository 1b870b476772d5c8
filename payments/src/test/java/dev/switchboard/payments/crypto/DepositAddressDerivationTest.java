package dev.switchboard.payments.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.payments.ExtendedPublicKey;
import dev.switchboard.domain.payments.UsdcChain;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.MnemonicUtils;

/**
 * The deposit addresses Switchboard derives from an extended public key alone are the addresses a
 * wallet holding the mnemonic derives with its private keys (web3j's BIP32), so the operator's
 * wallet can spend what is paid to them.
 */
class DepositAddressDerivationTest {

  /** BIP39's all-"abandon" test mnemonic; its first Ethereum account is well known. */
  private static final String MNEMONIC =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
          + " about";

  private static final int HARDENED = Bip32ECKeyPair.HARDENED_BIT;

  private final Bip32ECKeyPair account =
      Bip32ECKeyPair.deriveKeyPair(
          Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(MNEMONIC, "")),
          new int[] {44 | HARDENED, 60 | HARDENED, HARDENED, 0}); // m/44'/60'/0'/0

  @Test
  void theFirstAddressIsTheMnemonicsWellKnownFirstAccount() {
    ExtendedPublicKey xpub = ExtendedPublicKey.parse(xpubOf(account));
    assertThat(Keys.toChecksumAddress(xpub.child(0).ethereumAddress()))
        .isEqualTo("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    assertThat(UsdcChain.checksumAddress(xpub.child(0).ethereumAddress()))
        .isEqualTo("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
  }

  @Test
  void everyPublicChildIsThePrivateChildsAddress() {
    ExtendedPublicKey xpub = ExtendedPublicKey.parse(xpubOf(account));
    for (int index : new int[] {0, 1, 2, 17, 1_000, 2_147_483_647}) {
      Bip32ECKeyPair child = Bip32ECKeyPair.deriveKeyPair(account, new int[] {index});
      String address = xpub.child(index).ethereumAddress();
      assertThat(address)
          .as("index %d", index)
          .isEqualTo("0x" + Keys.getAddress(child.getPublicKey()));
      assertThat(UsdcChain.checksumAddress(address)).isEqualTo(Keys.toChecksumAddress(address));
    }
  }

  /** BIP32's serialization of web3j's key pair, public part only. */
  private static String xpubOf(Bip32ECKeyPair key) {
    ByteBuffer bytes = ByteBuffer.allocate(78);
    bytes.putInt(0x0488B21E);
    bytes.put((byte) key.getDepth());
    bytes.putInt(key.getParentFingerprint());
    bytes.putInt(key.getChildNumber());
    bytes.put(key.getChainCode());
    bytes.put(key.getPublicKeyPoint().getEncoded(true));
    return base58Check(bytes.array());
  }

  private static String base58Check(byte[] payload) {
    String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    byte[] data;
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] check = sha256.digest(sha256.digest(payload));
      data = Arrays.copyOf(payload, payload.length + 4);
      System.arraycopy(check, 0, data, payload.length, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder text = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    BigInteger base = BigInteger.valueOf(58);
    while (value.signum() > 0) {
      BigInteger[] division = value.divideAndRemainder(base);
      text.append(alphabet.charAt(division[1].intValue()));
      value = division[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      text.append('1');
    }
    return text.reverse().toString();
  }
}
