// Requests and Responses that cross RPC: the receiver gets objects of its own (mutable headers, a
// Response without url, the body moved); the sender's keeps its headers and their guard and reads
// as used. An error Response stays one (its headers mutable, as they are locally, and not sent).
// A body still flowing when the object that sent it resets fails the reader: over RPC with the
// disconnection error, from a fetch() with the reset.
import { cls } from "../scenario.mjs";

const EXTRA = `function trySet(m, name = "x-set") { try { m.headers.set(name, "1"); return "ok"; } catch (e) { return e.message; } }
async function facts(m) {
  return { tag: Object.prototype.toString.call(m), bodyUsed: m.bodyUsed, locked: m.body === null ? null : m.body.locked, url: m.url, headers: [...m.headers], text: await outcome(() => m.text()) };
}`;

const source = cls(`  keep(m) { this.kept = m; return trySet(m, "x-receiver"); }
  async keptFacts() { return facts(this.kept); }
  make(kind) {
    this.made = kind === "request" ? new Request("http://made/", { method: "POST", body: "made body", headers: { "x-m": "1" } }) : new Response("made body", { headers: { "x-m": "1" } });
    return this.made;
  }
  async madeFacts() { return { set: trySet(this.made, "x-after"), ...(await facts(this.made)) }; }
  async fetch(req) {
    if (new URL(req.url).pathname === "/pass") {
      const before = trySet(req);
      const took = await this.env.DO.getByName("b").keep(req);
      return Response.json({ before, took, after: trySet(req), bodyUsed: req.bodyUsed });
    }
    return new Response("fetched", { headers: { "x-f": "1" } });
  }`, { extra: EXTRA });

