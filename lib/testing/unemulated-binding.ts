/**
 * What the test runners bind in place of a binding the wrangler file declares of a product
 * durasim does not emulate (D1, Queues producers, Workers AI, ...).
 *
 * Invariant: nothing about the binding works, and nothing pretends to. Every member a test or
 * the Worker names is a function that throws an error naming the binding, the wrangler key that
 * declares it and the file (a member that is a value, as a Hyperdrive's connection string, throws
 * as it is read), so a suite whose Worker has such a binding runs: the tests that never
 * touch it pass, and one that calls it fails there, saying why. Members read as own,
 * configurable properties, so a test can put its own double in one's place
 * (`vi.spyOn(env.QUEUE_PRODUCER, "send")`, `jest.spyOn`, or an assignment) and the Worker, which
 * is given this very object, calls that. Names that libraries probe to classify a value (`then`,
 * `toJSON`, `asymmetricMatch`, `$$typeof`, `nodeType`, symbols) read as undefined, so awaiting,
 * printing or comparing `env` does not throw. Each emulator gets objects of its own: what one
 * test file replaces does not reach the next.
 */
import type { UnemulatedBinding } from "../config/wrangler/translate.js";
import { madeBinding } from "../config/made-bindings.js";
import { markStandIn } from "../modules/test/stand-ins.js";

const PROBED = new Set(["then", "toJSON", "asymmetricMatch", "$$typeof", "nodeType", "constructor"]);

/**
 * Members that are values, not methods, of a kind's binding: reading one throws, where a function
 * in its place would reach code that needs a string or a number (a database driver given
 * `env.HYPERDRIVE.connectionString`) and fail there, far from the cause.
 */
const VALUE_MEMBERS: Readonly<Record<string, ReadonlySet<string>>> = {
  hyperdrive: new Set(["connectionString", "host", "port", "user", "password", "database"]),
};

/** A fresh stand-in for `binding` of the wrangler file at `file`. */
export function unemulatedBinding({ name, key }: UnemulatedBinding, file: string): object {
  return markStandIn(madeBinding(standIn(name, key, file)), { name, key, file });
}

/** What the test binds in the stand-in's place: the assets binding is a Fetcher, which a function service is. */
function instead(name: string, key: string): string {
  if (key === "assets") return `or serve ${name} with a function in the options' miniflare.serviceBindings (${name}: async (request) => new Response(...)).`;
  return `or give ${name} a value in the options' miniflare.bindings.`;
}

function standIn(name: string, key: string, file: string): object {
  const fail = (member: string) =>
    function unemulated(): never {
      throw new Error(
        `durasim: env.${name}.${member}() cannot run: "${key}" in ${file} declares ${name}, a kind of binding durasim does not emulate. ` +
          `Replace the member in the test (vi.spyOn(env.${name}, "${member}").mockImplementation(...), or jest.spyOn), ${instead(name, key)}`,
      );
    };
  const members = new Map<string, () => never>();
  const member = (property: string) => members.get(property) ?? members.set(property, fail(property)).get(property)!;
  const probed = (property: string | symbol): property is symbol => typeof property === "symbol" || PROBED.has(property) || property.startsWith("@@");
  const values = VALUE_MEMBERS[key];
  const value = (property: string): never => {
    throw new Error(
      `durasim: env.${name}.${property} cannot be read: "${key}" in ${file} declares ${name}, a kind of binding durasim does not emulate. ` +
        `Assign the member in the test (env.${name}.${property} = ...), ${instead(name, key)}`,
    );
  };
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get(target, property) {
      if (Object.hasOwn(target, property)) return target[property as string];
      if (probed(property)) return undefined;
      return values?.has(property) ? value(property) : member(property);
    },
    // A value member is no own property until a test assigns it (an accessor here would refuse the assignment).
    getOwnPropertyDescriptor(target, property) {
      const own = Reflect.getOwnPropertyDescriptor(target, property);
      if (own !== undefined || probed(property) || values?.has(property)) return own;
      return { value: member(property), writable: true, enumerable: false, configurable: true };
    },
    // A member put in place (an assignment, a spy) takes the attributes the member reads with,
    // not a new property's defaults (read-only, fixed), so a spy can be restored and replaced.
    defineProperty(target, property, descriptor) {
      const reported = Object.hasOwn(target, property) ? {} : { writable: true, enumerable: false, configurable: true };
      return Reflect.defineProperty(target, property, "get" in descriptor || "set" in descriptor ? { configurable: true, ...descriptor } : { ...reported, ...descriptor });
    },
  });
}
