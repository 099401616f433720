// Cache API (caches.default, caches.open()): put() refusals, what is stored and for how long,
// conditional and range matches, delete, ignoreMethod, separate named caches. Every scenario
// uses URLs (and cache names) of its own: on Miniflare's side all scenarios share one cache.
export default [
  {
    name: "cache: put then match and delete",
    drive: async () => {
      const url = "https://cache.test/basic/a";
      const put = await outcome(() => caches.default.put(url, new Response("hello", { headers: { "cache-control": "max-age=60", "x-custom": "1" } })));
      const hit = await cached(await caches.default.match(url));
      const again = await cached(await caches.default.match(new Request(url)));
      const other = await cached(await caches.default.match("https://cache.test/basic/b"));
      const deleted = await outcome(() => caches.default.delete(url));
      const deletedAgain = await outcome(() => caches.default.delete(url));
      const after = await cached(await caches.default.match(url));
      return { put, hit, again, other, deleted, deletedAgain, after };
    },
  },
  {
    name: "cache: put refusals",
    drive: async () => {
      const base = "https://cache.test/refuse/";
      const ok = () => new Response("x", { headers: { "cache-control": "max-age=60" } });
      const out = {};
      out.post = await outcome(() => caches.default.put(new Request(base + "post", { method: "POST" }), ok()));
      out.head = await outcome(() => caches.default.put(new Request(base + "head", { method: "HEAD" }), ok()));
      out.partial = await outcome(() => caches.default.put(base + "partial", new Response("x", { status: 206, headers: { "cache-control": "max-age=60" } })));
      out.varyStar = await outcome(() => caches.default.put(base + "vary", new Response("x", { headers: { vary: "Accept, *", "cache-control": "max-age=60" } })));
      out.varyHeader = await outcome(() => caches.default.put(base + "vary2", new Response("x", { headers: { vary: "Accept", "cache-control": "max-age=60" } })));
      const used = ok();
      await used.text();
      out.usedBody = await outcome(() => caches.default.put(base + "used", used));
      out.notModified = await outcome(() => caches.default.put(base + "304", new Response(null, { status: 304 })));
      out.noArgs = await outcome(() => caches.default.put());
      out.noResponse = await outcome(() => caches.default.put(base + "nothing"));
      out.notResponse = await outcome(() => caches.default.put(base + "plain", "text"));
      out.badUrl = await outcome(() => caches.default.put("not a url", ok()));
      out.badUrlAndNotResponse = await outcome(() => caches.default.put("not a url", "text"));
      out.badUrl2 = await outcome(() => caches.default.put(new Request("https://cache.test/x", { method: "POST" }), new Response("x", { status: 206 })));
      out.ordering = await outcome(() => caches.default.put(base + "order", new Response("x", { status: 206, headers: { vary: "*" } })));
      const how = (f) => { try { const p = f(); p.catch(() => {}); return "returned " + Object.prototype.toString.call(p); } catch (e) { return "threw " + e.message; } };
      out.sync = { method: how(() => caches.default.put(new Request(base + "s", { method: "POST" }), ok())), args: how(() => caches.default.put()), url: how(() => caches.default.put("nope", ok())), matchArgs: how(() => caches.default.match()), deleteArgs: how(() => caches.default.delete()), openArgs: how(() => caches.open()) };
      const consumed = ok();
      await caches.default.put(base + "consumed", consumed);
      out.bodyUsedAfterPut = consumed.bodyUsed;
      const refused = new Response(null, { status: 304 });
      await caches.default.put(base + "304b", refused);
      const unkept = new Response("x", { status: 500 });
      await caches.default.put(base + "500", unkept);
      out.bodyUsedAfterDiscard = { notModified: refused.bodyUsed, unkept: unkept.bodyUsed };
      out.authorized = await cached(await (async () => { await caches.default.put(new Request(base + "auth", { headers: { authorization: "x" } }), ok()); return caches.default.match(base + "auth"); })());
      out.authorizedPublic = await cached(await (async () => { await caches.default.put(new Request(base + "auth2", { headers: { authorization: "x" } }), new Response("p", { headers: { "cache-control": "public, max-age=60" } })); return caches.default.match(base + "auth2"); })());
      out.nullBody = await cached(await (async () => { await caches.default.put(base + "null", new Response(null, { headers: { "cache-control": "max-age=60" } })); return caches.default.match(base + "null"); })());
      out.fineText = await cached(await (async () => { await caches.default.put(base + "fine", new Response("f", { statusText: "Fine", headers: { "cache-control": "max-age=60" } })); return caches.default.match(base + "fine"); })());
      out.immutableHeaders = await outcome(async () => { const r = await caches.default.match(base + "fine"); r.headers.set("x", "y"); return r.headers.get("x"); });
      out.ownLength = await cached(await (async () => { await caches.default.put(base + "len", new Response("abc", { headers: { "cache-control": "max-age=60", "content-length": "3" } })); return caches.default.match(base + "len"); })());
      out.matched = {};
      for (const k of ["post", "head", "partial", "vary", "vary2", "used", "304"]) out.matched[k] = await cached(await caches.default.match(base + k));
      return out;
    },
  },
  {
    name: "cache: which responses are stored",
    drive: async () => {
      const base = "https://cache.test/storable/";
      const cases = {
        none: {},
        maxAge: { "cache-control": "max-age=60" },
        maxAgeZero: { "cache-control": "max-age=0" },
        sMaxage: { "cache-control": "s-maxage=60" },
        noStore: { "cache-control": "no-store" },
        noCache: { "cache-control": "no-cache" },
        private: { "cache-control": "private, max-age=60" },
        public: { "cache-control": "public" },
        expiresFuture: { expires: new Date(Date.now() + 30_000).toUTCString() },
        immutable: { "cache-control": "immutable" },
        quoted: { "cache-control": 'max-age="60"' },
        staleWhile: { "cache-control": "max-age=0, stale-while-revalidate=30" },
        warning: { "cache-control": "max-age=60", warning: '110 - "stale", 299 - "misc"' },
        dateHeader: { "cache-control": "max-age=60", date: "Thu, 01 Jan 2015 00:00:00 GMT" },
        expiresPast: { expires: "Thu, 01 Jan 2015 00:00:00 GMT" },
        pragma: { pragma: "no-cache" },
        setCookie: { "set-cookie": "a=b", "cache-control": "max-age=60" },
        setCookiePrivate: { "set-cookie": "a=b", "cache-control": "private=set-cookie, max-age=60" },
        setCookiePublic: { "set-cookie": "a=b", "cache-control": "public, max-age=60" },
        lastModified: { "last-modified": "Thu, 01 Jan 2015 00:00:00 GMT" },
        upperCase: { "Cache-Control": "MAX-AGE=60" },
        age: { "cache-control": "max-age=60", age: "10" },
        hopByHop: { "cache-control": "max-age=60", connection: "close", "keep-alive": "timeout=5", trailer: "x", upgrade: "y" },
      };
      const out = {};
      for (const [k, headers] of Object.entries(cases)) {
        const put = await outcome(() => caches.default.put(base + k, new Response("body-" + k, { headers })));
        out[k] = { put, match: await cached(await caches.default.match(base + k)) };
      }
      for (const status of [200, 203, 204, 301, 302, 404, 410, 500, 503]) {
        const url = base + "status" + status;
        const body = status === 204 ? null : "s";
        const put = await outcome(() => caches.default.put(url, new Response(body, { status })));
        const putMaxAge = await outcome(() => caches.default.put(url + "m", new Response(body, { status, headers: { "cache-control": "max-age=60" } })));
        out["status" + status] = { put, match: await cached(await caches.default.match(url)), putMaxAge, matchMaxAge: await cached(await caches.default.match(url + "m")) };
      }
      return out;
    },
  },
  {
    name: "cache: conditional matches",
    drive: async () => {
      const url = "https://cache.test/cond/a";
      await caches.default.put(url, new Response("etagged", { headers: { etag: '"abc"', "last-modified": "Wed, 21 Oct 2015 07:28:00 GMT", "cache-control": "max-age=60" } }));
      const out = {};
      const ask = async (headers) => cached(await caches.default.match(new Request(url, { headers })));
      out.ifNoneMatch = await ask({ "if-none-match": '"abc"' });
      out.ifNoneMatchWeak = await ask({ "if-none-match": 'W/"abc"' });
      out.ifNoneMatchList = await ask({ "if-none-match": '"x", "abc"' });
      out.ifNoneMatchStar = await ask({ "if-none-match": "*" });
      out.ifNoneMatchOther = await ask({ "if-none-match": '"other"' });
      out.ifModifiedSinceLater = await ask({ "if-modified-since": "Thu, 22 Oct 2015 07:28:00 GMT" });
      out.ifModifiedSinceSame = await ask({ "if-modified-since": "Wed, 21 Oct 2015 07:28:00 GMT" });
      out.ifModifiedSinceEarlier = await ask({ "if-modified-since": "Tue, 20 Oct 2015 07:28:00 GMT" });
      out.ifModifiedSinceBad = await ask({ "if-modified-since": "yesterday" });
      await caches.default.put(url + "w", new Response("weak", { headers: { etag: 'W/"w1"', "cache-control": "max-age=60" } }));
      out.weakStored = cached(await caches.default.match(new Request(url + "w", { headers: { "if-none-match": '"w1"' } })));
      out.weakStored = await out.weakStored;
      return out;
    },
  },
  {
    name: "cache: range matches",
    drive: async () => {
      const url = "https://cache.test/range/a";
      await caches.default.put(url, new Response("0123456789", { headers: { "content-type": "text/plain", "cache-control": "max-age=60" } }));
      const out = {};
      const ask = async (range) => cached(await caches.default.match(new Request(url, { headers: { range } })));
      out.first = await ask("bytes=0-3");
      out.suffix = await ask("bytes=-3");
      out.open = await ask("bytes=7-");
      out.beyond = await ask("bytes=5-100");
      out.unsatisfiable = await ask("bytes=20-30");
      out.malformed = await ask("bytes=abc");
      out.otherUnit = await ask("items=0-1");
      out.empty = await ask("bytes=");
      out.zeroSuffix = await ask("bytes=-0");
      out.bigSuffix = await ask("bytes=-50");
      out.rangeAndEtag = await cached(await caches.default.match(new Request(url, { headers: { range: "bytes=0-1", "if-none-match": "*" } })));
      await caches.default.put(url + "e", new Response("0123", { headers: { etag: '"e"', "cache-control": "max-age=60" } }));
      out.rangeAndNoneMatch = await cached(await caches.default.match(new Request(url + "e", { headers: { range: "bytes=9-", "if-none-match": '"e"' } })));
      out.rangeMatchingEtag = await cached(await caches.default.match(new Request(url + "e", { headers: { range: "bytes=0-1", "if-none-match": '"e"' } })));
      out.multi = await (async () => {
        const res = await caches.default.match(new Request(url, { headers: { range: "bytes=0-1, 4-5" } }));
        if (!res) return show(res);
        const type = res.headers.get("content-type") ?? "";
        const boundary = type.split("boundary=")[1];
        const body = await res.text();
        return { status: res.status, type: type.replace(boundary, "<b>"), length: res.headers.get("content-length"), range: res.headers.get("content-range"), body: boundary ? body.split(boundary).join("<b>") : body };
      })();
      return out;
    },
  },
  {
    name: "cache: ignoreMethod and non-GET lookups",
    drive: async () => {
      const url = "https://cache.test/method/a";
      await caches.default.put(url, new Response("m", { headers: { "cache-control": "max-age=60" } }));
      const post = new Request(url, { method: "POST" });
      const out = {};
      out.matchPost = await cached(await caches.default.match(post));
      out.matchPostIgnore = await cached(await caches.default.match(post, { ignoreMethod: true }));
      out.matchHead = await cached(await caches.default.match(new Request(url, { method: "HEAD" })));
      out.matchHeadIgnore = await cached(await caches.default.match(new Request(url, { method: "HEAD" }), { ignoreMethod: true }));
      out.deletePost = await outcome(() => caches.default.delete(post));
      out.stillThere = (await caches.default.match(url)) !== undefined;
      out.deletePostIgnore = await outcome(() => caches.default.delete(post, { ignoreMethod: true }));
      out.gone = (await caches.default.match(url)) === undefined;
      return out;
    },
  },
  {
    name: "cache: named caches are separate",
    drive: async () => {
      const url = "https://cache.test/named/a";
      const one = await caches.open("named-one");
      const two = await caches.open("named-two");
      const oneAgain = await caches.open("named-one");
      await one.put(url, new Response("in one", { headers: { "cache-control": "max-age=60" } }));
      const out = {};
      out.shape = { isCache: one instanceof Cache, sameObject: one === oneAgain, defaultIsCache: caches.default instanceof Cache };
      out.one = await cached(await one.match(url));
      out.oneAgain = await cached(await oneAgain.match(url));
      out.two = await cached(await two.match(url));
      out.default = await cached(await caches.default.match(url));
      await caches.default.put(url, new Response("in default", { headers: { "cache-control": "max-age=60" } }));
      out.defaultAfter = await cached(await caches.default.match(url));
      out.oneAfter = await cached(await one.match(url));
      out.openDefault = await cached(await (await caches.open("default")).match(url));
      out.openEmpty = await outcome(async () => cached(await (await caches.open("")).match(url)));
      out.openLong = await outcome(() => caches.open("x".repeat(2000)).then(() => "opened"));
      out.openMax = await outcome(() => caches.open("x".repeat(1024)).then(() => "opened"));
      out.openUnder = await outcome(() => caches.open("x".repeat(1023)).then(() => "opened"));
      out.openNumber = await outcome(() => caches.open(5).then((c) => c instanceof Cache));
      out.openNoName = await outcome(() => caches.open().then(() => "opened"));
      return out;
    },
  },
  {
    name: "cache: overwrite, bodies and headers kept",
    drive: async () => {
      const url = "https://cache.test/overwrite/a";
      await caches.default.put(url, new Response("first", { headers: { "cache-control": "max-age=60" } }));
      await caches.default.put(url, new Response("second", { status: 201, statusText: "Made", headers: { "cache-control": "max-age=60", "content-type": "text/x", "x-multi": "a" } }));
      const out = {};
      out.match = await cached(await caches.default.match(url));
      const bytes = new Uint8Array([0, 1, 2, 255]);
      await caches.default.put(url + "bin", new Response(bytes, { headers: { "cache-control": "max-age=60" } }));
      const bin = await caches.default.match(url + "bin");
      out.binary = hex(new Uint8Array(await bin.arrayBuffer()));
      await caches.default.put(url + "stream", new Response(new Blob(["str", "eam"]).stream(), { headers: { "cache-control": "max-age=60" } }));
      out.stream = await cached(await caches.default.match(url + "stream"));
      await caches.default.put(url + "empty", new Response("", { headers: { "cache-control": "max-age=60" } }));
      out.empty = await cached(await caches.default.match(url + "empty"));
      out.twice = { a: (await caches.default.match(url)) !== (await caches.default.match(url)) };
      await caches.default.put(new Request(url + "q?x=1"), new Response("query", { headers: { "cache-control": "max-age=60" } }));
      out.query = await cached(await caches.default.match(url + "q?x=1"));
      out.queryOther = await cached(await caches.default.match(url + "q?x=2"));
      out.hash = await cached(await caches.default.match(url + "q?x=1#frag"));
      return out;
    },
  },
  {
    name: "cache: entries expire",
    timeoutMs: 15_000,
    drive: async () => {
      const url = "https://cache.test/expire/";
      await caches.default.put(url + "short", new Response("short", { headers: { "cache-control": "max-age=1" } }));
      await caches.default.put(url + "s", new Response("s", { headers: { "cache-control": "max-age=60, s-maxage=1" } }));
      await caches.default.put(url + "long", new Response("long", { headers: { "cache-control": "max-age=60" } }));
      await caches.default.put(url + "aged", new Response("aged", { headers: { "cache-control": "max-age=2", age: "1" } }));
      const out = { before: {} };
      for (const k of ["short", "s", "long", "aged"]) out.before[k] = (await caches.default.match(url + k)) !== undefined;
      await sleep(1500);
      out.after = {};
      for (const k of ["short", "s", "long", "aged"]) out.after[k] = (await caches.default.match(url + k)) !== undefined;
      return out;
    },
  },
  {
    name: "cache: cf.cacheKey names the entry",
    drive: async () => {
      const base = "https://cache.test/cachekey/";
      const keyed = (url, cacheKey) => new Request(url, { cf: { cacheKey } });
      await caches.default.put(keyed(base + "a", "shared-key"), new Response("keyed", { headers: { "cache-control": "max-age=60" } }));
      const out = {};
      out.sameKeyOtherUrl = await cached(await caches.default.match(keyed(base + "b", "shared-key")));
      out.plainUrl = await cached(await caches.default.match(base + "a"));
      out.plainKeyAsUrl = await outcome(async () => cached(await caches.default.match("shared-key")));
      out.numberKey = await outcome(async () => { await caches.default.put(keyed(base + "n", 42), new Response("n", { headers: { "cache-control": "max-age=60" } })); return cached(await caches.default.match(keyed(base + "other", "42"))); });
      out.deleted = await caches.default.delete(keyed(base + "z", "shared-key"));
      out.after = await cached(await caches.default.match(keyed(base + "b", "shared-key")));
      return out;
    },
  },
  {
    name: "cache: class shapes",
    drive: async () => ({
      storage: protoShape(caches),
      cache: protoShape(caches.default),
      ownKeys: Object.keys(caches),
      unimplemented: {
        add: await outcome(() => caches.default.add("https://cache.test/x")),
        keys: await outcome(() => caches.default.keys()),
        has: await outcome(() => caches.has("x")),
      },
    }),
  },
];
