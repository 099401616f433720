/**
 * A Worker whose date is before the `rpc` flag's default (2024-04-03), without the flag, has no
 * RPC: the runtime's stubs and service bindings it holds answer only their own members (`fetch`,
 * `connect`, `id`, `name`, ...), and any other name reads as undefined, so `stub.method()`
 * throws V8's "stub.method is not a function". The caller's flag decides, not the callee's: an
 * old Worker's object still answers the RPC of a newer caller. As the runtime does, the first
 * read of each such name warns (once per name, per Worker), telling the user what to enable.
 * Test code (outside any Worker) always has RPC: Miniflare's Node code reaches objects through
 * its own Workers, whose date is recent, so its stubs call methods whatever the user's date.
 */
import { codeFeatures, runsEmulatedCode } from "../code-context.js";
import type { CodeFeatures } from "../code-features.js";
import { processShared } from "../../util/process-shared.js";

/**
 * Whether any Worker's flags, in any loaded copy of durasim, turn `rpc` off. Until one does,
 * no read of a name through a stub needs the running code's features: asking which code runs
 * is an async-context lookup, about 50 instructions on every RPC call's `stub.method` read.
 */
const lacking = processShared("workersWithoutRpc", () => ({ seen: false }));

/** A Worker's resolved flags (config/compatibility.ts): notes one that turns `rpc` off. */
export function noteCompatibilityFlags(flags: Readonly<Record<string, boolean>>): void {
  if (flags.rpc === false) lacking.seen = true;
}

/** Per Worker (its features), the names that warned already. */
const warned = new WeakMap<CodeFeatures, Set<string>>();

/**
 * Whether the running code is a Worker's that lacks RPC, so that `name`, a name a stub does not have
 * itself, is absent rather than an RPC method; warns the first time a Worker reads that name.
 */
export function withoutRpc(name: string): boolean {
  if (!lacking.seen || !runsEmulatedCode()) return false;
  const features = codeFeatures();
  if (features.compatibilityFlags.rpc !== false) return false;
  let names = warned.get(features);
  if (names === undefined) warned.set(features, (names = new Set()));
  if (!names.has(name)) {
    names.add(name);
    console.warn(
      `Tried to access method or property '${name}' on a Service Binding or Durable Object stub. Are you trying to use RPC? ` +
        "If so, please enable the 'rpc' compat flag or update your compat date to 2024-04-03 or later " +
        "(see https://developers.cloudflare.com/workers/configuration/compatibility-dates/ ). " +
        "If you are not trying to use RPC, please note that in the future, this property (and all other property names) will appear to be present as an RPC method.",
    );
  }
  return true;
}
