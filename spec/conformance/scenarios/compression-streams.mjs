// CompressionStream and DecompressionStream as Worker code sees them: their constructors'
// conversions and refusals, their shape (a TransformStream, its members), the chunks they take
// and give, and how each format reports bad, incomplete or trailing input on every side (the
// write, the writer's ready, closed and close(), the readable side).
import { inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`compression streams: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    // A promise still pending after a second is a fact of its own (a shorter wait misread a slow
    // machine in CI as a pending promise).
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(1000).then(() => ["pending"])]);
    const FORMATS = ["gzip", "deflate", "deflate-raw"];
    const bytes = (...b) => new Uint8Array(b);
    const concat = (parts) => { const n = parts.reduce((s, p) => s + p.byteLength, 0); const o = new Uint8Array(n); let i = 0; for (const p of parts) { o.set(p, i); i += p.byteLength; } return o; };
    const compress = async (format, data) => new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer());
    // Writes each chunk (reading all the while), then closes; every promise's outcome, and whether
    // the readable side's error is the very one the writer reports.
    const drive = async (ts, chunks, { close = true, writer = (writable) => writable.getWriter() } = {}) => {
      const w = writer(ts.writable); const rd = ts.readable.getReader();
      let readError;
      const reads = (async () => { const o = []; try { for (;;) { const x = await rd.read(); if (x.done) return ["done", o]; o.push(Object.prototype.toString.call(x.value).slice(8, -1) + ":" + (x.value?.byteLength ?? show(x.value))); } } catch (e) { readError = e; return ["error", err(e), o.length]; } })();
      const writes = [];
      let writeError;
      for (const c of chunks) { const p = w.write(c); p.catch((e) => { writeError ??= e; }); writes.push(await settle(p)); }
      let closeError;
      const closed = close ? await settle(w.close().catch((e) => { closeError = e; throw e; })) : "not closed";
      const r = await Promise.race([reads, sleep(1000).then(() => "pending")]);
      return { writes, closed, ready: await settle(w.ready), writerClosed: await settle(w.closed), reads: r, desired: w.desiredSize, sameError: [readError !== undefined && readError === writeError, readError !== undefined && readError === closeError] };
    };
${body}`, rest);

