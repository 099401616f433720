// Collects every scenario file. Add a file here when you add one to this directory.
import { normalize } from "../scenario.mjs";

const FILES = [
  "ids.mjs",
  "stubs.mjs",
  "rpc.mjs",
  "resets.mjs",
  "kv.mjs",
  "limits.mjs",
  "transactions.mjs",
  "gates.mjs",
  "alarms.mjs",
  "alarms-delete-all.mjs",
  "sql.mjs",
  "adversarial.mjs",
  "webidl-ids.mjs",
  "alarms-handler.mjs",
  "webidl-storage.mjs",
  "webidl-sql.mjs",
  "sql-errors.mjs",
  "sql-counters.mjs",
  "sql-state.mjs",
  "webidl-stubs.mjs",
  "ctx.mjs",
  "shapes.mjs",
  "sql-transaction-output.mjs",
  "integrity.mjs",
  "block-concurrency.mjs",
  "rpc-lifecycle.mjs",
  "rpc-values.mjs",
  "microtasks.mjs",
  "services.mjs",
  "services-queue.mjs",
  "websockets-api.mjs",
  "websockets-hibernation.mjs",
  "output-gate.mjs",
  "ctx-exports.mjs",
  "critical-sections.mjs",
  "sweep.mjs",
  "entrypoint-ctx.mjs",
  "prototypes.mjs",
  "error-shapes.mjs",
  "fetch-responses.mjs",
  "host-io.mjs",
  "fetch-crossing.mjs",
  "async-context.mjs",
  "edges-storage.mjs",
  "edges-sql.mjs",
  "edges-objects.mjs",
  "modules.mjs",
  "workers-module.mjs",
  "streams-crossing.mjs",
  "rpc-dispose.mjs",
  "rpc-proxies.mjs",
  "alarms-storage.mjs",
  "websockets-details.mjs",
  "websockets-events.mjs",
  "events.mjs",
  "rpc-messages.mjs",
  "websockets-edges.mjs",
  "rpc-values-more.mjs",
  "fetch-init.mjs",
  "faults.mjs",
  "request-init.mjs",
  "worker-timers.mjs",
  "edges-api.mjs",
  "leftovers.mjs",
  "io-contexts.mjs",
  "io-context-ends.mjs",
  "callback-gates.mjs",
  "stored-values.mjs",
  "sql-functions.mjs",
  "worker-scope.mjs",
  "web-apis.mjs",
  "storage-arguments.mjs",
  "storage-transactions.mjs",
  "storage-contexts.mjs",
  "sql-forms.mjs",
  "storage-conversions.mjs",
  "storage-surrogates.mjs",
  "error-anatomy.mjs",
  "websockets-text.mjs",
  "rpc-names.mjs",
];

export async function loadScenarios() {
  const all = [];
  for (const f of FILES) {
    const mod = await import(new URL(f, import.meta.url));
    all.push(...mod.default.flat().map(normalize));
  }
  const seen = new Set();
  for (const s of all) {
    if (seen.has(s.name)) throw new Error(`duplicate scenario name: ${s.name}`);
    seen.add(s.name);
  }
  return all;
}
