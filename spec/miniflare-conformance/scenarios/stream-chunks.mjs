// KV values given as a ReadableStream (one of JavaScript's, or a Response's body made from one):
// a string chunk is written as UTF-8, any view or ArrayBuffer as its bytes; any other chunk (a
// number, an object, null) fails the put with "Draining read encountered a value that cannot be
// converted to bytes", and nothing is stored. An R2 put takes a stream of known length only
// (a difference durasim declares: README, R2 buckets), so such chunks reach it through a
// FixedLengthStream, whose writable refuses them.
export default [
  {
    name: "stream values: KV and R2 put a stream's chunks as bytes; KV refuses another chunk in the runtime's words",
    drive: async (env) => {
      const kinds = {
        string: () => "a",
        uint16: () => new Uint16Array([0x4241]),
        dataView: () => new DataView(new Uint8Array([65]).buffer),
        arrayBuffer: () => new Uint8Array([65]).buffer,
        number: () => 5,
        object: () => ({ a: 1 }),
        nullChunk: () => null,
      };
      const stream = (make) => new ReadableStream({ start(c) { c.enqueue(new Uint8Array([48])); c.enqueue(make()); c.close(); } });
      const out = {};
      for (const [kind, make] of Object.entries(kinds)) {
        out["kv " + kind] = await outcome(() => env.KV.put(kind, stream(make)));
        out["kv " + kind + " stored"] = await outcome(() => env.KV.get(kind));
        out["kv " + kind + " response body"] = await outcome(async () => [await env.KV.put(kind + "-body", new Response(stream(make)).body), await env.KV.get(kind + "-body")]);
        out["r2 " + kind + " piped"] = await outcome(async () => {
          const fixed = new FixedLengthStream(2);
          stream(make).pipeTo(fixed.writable).catch(() => undefined);
          return (await env.BUCKET.put(kind + "-piped", fixed.readable))?.size;
        });
        out["r2 " + kind + " piped stored"] = await outcome(async () => (await env.BUCKET.get(kind + "-piped"))?.text() ?? null);
      }
      return out;
    },
  },
];
