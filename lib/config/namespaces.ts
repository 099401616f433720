/**
 * Every Durable Object binding of every Worker, resolved into namespaces: which Worker hosts
 * the class, the key its storage and IDs derive from, and its storage backend.
 *
 * Invariants:
 * - One namespace per hosted class: every binding to (host, class), from any Worker, reaches
 *   the same objects. An Alchemy declaration (its stable id) is one namespace wherever it is
 *   bound; bound in several Workers without `scriptName`, the Worker exporting the class hosts
 *   it (the emulator decides among `hosts` once the modules are loaded).
 * - The backend is decided by the host: its migrations, else its own declarations. A client
 *   that leaves `sqlite` out takes the host's backend; one that contradicts it is refused,
 *   naming both Workers.
 * - A class a Worker's migrations (or `exports`) declare is a namespace even when nothing binds
 *   it, as in production: the Worker reaches it through `ctx.exports.<Class>`.
 */
import type { MigrationState } from "./migrations.js";
import { namespaceKey } from "./migrations.js";
import { ConfigError } from "../util/config-error.js";

/** One Durable Object binding of one Worker, as declared. */
export interface BoundNamespace {
  worker: string;
  binding: string;
  className: string;
  /** The host named by the binding; left out, the binding's own Worker (or, for a shared declaration, its exporter). */
  scriptName?: string;
  sqlite?: boolean;
  preventEviction?: boolean;
  /** An explicit namespace key (Miniflare's `unsafeUniqueKey`). */
  uniqueKey?: string;
  /** The stable id of an Alchemy declaration. */
  declaration?: string;
  /** Declared without a binding (`unboundDurableObjects`; `binding` then names the entry): a namespace for ctx.exports only. */
  unbound?: true;
}

export interface NamespacePlan {
  /** The Worker hosting the class; several candidates when only their exports can tell. */
  hosts: string[];
  className: string;
  uniqueKey: string;
  sqlite: boolean;
  preventEviction: boolean;
  bindings: Array<{ worker: string; binding: string }>;
  /** For a class only `unboundDurableObjects` declares: the entry, as a warning names it when the module does not export the class. */
  unboundEntry?: string;
}

/**
 * The namespaces of every binding, then those of the classes `workers` declare that no binding
 * names (they have no bindings; an unbound class the module does not export is left alone).
 */
export function resolveNamespaces(bound: readonly BoundNamespace[], state: MigrationState = {}, workers: readonly string[] = []): NamespacePlan[] {
  const plans = boundNamespaces(bound, state);
  const planned = (host: string, className: string) => plans.some((plan) => plan.className === className && plan.hosts.includes(host));
  for (const host of workers) {
    for (const [className, declared] of Object.entries(state[host]?.classes ?? {})) {
      if (planned(host, className)) continue;
      plans.push({ hosts: [host], className, uniqueKey: declared.key, sqlite: declared.sqlite, preventEviction: false, bindings: [] });
    }
  }
  return plans;
}

function boundNamespaces(bound: readonly BoundNamespace[], state: MigrationState): NamespacePlan[] {
  const groups = new Map<string, BoundNamespace[]>();
  const add = (key: string, binding: BoundNamespace) => groups.set(key, [...(groups.get(key) ?? []), binding]);
  const declarations = new Map<string, BoundNamespace[]>();
  for (const binding of bound) {
    if (binding.declaration !== undefined) declarations.set(binding.declaration, [...(declarations.get(binding.declaration) ?? []), binding]);
    else add(`${binding.scriptName ?? binding.worker}\0${binding.className}`, binding);
  }
  const ambiguous: Array<[string[], BoundNamespace[]]> = [];
  for (const [id, members] of declarations) {
    const hosts = declarationHosts(id, members);
    if (hosts.length === 1) for (const member of members) add(`${hosts[0]}\0${member.className}`, { ...member, scriptName: hosts[0] });
    else ambiguous.push([hosts, members]);
  }
  const plans = [...groups.values()].map((members) => plan([members[0]!.scriptName ?? members[0]!.worker], members, state));
  for (const [hosts, members] of ambiguous) plans.push(plan(hosts, members, state));
  return plans;
}

