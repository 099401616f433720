export { Emulator } from "./emulator.js";
export type { DurableObjectId } from "./runtime/ids.js";
export type { DurableObjectNamespace as DurableObjectNamespaceBinding } from "./runtime/namespace.js";
export type { DurableObjectStub } from "./runtime/stub.js";
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
