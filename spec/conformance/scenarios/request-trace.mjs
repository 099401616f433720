// The method TRACE, which the runtime knows and sends (Node's fetch standard forbids it, with
// CONNECT and TRACK, which the runtime refuses as methods it does not know): a Request made with
// it, its copies and clones, and one sent to a Durable Object, with and without a body (a global
// fetch() sends it too: spec/runtime/request-response-init.spec.ts).
import { inside } from "../scenario.mjs";

const trace = (name, body) => ({
  ...inside(`request trace: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
${body}`),
});

const echo = (s) => ({ ...s, source: s.source.replace("  async go() {", "  async fetch(req) { const clone = req.clone(); const copy = new Request(clone); return Response.json({ method: req.method, clone: clone.method, copy: copy.method, body: await req.text(), copied: await copy.text() }); }\n  async go() {") });

export default [
  echo(trace("made, copied, cloned and sent to a Durable Object", `
    const stub = this.env.DO.getByName("echo");
    const made = (m) => t(() => { const r = new Request("http://x/", { method: m }); return [r.method, r.clone().method, new Request(r).method, new Request(r, { method: "POST" }).method, new Request("http://y/", r).method]; });
    return {
      trace: made("TRACE"),
      lower: made("trace"),
      mixed: made("TrAcE"),
      refused: ["CONNECT", "connect", "TRACK", "track"].map(made),
      withBody: await a(async () => { const r = new Request("http://x/", { method: "TRACE", body: "b" }); return [r.method, await r.text()]; }),
      copyOfPost: t(() => new Request(new Request("http://x/", { method: "POST" }), { method: "trace" }).method),
      sent: await a(async () => (await stub.fetch("http://x/", { method: "trace" })).json()),
      sentWithBody: await a(async () => (await stub.fetch("http://x/", { method: "TRACE", body: "hello" })).json()),
      sentRequest: await a(async () => (await stub.fetch(new Request("http://x/", { method: "TRACE", body: "req" }))).json()),
    };`)),
];
