// The object's own context called the way hurried code calls it: waitUntil() of non-promises,
// blockConcurrencyWhile() of odd callbacks and from inside itself, id comparisons with
// non-ids, the hibernation settings with out-of-range numbers, and namespace lookups of
// unusual names and ids (a null jurisdiction; workerd refuses real ones,
// see ids.mjs). Each call records whether it threw, rejected or returned.
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

const both = (name, body, rest) => ["sqlite", "kv"].map((backend) => insideWith(CALL_HELPERS, `ctx odd calls: ${name} [${backend}]`, backend, body, rest));

export default [
  both("waitUntil() of values, rejected promises and thenables; blockConcurrencyWhile() of odd callbacks", `
    const ctx = this.ctx;
    return howAll({
      waitNumber: () => ctx.waitUntil(5),
      waitUndefined: () => ctx.waitUntil(undefined),
      waitNone: () => ctx.waitUntil(),
      waitRejected: () => ctx.waitUntil(Promise.reject(new Error("ignored"))),
      waitThenable: () => ctx.waitUntil({ then(r) { r(1); } }),
      waitTwo: () => ctx.waitUntil(Promise.resolve(), Promise.resolve()),
      bcwValue: () => ctx.blockConcurrencyWhile(() => 42),
      bcwUndefined: () => ctx.blockConcurrencyWhile(() => {}),
      bcwThenable: () => ctx.blockConcurrencyWhile(() => ({ then(r) { r("thenable"); } })),
      bcwNotFn: () => ctx.blockConcurrencyWhile("x"),
      bcwNone: () => ctx.blockConcurrencyWhile(),
      bcwNull: () => ctx.blockConcurrencyWhile(null),
      bcwArgs: () => ctx.blockConcurrencyWhile(function (...a) { return a.length; }),
      bcwNested: () => ctx.blockConcurrencyWhile(async () => ["outer", await ctx.blockConcurrencyWhile(async () => "inner")]),
      bcwStorage: () => ctx.blockConcurrencyWhile(async () => { await ctx.storage.put("k", 1); return ctx.storage.get("k"); }),
    });`),
  both("id comparisons and conversions with non-ids, and the id's own members", `
    const id = this.ctx.id;
    return howAll({
      equalsSelf: () => id.equals(id),
      equalsUndefined: () => id.equals(undefined),
      equalsNone: () => id.equals(),
      equalsString: () => id.equals(id.toString()),
      equalsObject: () => id.equals({ toString: () => id.toString() }),
      equalsNull: () => id.equals(null),
      toStringArgs: () => id.toString(1, 2) === String(id),
      name: () => id.name,
      jurisdiction: () => id.jurisdiction,
      keys: () => Object.keys(id),
      json: () => JSON.stringify({ id }) === JSON.stringify({ id: String(id) }),
      borrowedToString: () => id.toString.call({}),
      borrowedEquals: () => id.equals.call({}, id),
      templated: () => \`\${id}\` === id.toString(),
    });`),
  both("hibernation settings out of range and socket queries without sockets", `
    const ctx = this.ctx;
    const set = (v) => () => { ctx.setHibernatableWebSocketEventTimeout(v); return ctx.getHibernatableWebSocketEventTimeout(); };
    return howAll({
      initial: () => ctx.getHibernatableWebSocketEventTimeout(),
      zero: set(0), one: set(1), neg: set(-1), nan: set(NaN), frac: set(1.5), str: set("100"), big: set(7 * 24 * 3600 * 1000 + 1),
      max: set(7 * 24 * 3600 * 1000), huge: set(2 ** 53), undef: set(undefined), none: () => { ctx.setHibernatableWebSocketEventTimeout(); return ctx.getHibernatableWebSocketEventTimeout(); },
      getAll: () => ctx.getWebSockets().length,
      getTag: () => ctx.getWebSockets("t").length,
      getTagNumber: () => ctx.getWebSockets(5).length,
      getTagNull: () => ctx.getWebSockets(null).length,
      tagsOfNothing: () => ctx.getTags(),
      tagsOfObject: () => ctx.getTags({}),
      autoNone: () => ctx.getWebSocketAutoResponse(),
      autoSetNone: () => { ctx.setWebSocketAutoResponse(); return ctx.getWebSocketAutoResponse(); },
      autoSetNull: () => { ctx.setWebSocketAutoResponse(null); return ctx.getWebSocketAutoResponse(); },
      autoSetString: () => ctx.setWebSocketAutoResponse("ping"),
      autoSetObject: () => ctx.setWebSocketAutoResponse({ request: "a", response: "b" }),
      autoTimestampNone: () => ctx.getWebSocketAutoResponseTimestamp(),
      autoTimestampObject: () => ctx.getWebSocketAutoResponseTimestamp({}),
    });`),
  {
    name: "ctx odd calls: namespace lookups of odd names and ids, from a Worker",
    backend: "sqlite",
    source: `${CALL_HELPERS}\n` + `import { DurableObject } from "cloudflare:workers";\nexport class DO extends DurableObject { async hi() { return this.ctx.id.name ?? null; } }\n`,
    drive: async (env) => {
      const ns = env.DO;
      const hex = ns.idFromName("x").toString();
      return howAll({
        byNameUndefined: () => ns.getByName(undefined).hi(),
        byNameNumber: () => ns.getByName(12).hi(),
        byNameObject: () => ns.getByName({ toString: () => "obj" }).hi(),
        byNameEmpty: () => ns.getByName("").hi(),
        byNameLong: () => ns.getByName("n".repeat(2049)).hi(),
        byNameNone: () => ns.getByName(),
        fromNameNone: () => ns.idFromName().toString() === ns.idFromName("undefined").toString(),
        upper: () => ns.idFromString(hex.toUpperCase()).toString() === hex,
        short: () => ns.idFromString(hex.slice(1)),
        long: () => ns.idFromString(hex + "0"),
        nonHex: () => ns.idFromString("g" + hex.slice(1)),
        empty: () => ns.idFromString(""),
        number: () => ns.idFromString(5),
        flipped: () => ns.idFromString(hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0")),
        getString: () => ns.get(hex),
        getUndefined: () => ns.get(undefined),
        getIdHint: () => ns.get(ns.idFromName("h"), { locationHint: "wnam" }).hi(),
        getBadHint: () => ns.get(ns.idFromName("h"), { locationHint: "mars" }).hi(),
        getHintNumber: () => ns.get(ns.idFromName("h"), { locationHint: 5 }).hi(),
        getOptsString: () => ns.get(ns.idFromName("h"), "x").hi(),
        uniqueString: () => ns.newUniqueId("eu"),
        uniqueNull: () => ns.newUniqueId(null).jurisdiction,
        jurisdictionNone: () => ns.jurisdiction(),
      });
    },
  },
];
