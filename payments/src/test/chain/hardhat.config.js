// The local chain of the payments tests: hardhat's in-process network served over JSON-RPC, mining a
// block per transaction and on evm_mine, chain id 31337. Nothing is compiled through hardhat (it would
// download a compiler): compile.js uses solc-js.
module.exports = {
  networks: {
    hardhat: { chainId: 31337, mining: { auto: true } },
  },
};
