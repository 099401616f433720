// import() from Worker code: the runtime's built-in modules named literally (durasim points
// those at its own modules, as it does static imports), and, declared as a difference, the
// specifiers only Node's loader sees: computed ones, missing modules, data: and remote URLs.
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

export default [
  insideWith(CALL_HELPERS, "dynamic imports: the runtime's built-in modules named literally, from an object", "sqlite", `
    const keys = (m) => Object.keys(m).sort();
    return howAll({
      workers: async () => { const m = await import("cloudflare:workers"); return ["DurableObject", "RpcTarget", "WorkerEntrypoint", "env"].map((k) => [k, k in m]); },
      workersTwice: async () => (await import("cloudflare:workers")) === (await import('cloudflare:workers')),
      sockets: async () => keys(await import("cloudflare:sockets")).includes("connect"),
      spaced: async () => typeof (await import( "cloudflare:workers" )).DurableObject,
      thenChained: () => import("cloudflare:workers").then((m) => typeof m.RpcTarget),
    });`),
  {
    ...insideWith(CALL_HELPERS, "dynamic imports: computed specifiers, missing modules, data: and remote URLs, from an object", "sqlite", `
    const named = (s) => import(s);
    return howAll({
      computedBuiltin: async () => typeof (await named("cloudflare:workers")).DurableObject,
      missingRelative: () => import("./nope.js"),
      missingBare: () => import("nope-package"),
      cloudflareMissing: () => import("cloudflare:nope"),
      dataUrl: () => import("data:text/javascript,export default 1"),
      https: () => import("https://example.com/x.js"),
    });`),
    differs:
      "durasim points a Worker's literal imports of the runtime's modules at its own, but leaves import() of anything else to Node's loader, which refuses computed cloudflare: specifiers of an inline script, words missing modules its own way (the runtime: 'No such module \"nope.js\".') and loads data: URLs the runtime refuses (README, Differences from production)",
  },
];
