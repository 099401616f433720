// Streams the runtime makes natively take one read at a time: three reads at once of such a
// stream's reader give the first and refuse the other two ("only supports a single pending read
// request"), even where bytes already wait; JavaScript streams (a constructed ReadableStream, a
// TransformStream, TextDecoderStream, a Response made from a constructed stream locally, a fetch()
// handler's request body) queue them. A read "pending" is one still waiting after 50 ms, where
// the stream has nothing more to give.
import { cls } from "../scenario.mjs";
const source = cls(`  async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname === "/echo") return Response.json(await three(req.body));
    if (u.pathname === "/plain") return new Response("abc");
    if (u.pathname === "/stream") return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("s")); c.close(); } }));
    return new Response("x");
  }
  rpcResponse() { return new Response("abc"); }
  async rpcRequest(req) { return three(req.body); }
  async local() {
    const enc = new TextEncoder();
    const r = {};
    r.response = await three(new Response("abc").body);
    r.responseBytes = await three(new Response(new Uint8Array([1,2,3])).body);
    r.request = await three(new Request("http://x/", { method: "POST", body: "abc" }).body);
    r.blob = await three(new Blob(["abc"]).stream());
    const its = new IdentityTransformStream(); const w = its.writable.getWriter(); w.write(enc.encode("ab")); w.write(enc.encode("cd"));
    r.identity = await three(its.readable);
    const its2 = new IdentityTransformStream();
    r.identityEmpty = await three(its2.readable, true);
    const fls = new FixedLengthStream(4); const w2 = fls.writable.getWriter(); w2.write(enc.encode("ab"));
    r.fixed = await three(fls.readable, true);
    r.userStream = await three(new ReadableStream({ pull(c) { c.enqueue(enc.encode("u")); } }));
    r.wrapped = await three(new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode("w")); c.close(); } })).body);
    const cl = new Response("abc"); const cl2 = cl.clone();
    r.clone = await three(cl2.body);
    r.cloneOrig = await three(cl.body);
    const ts = new TransformStream(); const w3 = ts.writable.getWriter(); w3.write(enc.encode("t"));
    r.transform = await three(ts.readable, true);
    r.compression = await three(new Response("abc").body.pipeThrough(new CompressionStream("gzip")));
    r.decompression = await three(new DecompressionStream("gzip").readable, true);
    r.textDecoder = await three(new Response("abc").body.pipeThrough(new TextDecoderStream()), true);
    r.byob = await threeByob(new Response("abc").body);
    const us = new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode("w")); c.close(); } })); const us2 = us.clone();
    r.userClone = await three(us2.body);
    r.json = await three(Response.json({a:1}).body);
    r.formRequest = await three(new Request("http://x/", { method: "POST", body: new URLSearchParams("a=1") }).body);
    r.seq = await seq(new Response("abc").body);
    r.afterRelease = await released(new Response("abc").body);
    return r;
  }`, { extra: `
async function settle(ps, timeout) {
  const t = timeout ? new Promise((res) => setTimeout(() => res("pending"), 50)) : null;
  return Promise.all(ps.map(async (p) => {
    try { const v = t ? await Promise.race([p, t]) : await p; if (v === "pending") return "pending"; return { done: v.done, n: v.value === undefined ? null : (typeof v.value === "string" ? v.value : v.value.byteLength) }; }
    catch (e) { return { error: err(e) }; }
  }));
}
async function three(body, timeout) {
  if (body === null) return "null";
  const reader = body.getReader();
  return settle([reader.read(), reader.read(), reader.read()], timeout);
}
async function threeByob(body) {
  const reader = body.getReader({ mode: "byob" });
  return settle([reader.read(new Uint8Array(1)), reader.read(new Uint8Array(1)), reader.read(new Uint8Array(1))], true);
}
async function seq(body) {
  const reader = body.getReader();
  const a = await reader.read(); const b = await reader.read();
  return [a.done, b.done];
}
async function released(body) {
  const reader = body.getReader();
  const p = reader.read();
  const q = reader.read();
  let e1; try { await q; } catch (e) { e1 = err(e); }
  const x = await p;
  return { first: x.done, second: e1 };
}
`});
// A body made from a runtime-made stream (new Response(body), new Request(request)) is one too,
// and so are the branches of a fetch() handler's request body (its clone), whose own reads queue.
const carriedSource = cls(`  async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname === "/fwd") return new Response(req.body);
    if (u.pathname === "/newreq") return Response.json(await three(new Request(req).body));
    if (u.pathname === "/clone") { const clone = req.clone(); return Response.json({ clone: await three(clone.body), own: await three(req.body) }); }
    return new Response("abc");
  }
  async local() {
    const r = {};
    r.respOfNative = await three(new Response(new Response("abc").body).body);
    r.reqOfNative = await three(new Request("http://x/", { method: "POST", body: new Response("abc").body }).body);
    r.reqOfReq = await three(new Request(new Request("http://x/", { method: "POST", body: "abc" })).body);
    r.reqOfReqInit = await three(new Request(new Request("http://x/", { method: "POST", body: "abc" }), { headers: { a: "b" } }).body);
    r.respOfBlob = await three(new Response(new Blob(["abc"])).body);
    r.fileStream = await three(new File(["abc"], "f").stream());
    return r;
  }`, { extra: `
async function three(body) {
  if (body === null) return "null";
  const reader = body.getReader();
  return Promise.all([reader.read(), reader.read(), reader.read()].map((p) => p.then((v) => v.done ? "done" : v.value.byteLength, (e) => err(e))));
}
`});
// A service's response is one too, and so are the branches of a Worker fetch() handler's
// request body; piping into the runtime's TransformStreams gives one, tee() of one gives two.
const WORKER_THREE = `async function three(body) {
  if (body === null) return "null";
  const reader = body.getReader();
  return Promise.all([reader.read(), reader.read(), reader.read()].map((p) => p.then((v) => v.done ? "done" : v.value.byteLength, (e) => err(e))));
}`;
export default [{
  name: "single reads: runtime-made streams refuse a second pending read", backend: "sqlite", source,
  drive: `async function drive(env) {
    const s = env.DO.getByName("a");
    const r = { local: await s.local() };
    r.handlerBody = await (await s.fetch("http://do/echo", { method: "POST", body: "abc" })).json();
    r.stubResponse = await three((await s.fetch("http://do/plain")).body);
    r.stubStream = await three((await s.fetch("http://do/stream")).body);
    r.rpcResponse = await three((await s.rpcResponse()).body);
    r.rpcRequest = await s.rpcRequest(new Request("http://x/", { method: "POST", body: "abc" }));
    r.driverResponse = await three(new Response("abc").body);
    return r;
  }`,
},
{
  name: "single reads: a Request or Response made from a runtime-made body, and a fetch() handler's request clone", backend: "sqlite", source: carriedSource,
  drive: `async function drive(env) {
    const s = env.DO.getByName("a");
    const r = { local: await s.local() };
    r.fwd = await three((await s.fetch("http://do/fwd", { method: "POST", body: "abc" })).body);
    r.newreq = await (await s.fetch("http://do/newreq", { method: "POST", body: "abc" })).json();
    r.clone = await (await s.fetch("http://do/clone", { method: "POST", body: "abc" })).json();
    return r;
  }`,
},
{
  name: "single reads: a service's response and a Worker handler's request clone; pipes, tee() and ReadableStream.from()", backend: "sqlite",
  source: `import { DurableObject } from "cloudflare:workers";\n${WORKER_THREE}\nexport class DO extends DurableObject {}`,
  workers: { other: { source: `${WORKER_THREE}`, entry: `{ async fetch(req) { const u = new URL(req.url); if (u.pathname === "/body") return Response.json(await three(req.body)); if (u.pathname === "/clone") return Response.json(await three(req.clone().body)); return new Response("abc"); } }` } },
  services: { SVC: "other" },
  drive: `async function drive(env) {
    const enc = new TextEncoder();
    const r = {};
    r.svcResponse = await three((await env.SVC.fetch("http://o/")).body);
    r.svcBody = await (await env.SVC.fetch("http://o/body", { method: "POST", body: "abc" })).json();
    r.svcClone = await (await env.SVC.fetch("http://o/clone", { method: "POST", body: "abc" })).json();
    r.throughIdentity = await three(new Response("abc").body.pipeThrough(new IdentityTransformStream()));
    r.throughFixed = await three(new Response("abc").body.pipeThrough(new FixedLengthStream(3)));
    r.from = await three(ReadableStream.from([enc.encode("a"), enc.encode("b")]));
    r.jsReq = await three(new Request("http://x/", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue(enc.encode("a")); c.close(); } }) }).body);
    const [a, b] = new Response("abc").body.tee();
    r.teeA = await three(a); r.teeB = await three(b);
    const [c, d] = new ReadableStream({ start(ctl) { ctl.enqueue(enc.encode("a")); ctl.close(); } }).tee();
    r.jsTee = await three(c);
    r.blobText = await three(new Response(await new Response("abc").blob()).body);
    return r;
  }`,
}
];
