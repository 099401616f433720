// The rate limiting binding (env.LIMITER.limit({ key })): counting per key up to the limit,
// namespaces shared by two bindings and kept apart, a call's own limit and period, the one
// window a namespace keeps across periods, bad options and what limit() resolves to. Every
// scenario first waits out a window about to end (freshWindow), so its calls share one window.
export default [
  {
    name: "ratelimit: counts each key up to the limit",
    drive: async (env) => {
      await freshWindow(60);
      const calls = async (options, times) => {
        const seen = [];
        for (let i = 0; i < times; i++) seen.push((await env.LIMITER.limit(options)).success);
        return seen;
      };
      return {
        a: await calls({ key: "a" }, 5),
        b: await calls({ key: "b" }, 2),
        aAgain: await calls({ key: "a" }, 1),
        // No key counts as the key "".
        noKey: await calls({}, 2),
        emptyKey: await calls({ key: "" }, 2),
        undefinedKey: await calls({ key: undefined }, 1),
      };
    },
  },
  {
    name: "ratelimit: bindings to one namespace share counts, another namespace counts apart",
    drive: async (env) => {
      await freshWindow(60);
      const out = { first: [], same: [], other: [] };
      for (let i = 0; i < 3; i++) out.first.push((await env.LIMITER.limit({ key: "k", period: 60 })).success);
      // LIMITER_SAME's own limit (5) applies to the shared count; its period is given as LIMITER's.
      for (let i = 0; i < 3; i++) out.same.push((await env.LIMITER_SAME.limit({ key: "k", period: 60 })).success);
      for (let i = 0; i < 2; i++) out.other.push((await env.OTHER_LIMITER.limit({ key: "k" })).success);
      return out;
    },
  },
  {
    name: "ratelimit: a call's limit and period, and the one window a namespace keeps",
    drive: async (env) => {
      await freshWindow(60);
      await freshWindow(10);
      const take = async (binding, options) => (await env[binding].limit(options)).success;
      const out = {};
      out.ownLimit = [await take("LIMITER", { key: "x", limit: 1 }), await take("LIMITER", { key: "x", limit: 1 }), await take("LIMITER", { key: "x", limit: 2 }), await take("LIMITER", { key: "x" })];
      out.zeroLimit = await take("LIMITER", { key: "zero", limit: 0 });
      out.negativeLimit = await take("LIMITER", { key: "neg", limit: -1 });
      out.nanLimit = [await take("LIMITER", { key: "nan", limit: NaN }), await take("LIMITER", { key: "nan", limit: NaN })];
      out.infiniteLimit = [await take("LIMITER", { key: "inf", limit: Infinity }), await take("LIMITER", { key: "-inf", limit: -Infinity })];
      out.fractionLimit = [await take("LIMITER", { key: "half", limit: 1.5 }), await take("LIMITER", { key: "half", limit: 1.5 }), await take("LIMITER", { key: "half", limit: 1.5 })];
      // A 10 s call starts another window: the namespace forgets the 60 s window's counts, and back.
      out.before = await take("LIMITER", { key: "y", limit: 1 });
      out.tenSeconds = [await take("LIMITER", { key: "y", limit: 1, period: 10 }), await take("LIMITER", { key: "y", limit: 1, period: 10 })];
      out.sixtyAgain = await take("LIMITER", { key: "y", limit: 1 });
      out.sameBindingOwnPeriod = [await take("LIMITER_SAME", { key: "z" }), await take("LIMITER", { key: "z" })];
      return out;
    },
  },
  {
    name: "ratelimit: bad options reject with Miniflare's messages",
    drive: async (env) => {
      await freshWindow(60);
      const L = env.LIMITER;
      const out = {};
      const cases = {
        none: () => L.limit(),
        nullOptions: () => L.limit(null),
        string: () => L.limit("key"),
        number: () => L.limit(5),
        unknown: () => L.limit({ key: "k", cost: 1, tokens: 2 }),
        unknownFirst: () => L.limit({ nope: 1, key: 7 }),
        numberKey: () => L.limit({ key: 7 }),
        objectKey: () => L.limit({ key: {} }),
        nullKey: () => L.limit({ key: null }),
        symbolKey: () => L.limit({ key: Symbol("s") }),
        stringLimit: () => L.limit({ limit: "5" }),
        nullLimit: () => L.limit({ limit: null }),
        stringPeriod: () => L.limit({ period: "60" }),
        period30: () => L.limit({ period: 30 }),
        period0: () => L.limit({ period: 0 }),
        keyBeforeLimit: () => L.limit({ key: 1, limit: "x", period: 30 }),
        limitBeforePeriod: () => L.limit({ limit: "x", period: 30 }),
      };
      for (const [name, call] of Object.entries(cases)) out[name] = await thrownHow(call);
      // An array has no own keys beyond its indices: an empty one is no options at all.
      out.emptyArray = await outcome(() => L.limit([]));
      out.countedNothing = (await L.limit({ key: "k" })).success;
      return out;
    },
  },
  {
    name: "ratelimit: what limit() resolves to",
    differs:
      "Miniflare's binding object is its own class's instance, carrying its internals (fetcher, limitVal, period) as own properties; durasim's keeps them private, leaving only limit() on the prototype, the API production documents",
    drive: async (env) => {
      await freshWindow(60);
      const result = await env.LIMITER.limit({ key: "shape" });
      const promise = env.LIMITER.limit({ key: "shape2" });
      await promise;
      return {
        keys: Object.keys(result),
        plain: Object.getPrototypeOf(result) === Object.prototype,
        success: result.success,
        promise: Object.prototype.toString.call(promise),
        own: Object.getOwnPropertyNames(env.LIMITER),
        method: typeof env.LIMITER.limit,
      };
    },
  },
];
