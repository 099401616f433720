/**
 * `durasim` under Jest: the environment's copy, so an Emulator a test builds shares the Worker
 * classes Jest loaded, and its `modulePath` loads through Jest (the setup file sets the loader).
 */
import shared = require("./host.cjs");

const durasim = shared.needed().modules.durasim;
const Emulator = durasim.Emulator;
const ConfigError = durasim.ConfigError;
const DurableObjectNamespace = durasim.DurableObjectNamespace;
const estimateCost = durasim.estimateCost;
const DirectoryInUseError = durasim.DirectoryInUseError;
const DamagedFileError = durasim.DamagedFileError;

export = { Emulator, ConfigError, DurableObjectNamespace, estimateCost, DirectoryInUseError, DamagedFileError };
