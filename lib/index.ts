export { Emulator } from "./emulator.js";
export {
  ConfigError,
  DurableObjectNamespace,
  type DurableObjectBinding,
  type DurableObjectDesignator,
  type DurableObjectNamespaceDeclaration,
  type EmulatorOptions,
  type Migration,
  type WorkerOptions,
} from "./config/options.js";
