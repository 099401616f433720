// The same suite with Jest's ES module support (run with NODE_OPTIONS=--experimental-vm-modules).
const base = require("./jest.config.cjs");

module.exports = {
  ...base,
  extensionsToTreatAsEsm: [".ts"],
  transform: { "\\.ts$": ["babel-jest", { presets: ["@babel/preset-typescript"] }] },
};
