import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { notOfType, site } from "../../util/webidl.js";

/**
 * Two calls of the stream controllers Worker and object code get as the runtime answers them
 * (test code keeps Node's):
 * - error() of a ReadableStreamDefaultController, a ReadableByteStreamController or a
 *   TransformStreamDefaultController requires its reason (an explicit undefined is one): called
 *   with none it throws "... parameter 1 is not of type 'Value'." and errors nothing. A
 *   WritableStreamDefaultController's reason is optional, as Node's.
 * - enqueue() of a ReadableStreamDefaultController whose strategy's size() throws errors the
 *   stream with that error and returns; Node throws it too.
 */

const REASON_REQUIRED: ReadonlyArray<readonly [object, string]> = [
  [ReadableStreamDefaultController.prototype, "ReadableStreamDefaultController"],
  [ReadableByteStreamController.prototype, "ReadableByteStreamController"],
  [TransformStreamDefaultController.prototype, "TransformStreamDefaultController"],
];

export function installControllerCalls(): void {
  for (const [prototype, iface] of REASON_REQUIRED) {
    replaceMethod(prototype as Record<string, unknown>, "error", (original, self, args) => {
      if (args.length === 0 && runsEmulatedCode()) throw inCodeRealm(notOfType(site(iface, "error"), 1, "Value"));
      return Reflect.apply(original, self, args);
    });
  }
  replaceMethod(ReadableStreamDefaultController.prototype as unknown as Record<string, unknown>, "enqueue", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const controller = self as ReadableStreamDefaultController;
    const erroredBefore = controller.desiredSize === null;
    try {
      return Reflect.apply(original, self, args);
    } catch (error) {
      // Only a failed size() errors the stream within the call: anything else refused leaves it as it was.
      if (erroredBefore || controller.desiredSize !== null) throw error;
      return undefined;
    }
  });
}
