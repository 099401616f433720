// The ctx (DurableObjectState) surface: argument checks of blockConcurrencyWhile, waitUntil,
// abort and ctx.facets, the properties workerd's ctx has, and its WebSocket hibernation methods
// called without a WebSocket (websockets-*.mjs has the rest).
import { cls } from "../scenario.mjs";
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

const inObject = (name, body, rest) => insideWith(CALL_HELPERS, `ctx: ${name}`, "sqlite", body, rest);

export default [
  inObject("blockConcurrencyWhile arguments", `
    const c = this.ctx;
    return howAll({
      noArgs: () => c.blockConcurrencyWhile(), number: () => c.blockConcurrencyWhile(5), string: () => c.blockConcurrencyWhile("x"),
      nul: () => c.blockConcurrencyWhile(null), object: () => c.blockConcurrencyWhile({}), symbol: () => c.blockConcurrencyWhile(Symbol()),
      promise: () => c.blockConcurrencyWhile(Promise.resolve(1)),
      asyncValue: () => c.blockConcurrencyWhile(async () => "async value"), syncValue: () => c.blockConcurrencyWhile(() => "sync value"),
      syncUndefined: () => c.blockConcurrencyWhile(() => {}), extraArgs: () => c.blockConcurrencyWhile(async () => "extra", 5),
      callbackArgs: () => c.blockConcurrencyWhile(async (...a) => a.length), thenable: () => c.blockConcurrencyWhile(() => ({ then: (r) => r("thenable") })),
      detached: () => { const f = c.blockConcurrencyWhile; return f(async () => 1); },
      stillAlive: async () => { await this.ctx.storage.put("alive", 1); return this.ctx.storage.get("alive"); },
    });`),
  {
    name: "ctx: blockConcurrencyWhile ordering and a throwing callback",
    backend: "sqlite",
    source: `${CALL_HELPERS}\n${cls(`  log = [];
  async order() {
    const log = [];
    const p = this.ctx.blockConcurrencyWhile(async () => { log.push("callback starts"); await null; log.push("callback continues"); return "done"; });
    log.push("after the call");
    await null;
    log.push("after one microtask");
    log.push(await p);
    return log;
  }
  async syncThrow() { return how(() => this.ctx.blockConcurrencyWhile(() => { throw new RangeError("sync throw in bcw"); })); }
  async asyncThrow() { return how(() => this.ctx.blockConcurrencyWhile(async () => { throw new RangeError("async throw in bcw"); })); }
  async hello() { return "alive"; }`)}`,
    drive: async (env) => {
      const order = await outcome(() => env.DO.getByName("order").order());
      const sync = env.DO.getByName("sync");
      const syncThrow = await outcome(() => sync.syncThrow());
      const afterSync = await outcome(() => sync.hello());
      const asy = env.DO.getByName("async");
      const asyncThrow = await outcome(() => asy.asyncThrow());
      const afterAsync = await outcome(() => asy.hello());
      return { order, syncThrow, afterSync, asyncThrow, afterAsync };
    },
  },
  inObject("waitUntil arguments", `
    const c = this.ctx;
    return howAll({
      noArgs: () => c.waitUntil(), undef: () => c.waitUntil(undefined), nul: () => c.waitUntil(null), number: () => c.waitUntil(5),
      string: () => c.waitUntil("x"), object: () => c.waitUntil({}), fn: () => c.waitUntil(() => 1), promise: () => c.waitUntil(Promise.resolve(1)),
      thenable: () => c.waitUntil({ then: (r) => r(1) }), rejectedPromise: () => c.waitUntil(Promise.reject(new Error("ignored"))),
      extraArgs: () => c.waitUntil(Promise.resolve(), 5), detached: () => { const f = c.waitUntil; return f(Promise.resolve()); },
    });`),
  {
    name: "ctx: abort arguments",
    backend: "sqlite",
    source: `${CALL_HELPERS}\n${cls(`  async abortWith(which) {
    const reasons = { symbol: [Symbol("s")], optionsNumber: ["r", 5], optionsString: ["r", "x"], optionsNull: ["r", null],
      retryAlarmString: ["r", { retryAlarm: "yes" }], extra: ["r", {}, 5], toStringObject: [{ toString: () => "from toString" }],
      toStringThrows: [{ toString() { throw new RangeError("toString throws"); } }], error: [new RangeError("an error reason")], none: [] };
    return how(() => this.ctx.abort(...reasons[which]));
  }
  async hello() { return "alive"; }`)}`,
    drive: async (env) => {
      const out = {};
      for (const which of ["symbol", "optionsNumber", "optionsString", "optionsNull", "retryAlarmString", "extra", "toStringObject", "toStringThrows", "error", "none"]) {
        const stub = env.DO.getByName(which);
        out[which] = { call: await outcome(() => stub.abortWith(which)), next: await outcome(() => stub.hello()) };
      }
      return out;
    },
  },
  // What facets do is facets.mjs; here, what the runtime refuses.
  inObject("facets argument checks", `
    const f = this.ctx.facets;
    const P = Object.getPrototypeOf(f);
    return {
      tag: Object.prototype.toString.call(f), own: Reflect.ownKeys(f).map(String),
      lengths: Object.fromEntries(["get", "abort", "delete", "clone"].map((k) => [k, typeof P[k] === "function" ? P[k].length : typeof P[k]])),
      ...(await howAll({
        getNoArgs: () => f.get(), getSymbolName: () => f.get(Symbol()), getNameOnly: () => f.get("x"), getNumber: () => f.get("x", 5),
        getObject: () => f.get("x", {}), getUndefined: () => f.get("x", undefined), getSymbolFirst: () => f.get(Symbol(), 5),
        abortNoArgs: () => f.abort(), abortNameOnly: () => f.abort("x"), deleteNoArgs: () => f.delete(), deleteSymbol: () => f.delete(Symbol()),
        cloneNoArgs: () => f.clone(), cloneNameOnly: () => f.clone("x"), cloneSymbol: () => f.clone("x", Symbol()),
        detached: () => { const g = f.get; return g("x", () => ({})); }, construct: () => new f.constructor(),
      })),
    };`),
  inObject("properties of ctx", `
    const c = this.ctx;
    const names = ["id", "storage", "props", "exports", "facets", "container", "abort", "blockConcurrencyWhile", "waitUntil", "acceptWebSocket",
      "getWebSockets", "getTags", "setWebSocketAutoResponse", "getWebSocketAutoResponse", "getWebSocketAutoResponseTimestamp",
      "setHibernatableWebSocketEventTimeout", "getHibernatableWebSocketEventTimeout"];
    const types = Object.fromEntries(names.map((k) => [k, typeof c[k]]));
    return { types, inOperator: names.filter((k) => !(k in c)), props: show(c.props), sameStorage: c.storage === c.storage, sameId: c.id === c.id,
      idIsOwnId: c.id.equals(this.env.DO.idFromName("a")), forIn: (() => { const k = []; for (const x in c) k.push(x); return k.sort(); })(),
      keys: Object.keys(c).sort(), json: outcomeSync(() => Object.keys(JSON.parse(JSON.stringify(c))).sort()),
      spread: Object.keys({ ...c }).sort() };`),
  inObject("WebSocket hibernation methods without a WebSocket", `
    const c = this.ctx;
    return howAll({
      getWebSockets: () => c.getWebSockets(), getWebSocketsTag: () => c.getWebSockets("t"), getWebSocketsNumber: () => c.getWebSockets(5),
      getTagsNoArgs: () => c.getTags(), getTagsObject: () => c.getTags({}), acceptNoArgs: () => c.acceptWebSocket(), acceptObject: () => c.acceptWebSocket({}),
      getAutoResponse: () => c.getWebSocketAutoResponse(), setAutoResponseNoArgs: () => c.setWebSocketAutoResponse(), afterClear: () => c.getWebSocketAutoResponse(),
      setAutoResponseString: () => c.setWebSocketAutoResponse("ping"), autoResponseTimestampNoArgs: () => c.getWebSocketAutoResponseTimestamp(),
      autoResponseTimestampObject: () => c.getWebSocketAutoResponseTimestamp({}),
      getEventTimeout: () => c.getHibernatableWebSocketEventTimeout(), setEventTimeoutNoArgs: () => c.setHibernatableWebSocketEventTimeout(),
      setEventTimeout: () => c.setHibernatableWebSocketEventTimeout(5000), afterSet: () => c.getHibernatableWebSocketEventTimeout(),
      setEventTimeoutString: () => c.setHibernatableWebSocketEventTimeout("x"), setEventTimeoutHuge: () => c.setHibernatableWebSocketEventTimeout(1e12),
    });`),
];
