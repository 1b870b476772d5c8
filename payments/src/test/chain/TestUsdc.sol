// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A stand-in for USDC on the test chain: an OpenZeppelin ERC-20 with USDC's six decimals, its whole
/// supply minted to the deployer.
contract TestUsdc is ERC20 {
    constructor(uint256 supply) ERC20("Test USD Coin", "USDC") {
        _mint(msg.sender, supply);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
