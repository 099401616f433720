// A Request's or a Response's body given as a ReadableStream: only bytes may come out of it
// (ArrayBuffers and views of them; a string, a number, a plain object or a SharedArrayBuffer
// fails the read with "This ReadableStream did not return bytes."), whatever reads it (text(),
// arrayBuffer(), json(), bytes(), blob(), formData()); pumped to another context (sent with
// stub.fetch(), a handler's Response carried back), a string is sent as UTF-8 and any other
// chunk that is no bytes fails the read in other words. formData() asks for a Content-Type first.
import { cls } from "../scenario.mjs";

const CHUNKS = `{
      string: () => "a",
      number: () => 5,
      object: () => ({ a: 1 }),
      arrayBuffer: () => new Uint8Array([65]).buffer,
      sharedArrayBuffer: () => { const s = new SharedArrayBuffer(1); new Uint8Array(s)[0] = 65; return s; },
      sharedView: () => { const s = new SharedArrayBuffer(1); new Uint8Array(s)[0] = 65; return new Uint8Array(s); },
      dataView: () => new DataView(new Uint8Array([65]).buffer),
      uint16: () => new Uint16Array([0x4241]),
    }`;

/** A scenario whose body runs in the object's go(); its fetch() answers by the path. */
const P = (name, body) => ({
  name,
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const kind = new URL(req.url).pathname.slice(1);
    if (kind === "echo") return new Response(await outcome(() => req.text()).then((o) => JSON.stringify(o)));
    const make = ${CHUNKS}[kind];
    return new Response(new ReadableStream({ start(c) { c.enqueue(make()); c.close(); } }));
  }
  async go() {
    const CHUNKS = ${CHUNKS};
    const stream = (make) => new ReadableStream({ start(c) { c.enqueue(make()); c.close(); } });
${body}
  }`),
  drive: async (env) => env.DO.getByName("a").go(),
});

export default [
  P("body chunks: a stream body's chunks must be bytes for every consumer of a Response and a Request (a string, number, object or SharedArrayBuffer fails the read in the runtime's words)", `
    const consumers = {
      text: (r) => r.text(),
      arrayBuffer: async (r) => hex(new Uint8Array(await r.arrayBuffer())),
      json: (r) => r.json(),
      bytes: async (r) => hex(await r.bytes()),
      blob: async (r) => (await r.blob()).size,
      formData: (r) => r.formData(),
    };
    const out = {};
    for (const [kind, make] of Object.entries(CHUNKS)) {
      for (const [name, read] of Object.entries(consumers)) {
        out[kind + " response " + name] = await outcome(() => read(new Response(stream(make))));
        out[kind + " request " + name] = await outcome(() => read(new Request("http://a/", { method: "POST", body: stream(make) })));
      }
    }
    out.noBodyFormData = await outcome(() => new Response(null).formData());
    out.typedFormData = await outcome(async () => [...(await new Response(stream(CHUNKS.arrayBuffer), { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData())]);
    out.typedStringFormData = await outcome(() => new Response(stream(CHUNKS.string), { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData());
    return out;`),
  P("body chunks: a stream body sent with stub.fetch(), and one a fetch handler's Response carries back, may have strings (as UTF-8); other chunks that are no bytes fail the read in other words", `
    const stub = this.env.DO.getByName("b");
    const out = {};
    for (const [kind, make] of Object.entries(CHUNKS)) {
      out[kind + " sent"] = await outcome(async () => (await stub.fetch("http://a/echo", { method: "POST", body: stream(make) })).text());
      out[kind + " returned"] = await outcome(async () => (await stub.fetch("http://a/" + kind)).text());
    }
    return out;`),
];