/** Where a declaration lives: the `scriptName` its bindings give, else every Worker binding it as its own. */
function declarationHosts(id: string, members: BoundNamespace[]): string[] {
  const classes = new Set(members.map((m) => m.className));
  if (classes.size > 1) fail(`the declaration "${id}" is bound with different class names (${[...classes].join(", ")}). One declaration is one class.`);
  const named = [...new Set(members.flatMap((m) => (m.scriptName === undefined ? [] : [m.scriptName])))];
  if (named.length > 1) fail(`the declaration "${id}" names different hosts (${named.map((n) => `"${n}"`).join(", ")}) in its scriptName.`);
  const own = [...new Set(members.filter((m) => m.scriptName === undefined).map((m) => m.worker))];
  if (named.length === 1) {
    const stray = own.find((worker) => worker !== named[0]);
    if (stray !== undefined) {
      fail(`Worker "${stray}" binds the declaration "${id}" as its own class, but another binding of it names "${named[0]}" as its host. Set scriptName: "${named[0]}" on it.`);
    }
    return named;
  }
  return own;
}

function plan(hosts: string[], members: BoundNamespace[], state: MigrationState): NamespacePlan {
  const className = members[0]!.className;
  const single = hosts.length === 1 ? hosts[0]! : undefined;
  const stateClass = single === undefined ? undefined : state[single]?.classes[className];
  const keys = [...new Set(members.flatMap((m) => (m.uniqueKey === undefined ? [] : [m.uniqueKey])))];
  if (keys.length > 1) fail(`class "${className}" is bound with different unique keys (${keys.map((k) => `"${k}"`).join(", ")}). Bindings to one class share one namespace.`);
  const declaration = members.find((m) => m.declaration !== undefined)?.declaration;
  const uniqueKey = keys[0] ?? declaration ?? stateClass?.key ?? namespaceKey(single ?? hosts[0]!, className);
  return {
    hosts,
    className,
    uniqueKey,
    sqlite: backend(className, single, members, stateClass?.sqlite),
    preventEviction: members.some((m) => m.preventEviction === true),
    bindings: members.filter((m) => m.unbound !== true).map(({ worker, binding }) => ({ worker, binding })),
    ...(members.every((m) => m.unbound === true) && { unboundEntry: `${members[0]!.binding} of Worker "${members[0]!.worker}"` }),
  };
}

function backend(className: string, host: string | undefined, members: BoundNamespace[], byMigrations: boolean | undefined): boolean {
  const explicit = members.filter((m) => m.sqlite !== undefined);
  const describe = (m: BoundNamespace) => `${m.unbound === true ? "" : "durableObjects."}${m.binding} of Worker "${m.worker}" (sqlite: ${m.sqlite})`;
  if (byMigrations !== undefined) {
    const contrary = explicit.find((m) => m.sqlite !== byMigrations);
    if (contrary !== undefined) {
      fail(
        `${describe(contrary)} contradicts Worker "${host}", whose migrations made class "${className}" ${byMigrations ? "SQLite-backed" : "key-value-backed"}. ` +
          `Leave "sqlite" out of the binding to take the host's backend.`,
      );
    }
    return byMigrations;
  }
  const hostSide = explicit.filter((m) => host === undefined || m.worker === host);
  const clients = explicit.filter((m) => !hostSide.includes(m));
  const decided = hostSide[0] ?? clients[0];
  const contrary = [...hostSide, ...clients].find((m) => m.sqlite !== decided?.sqlite);
  if (decided !== undefined && contrary !== undefined) {
    fail(
      `${describe(contrary)} contradicts ${describe(decided)} about the backend of class "${className}"` +
        `${host === undefined ? "" : ` hosted by Worker "${host}"`}. Leave "sqlite" out of the client's binding to take the host's backend.`,
    );
  }
  return decided?.sqlite ?? false;
}

function fail(message: string): never {
  throw new ConfigError(`durasim: ${message}`);
}
