// Checklist §10.1–2: namespace ids. Ids are deterministic here (uniqueKey "test-<class>"), so
// records may contain them; random ids (newUniqueId) are recorded as shapes only.
import { cls, both } from "../scenario.mjs";

const plain = cls(`  async hello() { return "hi"; }`);
// Reports how the object sees its own id.
const selfId = cls(`  async me() { return { id: this.ctx.id.toString(), name: this.ctx.id.name ?? null, stable: this.ctx.id === this.ctx.id }; }`);
const twoClasses = {
  source: `${cls(`  async who() { return "DO"; }`)}\nexport class Other extends DurableObject { async who() { return "Other"; } }\n`,
  classes: { DO: "DO", OTHER: "Other" },
};

export default [
  both({
    name: "ids: idFromName is deterministic and carries the name",
    source: plain,
    drive: async (env) => {
      const a = env.DO.idFromName("foo");
      const b = env.DO.idFromName("foo");
      return {
        id: a.toString(),
        sameString: a.toString() === b.toString(),
        equals: a.equals(b),
        sameObject: a === b,
        name: a.name,
        jurisdiction: show(a.jurisdiction),
        stringCoercion: String(a) === a.toString(),
        json: outcomeSync(() => JSON.stringify(a)),
      };
    },
  }),
  {
    name: "ids: different names give different ids",
    backend: "sqlite",
    source: plain,
    drive: async (env) => {
      const names = ["", "a", "A", "a ", "é", "😀", "\u0000", "foo"];
      return names.map((n) => [n, env.DO.idFromName(n).toString()]);
    },
  },
  {
    name: "ids: same name in two namespaces gives different ids, and they do not cross",
    backend: "sqlite",
    ...twoClasses,
    drive: async (env) => {
      const a = env.DO.idFromName("x");
      const b = env.OTHER.idFromName("x");
      return {
        a: a.toString(),
        b: b.toString(),
        equals: a.equals(b),
        bInA: outcomeSync(() => env.DO.idFromString(b.toString()).toString()),
        aInB: outcomeSync(() => env.OTHER.idFromString(a.toString()).toString()),
        getWithForeignId: await outcome(() => env.DO.get(b).who()),
      };
    },
  },
  both({
    name: "ids: toString is 64 lower-case hex and round-trips without the name",
    source: plain,
    drive: async (env) => {
      const a = env.DO.idFromName("round");
      const hex = a.toString();
      const back = env.DO.idFromString(hex);
      const upper = env.DO.idFromString(hex.toUpperCase());
      return {
        shape: /^[0-9a-f]{64}$/.test(hex),
        backString: back.toString() === hex,
        backEquals: back.equals(a) && a.equals(back),
        backName: show(back.name),
        upperString: upper.toString() === hex,
        upperName: show(upper.name),
      };
    },
  }),
  {
    name: "ids: idFromString rejects malformed strings",
    backend: "sqlite",
    source: plain,
    drive: async (env) => {
      const valid = env.DO.idFromName("v").toString();
      const inputs = {
        empty: "",
        short: "abc",
        len63: valid.slice(1),
        len65: valid + "0",
        nonHex: "g".repeat(64),
        spaces: ` ${valid.slice(2)} `,
        prefixed: "0x" + valid.slice(2),
        unicodeDigits: "０".repeat(64),
        flippedMac: valid.slice(0, 63) + (valid[63] === "0" ? "1" : "0"),
        flippedName: (valid[0] === "0" ? "1" : "0") + valid.slice(1),
        allZero: "0".repeat(64),
      };
      const out = {};
      for (const [k, v] of Object.entries(inputs)) out[k] = outcomeSync(() => env.DO.idFromString(v).toString());
      out.number = outcomeSync(() => env.DO.idFromString(123).toString());
      out.undefined = outcomeSync(() => env.DO.idFromString(undefined).toString());
      return out;
    },
  },
  {
    name: "ids: idFromName coerces non-string names",
    backend: "kv",
    source: plain,
    drive: async (env) => {
      const cases = { number: 123, null: null, undefined: undefined, object: { a: 1 }, bool: true };
      const out = {};
      for (const [k, v] of Object.entries(cases)) {
        out[k] = outcomeSync(() => {
          const id = env.DO.idFromName(v);
          return { name: show(id.name), sameAsString: id.equals(env.DO.idFromName(String(v))) };
        });
      }
      out.noArgument = outcomeSync(() => env.DO.idFromName().toString());
      return out;
    },
  },
  both({
    name: "ids: newUniqueId has no name and round-trips",
    source: plain,
    drive: async (env) => {
      const a = env.DO.newUniqueId();
      const b = env.DO.newUniqueId();
      const back = env.DO.idFromString(a.toString());
      return {
        shape: /^[0-9a-f]{64}$/.test(a.toString()),
        distinct: a.toString() !== b.toString() && !a.equals(b),
        name: show(a.name),
        roundTrip: back.equals(a),
        reachable: await env.DO.get(a).hello(),
        stubName: show(env.DO.get(a).name),
      };
    },
  }),
  {
    name: "ids: jurisdictions are not implemented locally",
    backend: "sqlite",
    source: plain,
    differs: "reference §9: production supports jurisdictions; workerd throws",
    drive: async (env) => ({
      newUniqueIdEu: outcomeSync(() => env.DO.newUniqueId({ jurisdiction: "eu" }).toString().length),
      newUniqueIdEmpty: outcomeSync(() => env.DO.newUniqueId({}).toString().length),
      newUniqueIdUndefined: outcomeSync(() => env.DO.newUniqueId({ jurisdiction: undefined }).toString().length),
      subEu: outcomeSync(() => typeof env.DO.jurisdiction("eu")),
      subUndefined: outcomeSync(() => env.DO.jurisdiction(undefined).idFromName("x").toString()),
      // workerd refuses every name alike, known or not, and any value that is not null or undefined.
      ...Object.fromEntries([["Empty", ""], ["Upper", "EU"], ["Unknown", "xx"], ["Fedramp", "fedramp"], ["FedrampHigh", "fedramp-high"], ["Us", "us"], ["Number", 5], ["Object", {}]].flatMap(([k, j]) => [
        ["sub" + k, outcomeSync(() => typeof env.DO.jurisdiction(j))],
        ["newUniqueId" + k, outcomeSync(() => env.DO.newUniqueId({ jurisdiction: j }).toString().length)],
      ])),
    }),
  },
  both({
    name: "ids: ctx.id inside the object matches the caller's id and is stable",
    source: selfId,
    drive: async (env) => {
      const stub = env.DO.getByName("inner");
      const me = await stub.me();
      return { ...me, matches: me.id === env.DO.idFromName("inner").toString() };
    },
  }),
  {
    name: "ids: ctx.id.name via get(idFromName), idFromString and newUniqueId",
    backend: "sqlite",
    source: selfId,
    drive: async (env) => {
      const viaName = await env.DO.get(env.DO.idFromName("n1")).me();
      const viaString = await env.DO.get(env.DO.idFromString(env.DO.idFromName("n2").toString())).me();
      const unique = await env.DO.get(env.DO.newUniqueId()).me();
      return { viaName, viaString, uniqueName: unique.name };
    },
  },
  {
    name: "ids: ctx.id.name is kept up to 1024 bytes only",
    backend: "sqlite",
    source: selfId,
    drive: async (env) => {
      const names = { ascii1024: "n".repeat(1024), ascii1025: "n".repeat(1025), twoByte1024: "é".repeat(512), twoByte1026: "é".repeat(513) };
      const out = {};
      for (const [k, n] of Object.entries(names)) {
        const me = await env.DO.getByName(n).me();
        out[k] = { nameKept: me.name === n, nameNull: me.name === null, stubNameKept: env.DO.getByName(n).name === n };
      }
      return out;
    },
  },
  {
    name: "ids: stub.name for getByName, get(idFromName), get(idFromString)",
    backend: "kv",
    source: plain,
    drive: async (env) => {
      const id = env.DO.idFromName("sn");
      return {
        getByName: show(env.DO.getByName("sn").name),
        getIdFromName: show(env.DO.get(id).name),
        getIdFromString: show(env.DO.get(env.DO.idFromString(id.toString())).name),
        stubIdEquals: env.DO.getByName("sn").id.equals(id),
        stubIdName: show(env.DO.getByName("sn").id.name),
      };
    },
  },
  {
    name: "ids: get() options (locationHint, routingMode)",
    backend: "sqlite",
    source: plain,
    drive: async (env) => {
      const id = env.DO.idFromName("opts");
      return {
        locationHint: await outcome(() => env.DO.get(id, { locationHint: "weur" }).hello()),
        badLocationHint: await outcome(() => env.DO.get(id, { locationHint: "mars" }).hello()),
        primaryOnly: await outcome(() => env.DO.get(id, { routingMode: "primary-only" }).hello()),
        badRoutingMode: outcomeSync(() => typeof env.DO.get(id, { routingMode: "nearest" })),
        getByNameBadRoutingMode: outcomeSync(() => typeof env.DO.getByName("opts", { routingMode: "x" })),
      };
    },
  },
  {
    name: "ids: get() with something that is not an id",
    backend: "sqlite",
    source: plain,
    drive: async (env) => ({
      string: outcomeSync(() => typeof env.DO.get(env.DO.idFromName("x").toString())),
      object: outcomeSync(() => typeof env.DO.get({})),
      undefined: outcomeSync(() => typeof env.DO.get()),
    }),
  },
  {
    name: "ids: an id cannot be passed over RPC",
    backend: "sqlite",
    source: cls(`  async take(x) { return typeof x; }`),
    drive: async (env) => ({
      asArg: await outcome(() => env.DO.getByName("a").take(env.DO.idFromName("x"))),
      asString: await outcome(() => env.DO.getByName("a").take(env.DO.idFromName("x").toString())),
    }),
  },
];
