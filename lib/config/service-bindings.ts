import { ConfigError, StartupRefusal } from "../util/config-error.js";

/**
 * Service bindings (Miniflare's `serviceBindings`, wrangler's `services`): a binding name to a
 * Worker of the emulator (its default entrypoint, or a named `entrypoint`, with `props` for
 * `ctx.props`), or to a function that answers the binding's `fetch()`.
 */

export type ServiceBindingOption =
  | string
  | { name: string; entrypoint?: string; props?: Record<string, unknown> }
  | ((request: Request) => Response | Promise<Response>);

export type ResolvedServiceBinding =
  | { binding: string; worker: string; entrypoint: string; props: Record<string, unknown> }
  | { binding: string; handler: (request: Request) => Response | Promise<Response> };

const SERVICE_KEYS = ["name", "entrypoint", "props"];

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : String(value);
}

/** Checks one Worker's `serviceBindings` (whether the Workers exist is checked once all are known). */
export function resolveServiceBindings(option: unknown, worker: string): ResolvedServiceBinding[] {
  if (option === undefined) return [];
  const where = `option "serviceBindings" of Worker ${describe(worker)}`;
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new ConfigError(`durasim: ${where} must be an object of bindings, got ${describe(option)}.`);
  }
  return Object.entries(option).map(([binding, value]) => resolveOne(binding, value, `serviceBindings.${binding} of Worker ${describe(worker)}`));
}

function resolveOne(binding: string, value: unknown, where: string): ResolvedServiceBinding {
  if (typeof value === "function") return { binding, handler: value as (request: Request) => Response };
  if (typeof value === "string") return { binding, worker: value, entrypoint: "default", props: {} };
  const fix = `use a Worker's name, { name, entrypoint?, props? }, or a function answering fetch()`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`durasim: ${where} is ${describe(value)}; ${fix}.`);
  const options = value as Record<string, unknown>;
  const unknown = Object.keys(options).find((key) => !SERVICE_KEYS.includes(key));
  if (unknown !== undefined) throw new ConfigError(`durasim: ${where} has an unknown key "${unknown}"; ${fix}.`);
  // "" is a name like any (Miniflare's unnamed Worker has it): whether a Worker has it is checked once all are known, as for the string form.
  if (typeof options.name !== "string") throw new ConfigError(`durasim: ${where} needs "name": the name of a Worker of this emulator.`);
  if (options.entrypoint !== undefined && (typeof options.entrypoint !== "string" || options.entrypoint === "")) {
    throw new ConfigError(`durasim: ${where} has "entrypoint": ${describe(options.entrypoint)}; give the name of an export of Worker ${describe(options.name)}.`);
  }
  const props = options.props ?? {};
  if (typeof props !== "object" || props === null || Array.isArray(props)) {
    throw new ConfigError(`durasim: ${where} has "props": ${describe(props)}; give an object (it becomes ctx.props).`);
  }
  try {
    structuredClone(props);
  } catch (error) {
    throw new ConfigError(`durasim: ${where} has "props" that cannot be serialised (${(error as Error).message}); give data only.`);
  }
  return { binding, worker: options.name, entrypoint: (options.entrypoint as string | undefined) ?? "default", props: props as Record<string, unknown> };
}

/** Every service binding names a Worker of the emulator. */
export function checkServiceTargets(workers: ReadonlyArray<{ name: string; serviceBindings: ResolvedServiceBinding[] }>): void {
  const names = workers.map((worker) => worker.name);
  for (const worker of workers) {
    for (const service of worker.serviceBindings) {
      if ("handler" in service || names.includes(service.worker)) continue;
      throw new StartupRefusal(
        `durasim: serviceBindings.${service.binding} of Worker ${describe(worker.name)} names Worker ${describe(service.worker)}, but no Worker has that name ` +
          `(Workers: ${names.map(describe).join(", ")}). Add the Worker to "workers" or fix the name.`,
      );
    }
  }
}