export default [
  probe("constructor arguments, calls without new", `
    const out = {};
    for (const C of [CompressionStream, DecompressionStream]) {
      out[C.name] = {
        none: t(() => new C()),
        undef: t(() => new C(undefined)),
        nul: t(() => new C(null)),
        unknown: t(() => new C("brotli")),
        upper: t(() => new C("GZIP")),
        spaced: t(() => new C(" gzip")),
        number: t(() => new C(5)),
        symbol: t(() => new C(Symbol("s"))),
        stringish: t(() => typeof new C({ toString() { return "deflate"; } })),
        boxed: t(() => typeof new C(new String("deflate-raw"))),
        extra: t(() => typeof new C("gzip", 1, 2)),
        call: t(() => C("gzip")),
        throwingToString: t(() => new C({ toString() { throw new RangeError("no string"); } })),
      };
    }
    return out;`),
  probe("shape: TransformStream, members, tag, length", `
    const out = {};
    for (const C of [CompressionStream, DecompressionStream]) {
      const p = C.prototype; const s = new C("gzip");
      const tag = Object.getOwnPropertyDescriptor(p, Symbol.toStringTag);
      out[C.name] = {
        instanceOfTransform: s instanceof TransformStream,
        instanceOfSelf: s instanceof C,
        protoParent: Object.getPrototypeOf(p) === TransformStream.prototype,
        ctorParent: Object.getPrototypeOf(C) === TransformStream,
        tag: Object.prototype.toString.call(s),
        tagDesc: tag && [tag.value, tag.writable, tag.enumerable, tag.configurable],
        names: Object.getOwnPropertyNames(p),
        keys: Object.keys(p),
        length: C.length,
        name: C.name,
        ctor: p.constructor === C,
        readable: Object.prototype.toString.call(s.readable),
        writable: Object.prototype.toString.call(s.writable),
        sameSides: s.readable === s.readable && s.writable === s.writable,
        readableFromTransform: t(() => Object.getOwnPropertyDescriptor(TransformStream.prototype, "readable").get.call(s) === s.readable),
        readableGetterOwn: Object.getOwnPropertyDescriptor(p, "readable") !== undefined,
        protoString: String(C).replace(/\\s+/g, " "),
        byob: await settle((async () => { const r = s.readable.getReader({ mode: "byob" }); const w = s.writable.getWriter(); w.write(bytes(1)); w.close(); return (await r.read(new Uint8Array(100))).value.constructor.name; })()),
      };
    }
    return out;`),
  probe("round trips of every format, output chunks", `
    const out = {};
    const text = "hello ".repeat(50);
    for (const f of FORMATS) {
      const c = await compress(f, text);
      out[f] = { size: c.byteLength, head: show(c.slice(0, 4)), back: await new Response(new Blob([c]).stream().pipeThrough(new DecompressionStream(f))).text() };
      out[f + " chunks"] = await drive(new CompressionStream(f), [new TextEncoder().encode("abc")]);
      out[f + " empty"] = await drive(new CompressionStream(f), []);
      out[f + " empty chunk"] = await drive(new CompressionStream(f), [new Uint8Array(0)]);
      out[f + " decompressed chunks"] = await drive(new DecompressionStream(f), [c]);
      out[f + " byte by byte"] = (await drive(new DecompressionStream(f), Array.from(c, (b) => bytes(b)))).reads[0];
    }
    return out;`),
  probe("chunk types each stream takes and refuses", `
    const out = {};
    const kinds = {
      arrayBuffer: () => new TextEncoder().encode("ab").buffer,
      uint8: () => new TextEncoder().encode("ab"),
      uint16: () => new Uint16Array([0x6261]),
      dataView: () => new DataView(new TextEncoder().encode("ab").buffer),
      subarray: () => new TextEncoder().encode("xaby").subarray(1, 3),
      shared: () => { const s = new SharedArrayBuffer(2); new Uint8Array(s).set([97, 98]); return s; },
      sharedView: () => { const s = new SharedArrayBuffer(2); new Uint8Array(s).set([97, 98]); return new Uint8Array(s); },
      string: () => "ab",
      number: () => 5,
      object: () => ({}),
      array: () => [97, 98],
      nul: () => null,
      undef: () => undefined,
      blob: () => new Blob(["ab"]),
    };
    for (const [k, make] of Object.entries(kinds)) {
      out["compress " + k] = await drive(new CompressionStream("deflate"), [make()]);
    }
    const deflated = await compress("deflate", "ab");
    out["decompress arrayBuffer"] = await drive(new DecompressionStream("deflate"), [deflated.slice().buffer]);
    out["decompress dataView"] = await drive(new DecompressionStream("deflate"), [new DataView(deflated.slice().buffer)]);
    out["decompress string"] = await drive(new DecompressionStream("deflate"), ["ab"]);
    out["decompress number"] = await drive(new DecompressionStream("deflate"), [1]);
    out["decompress shared"] = await drive(new DecompressionStream("deflate"), [(() => { const s = new SharedArrayBuffer(deflated.length); new Uint8Array(s).set(deflated); return s; })()]);
    out.writeNothing = await drive(new CompressionStream("gzip"), [undefined]);
    // Whether a write reads its chunk's bytes at once or later (the writer changes them after).
    for (const when of ["at once", "after a turn"]) {
      const c = await compress("deflate", "xyz"); const s = new DecompressionStream("deflate"); const w = s.writable.getWriter();
      if (when === "after a turn") await w.ready;
      const p = w.write(c); c.fill(0); const cp = w.close();
      out["changed " + when] = [await settle(p), await settle(cp), await settle(new Response(s.readable).text())];
    }
    { const c = new TextEncoder().encode("abc"); const s = new IdentityTransformStream(); const w = s.writable.getWriter(); w.write(c); w.write(c); c.fill(0x7a); w.close(); out.identityChanged = await settle(new Response(s.readable).text()); }
    return out;`),
  probe("bad data, incomplete data and trailing bytes of every format", `
    const out = {};
    for (const f of FORMATS) {
      const c = await compress(f, "some text to compress");
      out[f] = {
        garbage: await drive(new DecompressionStream(f), [bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)]),
        garbageUnclosed: await drive(new DecompressionStream(f), [bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)], { close: false }),
        garbageThenMore: await drive(new DecompressionStream(f), [bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), bytes(1)]),
        truncated: await drive(new DecompressionStream(f), [c.slice(0, c.length - 3)]),
        truncatedHeader: await drive(new DecompressionStream(f), [c.slice(0, 1)]),
        nothing: await drive(new DecompressionStream(f), []),
        emptyChunk: await drive(new DecompressionStream(f), [new Uint8Array(0)]),
        trailing: await drive(new DecompressionStream(f), [concat([c, bytes(1, 2, 3)])]),
        trailingChunk: await drive(new DecompressionStream(f), [c, bytes(1, 2, 3)]),
        trailingEmpty: await drive(new DecompressionStream(f), [c, new Uint8Array(0)]),
        twoMembers: await drive(new DecompressionStream(f), [concat([c, c])]),
        trailingBuffer: await drive(new DecompressionStream(f), [c.slice().buffer, bytes(0)]),
      };
      // Which of the errors the writer and the reader see are one object.
      { const s = new DecompressionStream(f); const w = s.writable.getWriter(); let re; const rp = s.readable.getReader().read().catch((e) => { re = e; }); let we; await w.write(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)).catch((e) => { we = e; }); let ce; await w.closed.catch((e) => { ce = e; }); await rp; out[f].identities = [we === re, ce === re, ce === we]; }
    }
    return out;`),
  probe("gzip headers and trailers: optional fields, checksums, flags", `
    const out = {};
    const raw = await compress("deflate-raw", "framed text");
    const gz = await compress("gzip", "framed text");
    const trailer = gz.slice(gz.length - 8);
    const crc16 = (b) => { let c = ~0 >>> 0; for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; } return (~c >>> 0) & 0xffff; };
    const member = (flags, fields, { method = 8, tail = trailer, hcrc } = {}) => {
      const head = concat([bytes(0x1f, 0x8b, method, flags, 0, 0, 0, 0, 0, 3), ...fields]);
      const check = flags & 2 ? (hcrc ?? crc16(head)) : undefined;
      return concat([head, ...(check === undefined ? [] : [bytes(check & 0xff, check >>> 8)]), raw, tail]);
    };
    const text = (s) => new TextEncoder().encode(s);
    const cases = {
      plain: member(0, []),
      name: member(8, [text("file.txt"), bytes(0)]),
      comment: member(16, [text("a comment"), bytes(0)]),
      extra: member(4, [bytes(4, 0, 1, 2, 3, 4)]),
      all: member(4 | 8 | 16 | 2, [bytes(2, 0, 9, 9), text("n"), bytes(0), text("c"), bytes(0)]),
      headerCrc: member(2, []),
      badHeaderCrc: member(2, [], { hcrc: 0x1234 }),
      reservedFlag: member(0x20, []),
      method7: member(0, [], { method: 7 }),
      badCrc: member(0, [], { tail: concat([bytes(trailer[0] ^ 1), trailer.slice(1)]) }),
      badLength: member(0, [], { tail: concat([trailer.slice(0, 4), bytes(trailer[4] + 1), trailer.slice(5)]) }),
      shortTrailer: member(0, [], { tail: trailer.slice(0, 5) }),
      badMagic: concat([bytes(0x1f, 0x8c), gz.slice(2)]),
      zeroPadding: concat([gz, bytes(0, 0, 0)]),
    };
    for (const [k, data] of Object.entries(cases)) {
      const whole = await drive(new DecompressionStream("gzip"), [data]);
      const split = await drive(new DecompressionStream("gzip"), Array.from(data, (b) => bytes(b)));
      out[k] = { whole: [whole.writes.map((w) => w[0] === "fulfilled" ? "ok" : w[1].message), whole.closed, whole.reads], split: [split.writes.filter((w) => w[0] !== "fulfilled").map((w) => w[1].message), split.closed, split.reads[0], split.reads[1]] };
    }
    return out;`),
  probe("large data, pipes, storage", `
    const out = {};
    const big = new Uint8Array(300000).map((_, i) => (i * 7919) % 251);
    for (const f of FORMATS) {
      const c = await compress(f, big);
      const back = new Uint8Array(await new Response(new Blob([c]).stream().pipeThrough(new DecompressionStream(f))).arrayBuffer());
      out[f] = [back.length, back.every((x, i) => x === big[i])];
    }
    // How output is cut into chunks: incompressible data, compressed and back.
    { let x = 1; const noise = new Uint8Array(200000).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24); const c = await compress("deflate", noise);
      out.compressChunks = (await drive(new CompressionStream("deflate"), [noise])).reads; out.decompressChunks = (await drive(new DecompressionStream("deflate"), [c])).reads; }
    out.pipedText = await new Response(new Response("piped " .repeat(10)).body.pipeThrough(new CompressionStream("deflate")).pipeThrough(new DecompressionStream("deflate"))).text();
    out.pipedGarbage = await settle(new Response(new Response("not compressed").body.pipeThrough(new DecompressionStream("deflate"))).text());
    out.pipedStrings = await settle(new Response(new ReadableStream({ start(c) { c.enqueue("ab"); c.enqueue("cd"); c.close(); } }).pipeThrough(new CompressionStream("gzip")).pipeThrough(new DecompressionStream("gzip"))).text());
    out.pipedNumbers = await settle(new Response(new ReadableStream({ start(c) { c.enqueue(1); c.close(); } }).pipeThrough(new CompressionStream("gzip"))).text().then((t) => t.length));
    out.stored = await settle(s.put("k", new CompressionStream("gzip")));
    out.storedD = await settle(s.put("k", new DecompressionStream("gzip")));
    out.cloned = t(() => structuredClone(new CompressionStream("gzip")));
    return out;`),
  probe("cancel, abort and closes of either side", `
    const out = {};
    for (const C of [CompressionStream, DecompressionStream]) {
      const r = {};
      { const s = new C("gzip"); r.cancelReadable = await settle(s.readable.cancel(new RangeError("why"))); const w = s.writable.getWriter(); r.writeAfterCancel = await settle(w.write(bytes(1))); r.closeAfterCancel = await settle(w.close()); r.closedAfterCancel = await settle(w.closed); }
      { const s = new C("gzip"); const w = s.writable.getWriter(); r.abort = await settle(w.abort(new RangeError("stop"))); r.readAfterAbort = await settle(s.readable.getReader().read()); r.writeAfterAbort = await settle(w.write(bytes(1))); }
      { const s = new C("gzip"); const w = s.writable.getWriter(); r.closeUnread = await settle(w.close()); r.writeAfterClose = await settle(w.write(bytes(1))); }
      { const s = new C("gzip"); const w = s.writable.getWriter(); r.writeUnread = await settle(w.write(new Uint8Array(100000))); r.desiredUnread = w.desiredSize; }
      { const s = new C("gzip"); const w = s.writable.getWriter(); r.writeSmallUnread = await settle(w.write(bytes(1))); r.desiredSmallUnread = w.desiredSize; r.readyInitially = await settle(w.ready); }
      out[C.name] = r;
    }
    { const s = new IdentityTransformStream(); const w = s.writable.getWriter(); await settle(w.abort(new RangeError("stop"))); out.identityAfterAbort = [await settle(w.write(bytes(1))), await settle(w.ready), w.desiredSize, await settle(w.closed)]; }
    // The readable side cancelled while a write is still being compressed: that write, a later
    // one, the close and the writer's promises.
    for (const C of [CompressionStream, DecompressionStream]) {
      for (const size of [1, 1 << 20]) {
        const s = new C("gzip"); const w = s.writable.getWriter();
        const data = C === CompressionStream ? new Uint8Array(size).map((_, i) => (i * 7919) % 251) : await compress("gzip", new Uint8Array(size).map((_, i) => (i * 7919) % 251));
        // Started: the sink has the write when the cancel comes.
        await w.ready;
        const pending = settle(w.write(data)); const cancelled = settle(s.readable.cancel(new RangeError("why")));
        out[C.name + " cancel during a write of " + size] = [await pending, await cancelled, await settle(w.write(bytes(1))), await settle(w.close()), await settle(w.closed), w.desiredSize];
      }
    }
    return out;`),
  probe("the byte streams' chunks, through getWriter() and a constructed writer", `
    const out = {};
    const shared = () => { const s = new SharedArrayBuffer(2); new Uint8Array(s).set([97, 98]); return s; };
    const kinds = { undef: () => undefined, shared, sharedView: () => new Uint8Array(shared()), number: () => 5, nul: () => null, string: () => "ab" };
    const streams = { identity: () => new IdentityTransformStream(), fixed: () => new FixedLengthStream(2), gzip: () => new CompressionStream("gzip") };
    const writers = { getWriter: (writable) => writable.getWriter(), constructed: (writable) => new WritableStreamDefaultWriter(writable) };
    for (const [stream, make] of Object.entries(streams)) {
      for (const [how, writer] of Object.entries(writers)) {
        for (const [k, chunk] of Object.entries(kinds)) out[[stream, how, k].join(" ")] = await drive(make(), [chunk()], { writer });
        // undefined writes no bytes: a FixedLengthStream still wants its two.
        out[[stream, how, "undefined then bytes"].join(" ")] = await drive(make(), [undefined, "ab", undefined], { writer });
        // A chunk's bytes are read as it is written.
        { const c = new TextEncoder().encode("ab"); const s = make(); const w = writer(s.writable); w.write(c); c.fill(0x7a); w.close();
          const text = s instanceof CompressionStream ? new Response(s.readable.pipeThrough(new DecompressionStream("gzip"))).text() : new Response(s.readable).text();
          out[[stream, how, "changed after write"].join(" ")] = await settle(text); }
      }
    }
    // What a pipe writes: undefined, shared bytes, then a chunk a writer would refuse.
    for (const [stream, make] of Object.entries(streams)) {
      const s = make();
      const source = new ReadableStream({ start(c) { c.enqueue(undefined); c.enqueue(shared()); c.enqueue(5); c.close(); } });
      const reads = settle(new Response(s.readable).arrayBuffer().then((b) => b.byteLength));
      out[stream + " piped"] = [await settle(source.pipeTo(s.writable)), await reads];
    }
    return out;`),
];
