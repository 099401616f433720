export { Emulator } from "./emulator.js";
export type { DurableObjectId } from "./runtime/ids.js";
export type { DurableObjectNamespaceBinding } from "./runtime/namespace-binding.js";
export type { DurableObjectStub } from "./runtime/rpc/stub.js";
export { ConfigError } from "./util/config-error.js";
export { type CostEstimate, type CostLine, type CostOptions, estimateCost } from "./runtime/usage/cost.js";
export type { EmulatorUsage, NamespaceUsage, ObjectUsageReport, Usage } from "./runtime/usage/usage.js";
export { DirectoryInUseError } from "./storage/persist/lock.js";
export { DamagedFileError } from "./storage/persist/damaged-file.js";
export type { PersistOptions } from "./config/options.js";
export type { EmulatorSnapshot } from "./util/snapshots.js";
export {
  DurableObjectNamespace,
  type DurableObjectBinding,
  type DurableObjectDesignator,
  type DurableObjectExports,
  type DurableObjectNamespaceDeclaration,
  type EmulatorOptions,
  type Migration,
  type WorkerModule,
  type WorkerOptions,
} from "./config/options.js";
