// Compiles TestUsdc.sol with solc-js (offline: the compiler ships in the npm package) and prints
// {"abi": [...], "bytecode": "0x..."} on standard output, for the tests to deploy.
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const input = {
  language: "Solidity",
  sources: { "TestUsdc.sol": { content: fs.readFileSync(path.join(__dirname, "TestUsdc.sol"), "utf8") } },
  settings: {
    evmVersion: "paris",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};

function findImports(name) {
  try {
    return { contents: fs.readFileSync(require.resolve(name, { paths: [__dirname] }), "utf8") };
  } catch (e) {
    return { error: "not found: " + name };
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  process.stderr.write(errors.map((e) => e.formattedMessage).join("\n"));
  process.exit(1);
}
const contract = output.contracts["TestUsdc.sol"].TestUsdc;
process.stdout.write(JSON.stringify({ abi: contract.abi, bytecode: "0x" + contract.evm.bytecode.object }));
