// What a Worker's module may do while it is evaluated (the runtime's startup, outside any
// request): timers, random values, I/O and clocks, each tried at the top level and recorded as
// threw/returned, then the same inside an object's method for contrast.
import { CALL_HELPERS } from "./webidl-helpers.mjs";

/** Synchronous attempts; a returned promise is only described, never awaited at the top level. */
const ATTEMPTS = `function attemptsNow() {
  const out = {};
  const tryIt = (k, f) => { try { const r = f(); out[k] = { returned: r !== null && typeof r === "object" && typeof r.then === "function" ? "promise" : show(r) }; } catch (e) { out[k] = { threw: err(e) }; } };
  tryIt("setTimeout", () => { const t = setTimeout(() => {}, 1); clearTimeout(t); return typeof t; });
  tryIt("setInterval", () => { const t = setInterval(() => {}, 1000); clearInterval(t); return typeof t; });
  tryIt("queueMicrotask", () => queueMicrotask(() => {}));
  tryIt("getRandomValues", () => crypto.getRandomValues(new Uint8Array(4)).length);
  tryIt("randomUUID", () => crypto.randomUUID().length);
  tryIt("mathRandom", () => typeof Math.random());
  tryIt("dateNow", () => typeof Date.now());
  tryIt("performanceNow", () => typeof performance.now());
  tryIt("newResponse", () => new Response("x").status);
  tryIt("newRequest", () => new Request("http://x/").url);
  tryIt("textEncoder", () => new TextEncoder().encode("x").length);
  tryIt("subtleDigest", () => { const p = crypto.subtle.digest("SHA-256", new Uint8Array(1)); p.catch(() => {}); return p; });
  tryIt("generateKey", () => { const p = crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, true, ["sign"]); p.catch(() => {}); return p; });
  tryIt("abortTimeout", () => AbortSignal.timeout(1000).aborted);
  tryIt("schedulerWait", () => { const p = scheduler.wait(1); p.catch(() => {}); return p; });
  tryIt("readableStream", () => new ReadableStream().locked);
  tryIt("webSocketPair", () => Object.keys(new WebSocketPair()).length);
  tryIt("structuredClone", () => structuredClone({ a: 1 }).a);
  return out;
}`;

export default [
  {
    name: "startup scope: timers, random values, clocks and constructors while the module is evaluated, and in a method",
    backend: "sqlite",
    source: `${CALL_HELPERS}\nimport { DurableObject } from "cloudflare:workers";\n${ATTEMPTS}\nconst TOP = attemptsNow();\nexport class DO extends DurableObject { async get() { return { top: TOP, method: attemptsNow() }; } }\n`,
    drive: async (env) => env.DO.getByName("a").get(),
    differs:
      "durasim evaluates a Worker's modules in Node's realm, with Node's timers and crypto, and cannot tell a module's evaluation from the tests' code around it: the runtime's 'Disallowed operation called within global scope' refusals (timers, random values, Response, WebSocketPair, AbortSignal.timeout) are not made (README, Differences from production)",
  },
];
