import { headerError } from "./runtime-words.js";

/**
 * The `Headers` Worker modules see: Node's class itself (its prototype is the one every
 * Request's and Response's headers have), behind a proxy whose constructor refuses an init in
 * the runtime's words and says that it needs `new` as the runtime does. Its methods say the
 * runtime's words already for Worker code (runtime-words.ts).
 */

const NodeHeaders = globalThis.Headers;

const WorkerHeaders: typeof Headers = new Proxy(NodeHeaders, {
  construct(target, args, newTarget): object {
    try {
      return Reflect.construct(target, args, newTarget === WorkerHeaders ? target : newTarget) as object;
    } catch (error) {
      throw headerError(error);
    }
  },
  apply() {
    throw new TypeError("Failed to construct 'Headers': Please use the 'new' operator, this object constructor cannot be called as a function.");
  },
});

export { WorkerHeaders as Headers };
