// The runtime's global `Cloudflare` as Worker code sees it: the object, its class (no members,
// an illegal constructor), its one property `compatibilityFlags` (descriptor, frozen, null
// prototype, every flag of workerd's table in its order) and the flags' values, for two
// Workers whose compatibility dates and flags differ. The global property itself is left to
// worker-scope-classes.mjs: Worker code gets the Workers globals as module-scoped names.
import { inside } from "../scenario.mjs";

const body = `
    const chain = (o) => { const names = []; for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) names.push(p.constructor.name); return names; };
    const attempt = (f) => { try { const v = f(); return ["returns", typeof v]; } catch (e) { return ["throws", e.constructor.name, e.message]; } };
    // The runtime's internal symbols are no contract.
    const keys = (o) => Reflect.ownKeys(o).filter((k) => typeof k === "string" || k === Symbol.toStringTag).map(String);
    const described = (o, k) => Object.entries(Object.getOwnPropertyDescriptor(o, k)).map(([key, v]) => [key, typeof v === "boolean" ? v : typeof v]);
    const flags = Cloudflare.compatibilityFlags;
    const C = Cloudflare.constructor;
    return {
      typeofs: [typeof Cloudflare, typeof flags, typeof C],
      object: [Object.prototype.toString.call(Cloudflare), chain(Cloudflare), keys(Cloudflare), Object.isFrozen(Cloudflare), Object.isExtensible(Cloudflare), Cloudflare instanceof C],
      flagsDescriptor: described(Cloudflare, "compatibilityFlags"),
      sameEachRead: Cloudflare.compatibilityFlags === flags,
      Class: [C.name, C.length, keys(C.prototype), described(C.prototype, "constructor"), attempt(() => new C()), attempt(() => C())],
      flags: [Object.isFrozen(flags), Object.getPrototypeOf(flags) === null, Object.prototype.toString.call(flags), Object.values(flags).every((v) => typeof v === "boolean")],
      flagDescriptor: described(flags, "nodejs_compat"),
      writes: [attempt(() => { Cloudflare.compatibilityFlags = {}; }), attempt(() => { flags.nodejs_compat = !flags.nodejs_compat; }), Cloudflare.compatibilityFlags === flags],
      named: Object.fromEntries(["nodejs_compat", "nodejs_zlib", "url_standard", "rpc", "fetcher_no_get_put_delete", "fixup-transform-stream-backpressure", "delete_all_deletes_alarm", "websocket_standard_binary_type", "experimental"].map((k) => [k, flags[k]])),
      on: Object.keys(flags).filter((k) => flags[k]),
      all: Object.keys(flags),
    };`;

export default [
  inside("Cloudflare global: a Worker of the default date", "sqlite", body, { compatibilityDate: "2026-11-01" }),
  inside("Cloudflare global: a Worker of 2024-10-01 with nodejs_compat, no_nodejs_zlib and url_original", "sqlite", body, {
    compatibilityDate: "2024-10-01",
    compatibilityFlags: ["nodejs_compat", "no_nodejs_zlib", "url_original"],
  }),
];
