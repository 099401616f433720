import { Serializer } from "node:v8";
import { types } from "node:util";
import { dataCloneError } from "../../storage/host-objects.js";
import { classHasBrand, DURABLE_OBJECT_BRAND, WORKER_ENTRYPOINT_BRAND } from "../brands.js";
import type { NamespaceRuntime } from "../namespace.js";
import { DurableObjectNamespaceBinding } from "../namespace-binding.js";
import { fetcher } from "../rpc/stub.js";
import { type EntrypointHost, EntrypointTarget } from "./entrypoint.js";

/**
 * A Worker's `exports` (`import { exports } from "cloudflare:workers"`, and `ctx.exports`): one
 * loopback binding per entrypoint (the default export, named objects of handlers, named
 * WorkerEntrypoint classes) and per Durable Object class it hosts. An entrypoint's binding is a
 * service binding with empty props, and callable to specialise them:
 * `exports.Named({ props })` returns a Fetcher whose calls see those props in `ctx.props`.
 */

const OPTIONS_ERROR = "Failed to execute '(called as function)' on 'LoopbackServiceStub': parameter 1 is not of type 'Options'.";

/** Whether an export is an entrypoint: an object of handlers, or a WorkerEntrypoint class. */
export function isEntrypoint(value: unknown): boolean {
  if (classHasBrand(value, WORKER_ENTRYPOINT_BRAND)) return true;
  return typeof value === "object" && value !== null && !Array.isArray(value) && !types.isModuleNamespaceObject(value);
}

export function isDurableObjectClass(value: unknown): boolean {
  return classHasBrand(value, DURABLE_OBJECT_BRAND);
}

/** The runtime's `exports.<DurableObjectClass>`: the class's namespace, under its loopback name. */
class LoopbackDurableObjectNamespace extends DurableObjectNamespaceBinding {}
Object.defineProperty(LoopbackDurableObjectNamespace.prototype, Symbol.toStringTag, { value: "LoopbackDurableObjectNamespace", configurable: true });

/**
 * Fills `exports` once the module has loaded: the default entrypoint first, then named objects
 * of handlers, named classes, and the hosted Durable Object classes, as the runtime orders them.
 */
export function fillExports(exports: Record<string, unknown>, host: EntrypointHost, module: Record<string, unknown>, namespaces: ReadonlyMap<string, NamespaceRuntime>): void {
  const named = Object.keys(module).filter((key) => key !== "default" && isEntrypoint(module[key]));
  const entrypoints = [
    ...(isEntrypoint(module.default) ? ["default"] : []),
    ...named.filter((key) => typeof module[key] === "object"),
    ...named.filter((key) => typeof module[key] === "function"),
  ];
  for (const name of entrypoints) define(exports, name, loopbackService(host, name));
  for (const [className, namespace] of namespaces) addNamespace(exports, className, namespace);
}

/** Adds a hosted class's namespace (hosts settled after loading add theirs then). */
export function addNamespace(exports: Record<string, unknown>, className: string, namespace: NamespaceRuntime): void {
  if (!Object.prototype.hasOwnProperty.call(exports, className)) define(exports, className, new LoopbackDurableObjectNamespace(namespace));
}

function define(exports: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(exports, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A callable Fetcher: typeof "function", `[object LoopbackServiceStub]`, no own keys. */
function loopbackService(host: EntrypointHost, name: string): Function {
  const extraHandlers = { extraHandlers: host.extraHandlers };
  const plain = fetcher(new EntrypointTarget(host, name, {}), extraHandlers) as Record<PropertyKey, unknown>;
  const specialise = (options: unknown) => {
    if (typeof options !== "object" || options === null) throw new TypeError(OPTIONS_ERROR);
    const props = (options as { props?: unknown }).props ?? {};
    return fetcher(new EntrypointTarget(host, name, cloneProps(props)), extraHandlers);
  };
  return new Proxy(specialise, {
    get: (_target, key) => (key === Symbol.toStringTag ? "LoopbackServiceStub" : plain[key]),
    has: (_target, key) => key in plain,
    apply: (_target, _thisArg, args: unknown[]) => specialise(args[0]),
    ownKeys: () => [],
    getOwnPropertyDescriptor: () => undefined,
    getPrototypeOf: () => Object.getPrototypeOf(plain),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** Props are serialised for each call: what V8 cannot clone is refused with its message. */
function cloneProps(props: unknown): Record<string, unknown> {
  try {
    new Serializer().writeValue(props);
  } catch (error) {
    throw dataCloneError((error as Error).message);
  }
  return structuredClone(props) as Record<string, unknown>;
}