export default [
  {
    name: "rpc: a Request or Response passed over RPC: the receiver's object is its own",
    backend: "sqlite",
    source,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      {
        const q = new Request("http://sent/", { method: "POST", body: "sent body", headers: { "x-a": "1" } });
        r.requestKeep = await outcome(() => s.keep(q));
        r.requestSenderAfter = { set: trySet(q, "x-sender"), ...(await facts(q)) };
        r.requestReceiver = await outcome(() => s.keptFacts());
      }
      {
        const q = new Request("http://sent/get", { headers: { "x-a": "1" } });
        r.getKeep = await outcome(() => s.keep(q));
        r.getSenderAfter = { set: trySet(q, "x-sender"), ...(await facts(q)) };
        r.getReceiver = await outcome(() => s.keptFacts());
      }
      {
        const p = new Response("sent body", { status: 201, headers: { "x-a": "1" } });
        r.responseKeep = await outcome(() => s.keep(p));
        r.responseSenderAfter = { set: trySet(p, "x-sender"), ...(await facts(p)) };
        r.responseReceiver = await outcome(() => s.keptFacts());
      }
      {
        const p = new Response(null, { status: 204, headers: { "x-a": "1" } });
        r.nullBodyKeep = await outcome(() => s.keep(p));
        r.nullBodySenderAfter = { set: trySet(p, "x-sender"), ...(await facts(p)) };
      }
      {
        const p = await s.fetch("http://do/");
        r.fetchedKeep = await outcome(() => s.keep(p));
        r.fetchedSenderAfter = { set: trySet(p, "x-sender"), ...(await facts(p)) };
        r.fetchedReceiver = await outcome(() => s.keptFacts());
      }
      for (const kind of ["request", "response"]) {
        r[kind + "Result"] = await outcome(async () => { const m = await s.make(kind); return { set: trySet(m, "x-caller"), ...(await facts(m)) }; });
        r[kind + "MakerAfter"] = await outcome(() => s.madeFacts());
      }
      r.handlerPasses = await outcome(async () => (await s.fetch("http://do/pass", { method: "POST", body: "passed" })).json());
      r.handlerPassedReceiver = await outcome(() => env.DO.getByName("b").keptFacts());
      return r;
    },
  },
  {
    name: "rpc: Response.error() (mutable headers) locally and over RPC; a null-body status refuses a stream unread",
    backend: "sqlite",
    source: cls(`  errorResponse() { return Response.error(); }
  keep(m) { return [m.status, m.type, trySet(m, "x-receiver"), [...m.headers]]; }
  local() {
    const e = Response.error();
    const s = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([1])); } });
    return { set: trySet(e), headers: [...e.headers], type: e.type, status: e.status, clone: outcomeSync(() => { const c = e.clone(); return [c.type, [...c.headers]]; }), cloneAfterSet: outcomeSync(() => [...e.clone().headers]),
      nullStatus: outcomeSync(() => new Response(s, { status: 204 })), lockedAfter: s.locked, again: outcomeSync(() => new Response(s).status) };
  }`, { extra: EXTRA }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const e = Response.error();
      return {
        local: await outcome(() => s.local()),
        driver: { set: trySet(e), type: e.type, headers: [...e.headers] },
        overRpc: await outcome(async () => { const x = await s.errorResponse(); return [x.status, x.type, trySet(x)]; }),
        asArg: await outcome(() => { const e = Response.error(); e.headers.set("x-sent", "1"); return s.keep(e); }),
      };
    },
  },
  {
    name: "rpc: a body stream in flight when the object that sent it resets",
    backend: "sqlite",
    source: cls(`  endless() { return new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("first")); } }); }
  endlessResponse() { return new Response(this.endless()); }
  fetch() { return new Response(this.endless()); }
  die() { this.ctx.abort(new Error("reset now")); }`, { extra: EXTRA }),
    drive: async (env) => {
      const read = async (body, name) => {
        const reader = body.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        try { await env.DO.getByName(name).die(); } catch {}
        const second = await Promise.race([reader.read().then((r) => ({ done: r.done }), (e) => ({ error: err(e) })), scheduler.wait(3000).then(() => "hangs")]);
        return { first, second };
      };
      return {
        stream: await outcome(async () => read(await env.DO.getByName("a").endless(), "a")),
        response: await outcome(async () => read((await env.DO.getByName("b").endlessResponse()).body, "b")),
        fetch: await outcome(async () => read((await env.DO.getByName("c").fetch("http://do/")).body, "c")),
      };
    },
  },
  {
    name: "rpc: a fetch() body its caller drops, when the object that sent it resets: how often its source is pulled",
    backend: "sqlite",
    source: cls(`  fetch() {
    globalThis.droppedBodyPulls = [];
    return new Response(new ReadableStream({ pull(c) { globalThis.droppedBodyPulls.push(globalThis.droppedBodyPulls.length); c.enqueue(new TextEncoder().encode("chunk")); } }));
  }
  die() { this.ctx.abort(new Error("reset now")); }
  pulls() { return globalThis.droppedBodyPulls.length; }`),
    drive: async (env) => {
      const response = await env.DO.getByName("a").fetch("http://do/");
      await scheduler.wait(50);
      const beforeReset = await env.DO.getByName("a").pulls();
      await outcome(() => env.DO.getByName("a").die());
      await scheduler.wait(100);
      return { status: response.status, beforeReset, afterReset: await env.DO.getByName("a").pulls() };
    },
  },
  {
    name: "rpc: a body stream an object passed as an argument, when that object resets",
    backend: "sqlite",
    source: cls(`  async give(kind) {
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("first")); } });
    const value = kind === "stream" ? body : kind === "response" ? new Response(body) : new Request("http://x/", { method: "POST", body });
    await this.env.DO.getByName("taker").take(value);
    return "given";
  }
  take(v) { this.kept = v instanceof ReadableStream ? v : v.body; this.reader = this.kept.getReader(); return this.reader.read().then((r) => new TextDecoder().decode(r.value)); }
  async second() { return Promise.race([this.reader.read().then((r) => ({ done: r.done }), (e) => ({ error: err(e) })), scheduler.wait(3000).then(() => "hangs")]); }
  die() { this.ctx.abort(new Error("giver reset")); }`),
    drive: async (env) => {
      const r = {};
      for (const kind of ["stream", "response", "request"]) {
        const giver = env.DO.getByName("giver-" + kind);
        r[kind] = { give: await outcome(() => giver.give(kind)) };
        await outcome(() => giver.die());
        r[kind].second = await outcome(() => env.DO.getByName("taker").second());
      }
      return r;
    },
  },
  {
    name: "rpc: Requests and Responses received over RPC, read and passed on (statusText, type, redirect mode)",
    backend: "sqlite",
    source: cls(`  plain() { return new Response("p", { status: 404 }); }
  texted() { return new Response("t", { status: 201, statusText: "" }); }
  redirectReq() { return new Request("http://r/", { redirect: "manual", method: "DELETE" }); }
  async fetch(req) {
    const p = new URL(req.url).pathname;
    if (p === "/relay") return await this.env.DO.getByName("src").plain();
    if (p === "/relayTexted") return await this.env.DO.getByName("src").texted();
    return new Response(req.method + " " + req.redirect);
  }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const facts = async (x) => [x.status, x.statusText, x.type, x.redirected, x.url, await x.text()];
      return {
        plain: await outcome(async () => facts(await s.plain())),
        texted: await outcome(async () => facts(await s.texted())),
        relayed: await outcome(async () => facts(await s.fetch("http://do/relay"))),
        relayedTexted: await outcome(async () => facts(await s.fetch("http://do/relayTexted"))),
        request: await outcome(async () => { const q = await s.redirectReq(); return [q.method, q.redirect, q.url]; }),
        refetched: await outcome(async () => (await s.fetch(await s.redirectReq())).text()),
      };
    },
  },
  {
    name: "rpc: FormData, Blob and URLSearchParams bodies over RPC; Headers keep their guard (immutable stays immutable)",
    backend: "sqlite",
    source: cls(`  async form(req) { const f = await req.formData(); return [req.headers.get("content-type").replace(/boundary=.*/, "B"), [...f].map(([k, v]) => [k, typeof v === "string" ? v : [v.name, v.size]])]; }
  headers(h) { try { h.set("x-r", "1"); return [...h]; } catch (e) { return e.message; } }
  blobResponse() { return new Response(new Blob(["blob body"], { type: "text/x" })); }
  async bytes(r) { return [r.headers.get("content-type"), await r.text()]; }
  async fetch(req) { if (new URL(req.url).pathname === "/pass") return Response.json(await this.env.DO.getByName("b").headers(req.headers)); return new Response("f", { headers: { "x-f": "1" } }); }
  redirectHeaders() { return Response.redirect("https://e.com/", 301).headers; }
  headersResult() { return new Headers({ a: "1" }); }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const form = new FormData();
      form.append("a", "1");
      form.append("f", new Blob(["xyz"]), "f.txt");
      const fetched = await s.fetch("http://do/");
      const blobRes = new Response(new Blob(["sent blob"], { type: "text/y" }));
      return {
        form: await outcome(() => s.form(new Request("http://do/", { method: "POST", body: form }))),
        fetchedHeaders: await outcome(() => s.headers(fetched.headers)),
        fetchedHeadersAfter: (() => { try { fetched.headers.set("x", "1"); return "ok"; } catch (e) { return e.message; } })(),
        requestHeaders: await outcome(async () => (await s.fetch("http://do/pass")).json()),
        redirectHeaders: await outcome(async () => s.headers(Response.redirect("https://e.com/", 302).headers)),
        redirectHeadersResult: await outcome(async () => { const h = await s.redirectHeaders(); try { h.set("x", "1"); return "ok"; } catch (e) { return e.message; } }),
        headersResult: await outcome(async () => { const h = await s.headersResult(); h.set("x", "1"); return [...h]; }),
        blobResult: await outcome(async () => { const r = await s.blobResponse(); return [r.headers.get("content-type"), await r.text()]; }),
        blobArg: await outcome(() => s.bytes(blobRes)),
        blobArgSender: [blobRes.bodyUsed],
        paramsArg: await outcome(() => s.bytes(new Response(new URLSearchParams("a=1")))),
      };
    },
  },
];
