import { runsEmulatedCode } from "../code-context.js";
import { replaceGetter } from "../replace-method.js";
import { readsNative } from "../../util/native-names.js";

/**
 * A queuing strategy's `size` as the runtime gives it to Worker and object code: a new function
 * at each read (Node's is one for all strategies), unnamed, of length 0; a
 * ByteLengthQueuingStrategy's reads a chunk's `byteLength`, and answers undefined for a chunk
 * that is undefined or null where Node's throws reading it. Test code keeps Node's.
 */

const measures = new Map<object, (chunk: unknown) => unknown>([
  [CountQueuingStrategy.prototype, () => 1],
  [ByteLengthQueuingStrategy.prototype, (chunk) => (chunk as { byteLength?: unknown } | null | undefined)?.byteLength],
]);

export function installStrategySizes(): void {
  for (const [prototype, measure] of measures) {
    replaceGetter(prototype, "size", (nodes) => (runsEmulatedCode() ? readsNative((...args: unknown[]) => measure(args[0]), "") : nodes));
  }
}
