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

/** Which bodies, statics and argument checks come before the refusal (threw/returned each). */
const ORDER = `function orderNow() {
  const out = {};
  const tryIt = (k, f) => { try { out[k] = { returned: show(f()) }; } catch (e) { out[k] = { threw: err(e) }; } };
  tryIt("responseNoBody", () => new Response().status);
  tryIt("responseNullBody", () => new Response(null).status);
  tryIt("responseEmptyBody", () => new Response("").status);
  tryIt("responseStreamBody", () => new Response(new ReadableStream()).status);
  tryIt("responseBadInit", () => new Response("x", 5).status);
  tryIt("responseJson", () => Response.json({}).status);
  tryIt("responseRedirect", () => Response.redirect("http://x/").status);
  tryIt("responseRedirectBadStatus", () => Response.redirect("http://x/", 200).status);
  tryIt("requestBody", () => new Request("http://x/", { method: "POST", body: "x" }).method);
  tryIt("setTimeoutNoCallback", () => typeof setTimeout(5));
  tryIt("getRandomValuesNoView", () => crypto.getRandomValues(5));
  tryIt("abortTimeoutNoDelay", () => AbortSignal.timeout());
  return out;
}`;

export default [
  {
    name: "startup scope: timers, random values, clocks and constructors while the module is evaluated, and in a method",
    backend: "sqlite",
    source: `${CALL_HELPERS}\nimport { DurableObject } from "cloudflare:workers";\n${ATTEMPTS}\nconst TOP = attemptsNow();\nexport class DO extends DurableObject { async get() { return { top: TOP, method: attemptsNow() }; } }\n`,
    drive: async (env) => env.DO.getByName("a").get(),
  },
  {
    name: "startup scope: which bodies and statics refuse while the module is evaluated, after their argument checks",
    backend: "sqlite",
    source: `${CALL_HELPERS}\nimport { DurableObject } from "cloudflare:workers";\n${ORDER}\nconst TOP = orderNow();\nexport class DO extends DurableObject { async get() { return { top: TOP, method: orderNow() }; } }\n`,
    drive: async (env) => env.DO.getByName("a").get(),
  },
  {
    name: "startup scope: after a top-level await, timers and random values still refuse and WebAssembly still compiles from bytes (awaits settling in microtasks)",
    backend: "sqlite",
    source: `${CALL_HELPERS}\nimport { DurableObject } from "cloudflare:workers";\n${ATTEMPTS}
const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
// The runtime lets a top-level await settle in microtasks only (awaiting compile() is refused as unsettled).
await Promise.resolve();
await new Promise((resolve) => queueMicrotask(resolve));
let made;
try { made = { returned: new WebAssembly.Module(wasm) instanceof WebAssembly.Module }; } catch (e) { made = { threw: err(e) }; }
const TOP = attemptsNow();
export class DO extends DurableObject { async get() { return { made, top: TOP }; } }\n`,
    drive: async (env) => env.DO.getByName("a").get(),
  },
];
