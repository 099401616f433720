import { constructOnly } from "../websockets/construct-only.js";
import { headerError } from "./runtime-words.js";

/**
 * The `Headers` Worker modules see: Node's, whose constructor refuses an init with the
 * runtime's words (its methods say them already for Worker code: runtime-words.ts). Headers
 * Node or a package made are instances of it too.
 */

const NodeHeaders = globalThis.Headers;

class Headers extends NodeHeaders {
  constructor(...args: unknown[]) {
    try {
      super(...(args as ConstructorParameters<typeof NodeHeaders>));
    } catch (error) {
      throw headerError(error);
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof NodeHeaders;
  }
}

const WorkerHeaders = constructOnly(Headers, "Headers");
export { WorkerHeaders as Headers };
