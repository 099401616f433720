// Web streams probed past web-probe.mjs: writables closed or errored by any path
// (pipeTo, the stream's own close(), a writer the code constructed, a byte stream's writer),
// then written or closed; TransformStream's terminate() and its readableType / writableType;
// pipeTo into a closed destination; FormData, Blob and File constructor arguments; streams
// erroring while closing, the writer that asked a close writing while it is queued, pipes into
// errored or closing streams, and which closes end a stream at once.
import { inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`streams probe 2: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    // A promise still pending after 300 ms is a fact of its own.
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
    const bytes = (...chunks) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
${body}`, rest);

export default [
  probe("writables closed or errored by any path, then written and closed", `
    const out = {};
    // Each way to end a stream, and each way to get a writer of it afterwards.
    const ends = {
      pipe: async (s) => { await bytes("x").pipeTo(s); },
      streamClose: async (s) => { await s.close(); },
      // A close under way (the sink's close() still running), and one only queued behind a write.
      closing: async (s) => { s.close(); await sleep(5); },
      closeQueued: async (s) => { const w = s.getWriter(); w.write("slow"); w.close(); w.releaseLock(); },
      errored: async (s) => { await s.abort(new RangeError("stored")); },
    };
    const writers = { getWriter: (s) => s.getWriter(), constructed: (s) => new WritableStreamDefaultWriter(s) };
    for (const [end, finish] of Object.entries(ends)) {
      for (const [how, writerOf] of Object.entries(writers)) {
        out[end + " " + how] = await a(async () => {
          const s = new WritableStream({ write() { return sleep(30); }, close() { return sleep(50); } });
          await finish(s);
          const w = writerOf(s);
          return [await settle(w.write("a")), await settle(w.close()), await settle(w.closed), w.desiredSize];
        });
      }
    }
    { const s = new WritableStream({ close() { return sleep(50); } }); s.close(); await sleep(5); out.streamCloseClosing = await settle(s.close()); out.abortClosing = await settle(s.abort("r")); }
    { const s = new WritableStream(); await s.close(); const w = new WritableStreamDefaultWriter(s); const p1 = settle(w.write("a")); const p2 = settle(w.write("b")); out.twoWrites = [await p1, await p2]; }
    { const s = new WritableStream(); const w = new WritableStreamDefaultWriter(s); await w.close(); out.constructedClosedByWriter = [await settle(w.write("a")), await settle(w.close())]; }
    { let ctl; const s = new WritableStream({ start(c) { ctl = c; } }); await null; ctl.error(new SyntaxError("sink")); out.streamCloseErrored = await settle(s.close()); out.constructedErrored = await a(async () => { const w = new WritableStreamDefaultWriter(s); return [await settle(w.write(1)), await settle(w.close())]; }); }
    for (const Make of [IdentityTransformStream, TransformStream]) {
      out[Make.name + " pipe"] = await a(async () => { const ts = new Make(); const r = ts.readable.getReader(); const piped = bytes(new Uint8Array([1])).pipeTo(ts.writable); await r.read(); await r.read(); await piped; const w = ts.writable.getWriter(); return settle(w.write(new Uint8Array(1))); });
      out[Make.name + " constructed"] = await a(async () => { const ts = new Make(); ts.readable.getReader().read(); await ts.writable.close(); const w = new WritableStreamDefaultWriter(ts.writable); return settle(w.write(new Uint8Array(1))); });
      out[Make.name + " cancelled"] = await a(async () => { const ts = new Make(); await ts.readable.cancel(new RangeError("gone")); const w = ts.writable.getWriter(); return settle(w.write(new Uint8Array(1))); });
    }
    for (const [name, make] of [["identity", () => new IdentityTransformStream()], ["fixed", () => new FixedLengthStream(0)], ["gzip", () => new CompressionStream("gzip")]]) {
      out[name + " close closed"] = await a(async () => { const ts = make(); ts.readable.getReader().read(); await bytes().pipeTo(ts.writable); const streamClose = await settle(ts.writable.close()); const w = ts.writable.getWriter(); return [streamClose, await settle(w.close()), await settle(w.close()), await settle(w.write(new Uint8Array(1)))]; });
      // (A compression stream's is left out: on Node 24 its cancelled readable side leaves the writable one open a while.)
      if (name !== "gzip") out[name + " close cancelled"] = await a(async () => { const ts = make(); await ts.readable.cancel(new RangeError("gone")); const w = ts.writable.getWriter(); return [await settle(w.write(new Uint8Array(1))), await settle(w.close()), await settle(w.closed)]; });
    }
    return out;`),
  probe("TransformStream: terminate, readableType and writableType; pipeTo into a closed destination", `
    const out = {};
    { const ts = new TransformStream({ start(c) { c.terminate(); } }); const w = ts.writable.getWriter(); out.writeTerminated = await settle(w.write("a")); out.closeTerminated = await settle(w.close()); out.closedTerminated = await settle(w.closed); out.readTerminated = await settle(ts.readable.getReader().read()); }
    { let ctl; const ts = new TransformStream({ start(c) { ctl = c; } }); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const p = settle(w.write("a")); await r.read(); ctl.terminate(); out.writeAfterTerminate = [await p, await settle(w.write("b"))]; }
    { const ts = new TransformStream({ transform(x, c) { c.terminate(); } }); const w = ts.writable.getWriter(); out.terminateInTransform = [await settle(w.write("a")), await settle(w.write("b")), await settle(w.close())]; }
    { const ts = new TransformStream({ start(c) { c.terminate(); } }); out.pipeIntoTerminated = await settle(bytes("a").pipeTo(ts.writable)); }
    for (const key of ["readableType", "writableType"]) {
      for (const value of ["bytes", null, 0, undefined]) out[key + " " + show(value)] = t(() => new TransformStream({ [key]: value }) instanceof TransformStream);
    }
    out.bothTypes = t(() => new TransformStream({ readableType: "bytes", writableType: "bytes" }));
    { const s = new WritableStream(); await s.close(); const log = []; const src = new ReadableStream({ start(c) { c.enqueue(1); }, cancel(r) { log.push(err(r)); } }); out.pipeClosed = [await settle(src.pipeTo(s)), log]; }
    { const s = new WritableStream(); await s.close(); const log = []; const src = new ReadableStream({ cancel(r) { log.push(err(r)); } }); out.pipeClosedPreventCancel = [await settle(src.pipeTo(s, { preventCancel: true })), log, src.locked]; }
    return out;`),
  probe("FormData, Blob and File constructor arguments", `
    const out = {};
    for (const [name, arg] of [["object", {}], ["null", null], ["array", []], ["string", "x"], ["number", 1]]) out["FormData " + name] = t(() => { const f = new FormData(arg); return [...f.entries()].length; });
    for (const [name, arg] of [["string", "abc"], ["number", 1], ["object", {}], ["null", null], ["iterable object", { [Symbol.iterator]: function* () { yield "a"; } }], ["set", new Set(["a"])]]) out["Blob " + name] = t(() => new Blob(arg).size);
    out.blobBadOptions = t(() => new Blob([], 1));
    out.blobBadEndings = t(() => new Blob(["a"], { endings: "bad" }));
    for (const endings of ["transparent", "native", undefined, null]) out["blob endings " + show(endings)] = t(() => new Blob(["a\\n"], { endings }).size);
    for (const [name, options] of [["null", null], ["function", () => {}], ["string", "x"], ["array", []]]) out["blob options " + name] = t(() => new Blob(["a"], options).size);
    out.blobArrayLike = t(() => new Blob({ length: 1, 0: "a" }).size);
    out.blobUndefined = t(() => new Blob(undefined).size);
    out.blobArraySubclass = t(() => new Blob(new (class extends Array {})("a", "b")).size);
    out.blobTypedArray = t(() => new Blob(new Uint8Array([1, 2])).size);
    out.fileUndefinedBits = t(() => new File(undefined, "n").size);
    out.fileBadBitsNoName = t(() => new File("abc"));
    out.fileBadOptions = t(() => new File([], "n", 1));
    out.fileSymbolName = t(() => new File([], Symbol("s")));
    out.fileLastModified = t(() => typeof new File([], "n", { lastModified: "x" }).lastModified);
    out.formDataSymbol = t(() => new FormData(Symbol("s")) instanceof FormData);
    out.formDataTwo = t(() => new FormData({}, {}) instanceof FormData);
    out.fileNoName = t(() => new File(["a"]));
    out.fileNoArgs = t(() => new File());
    out.fileStringParts = t(() => new File("abc", "n"));
    out.fileNullName = t(() => new File(["a"], null).name);
    out.fileUndefinedName = t(() => new File(["a"], undefined).name);
    return out;`),
  probe("writables erroring while closing, a queued close's own writer, pipes into errored or closing streams", `
    const out = {};
    out.erroringWhileClosing = await a(async () => {
      let ctl;
      const s = new WritableStream({ start(c) { ctl = c; }, close() { return sleep(50); } });
      const w = s.getWriter();
      const closed = settle(w.close());
      await sleep(5);
      ctl.error(new RangeError("late"));
      return [await settle(w.write("a")), await settle(w.close()), await closed, await settle(w.closed)];
    });
    out.abortWhileClosing = await a(async () => {
      const s = new WritableStream({ close() { return sleep(50); } });
      const w = s.getWriter();
      const closed = settle(w.close());
      await sleep(5);
      const aborted = settle(w.abort(new RangeError("abort")));
      return [await settle(w.write("a")), await settle(w.close()), await closed, await aborted];
    });
    out.queuedCloseOwnWriter = await a(async () => {
      const s = new WritableStream({ write() { return sleep(30); } });
      const w = s.getWriter();
      const first = settle(w.write("slow"));
      const closed = settle(w.close());
      return [await settle(w.write("b")), await settle(w.close()), await first, await closed];
    });
    out.pipeIntoErrored = await a(async () => {
      const s = new WritableStream();
      await s.abort(new RangeError("stored"));
      const log = [];
      const src = new ReadableStream({ cancel(r) { log.push(err(r)); } });
      return [await settle(src.pipeTo(s)), log];
    });
    out.pipeIntoClosing = await a(async () => {
      const s = new WritableStream({ close() { return sleep(50); } });
      s.close();
      await sleep(5);
      const log = [];
      const src = new ReadableStream({ start(c) { c.enqueue("x"); }, cancel(r) { log.push(err(r)); } });
      return [await settle(src.pipeTo(s)), log];
    });
    out.pipeClosedBadOptions = await a(async () => {
      const s = new WritableStream();
      await s.close();
      return settle(bytes("a").pipeTo(s, 1));
    });
    out.pipeClosedLockedSource = await a(async () => {
      const s = new WritableStream();
      await s.close();
      const src = bytes("a");
      src.getReader();
      return settle(src.pipeTo(s));
    });
    out.releasedWriter = await a(async () => {
      const s = new WritableStream();
      const w = s.getWriter();
      await w.close();
      w.releaseLock();
      return [await settle(w.write("a")), await settle(w.close())];
    });
    out.failedClose = await a(async () => { const s = new WritableStream({ close() { throw new RangeError("sink"); } }); const w = s.getWriter(); const c = await settle(w.close()); return [c, await settle(w.write("a")), await settle(w.close()), await settle(s.abort("x"))]; });
    out.failedCloseStream = await a(async () => { const s = new WritableStream({ close() { return sleep(5).then(() => { throw new RangeError("sink"); }); } }); const c = await settle(s.close()); const w = s.getWriter(); return [c, await settle(w.write("a")), await settle(w.close())]; });
    out.errorAfterClose = await a(async () => { let ctl; const s = new WritableStream({ start(c) { ctl = c; }, write() { return sleep(20); } }); const w = s.getWriter(); w.write("x"); const c = settle(w.close()); ctl.error(new RangeError("e")); await sleep(30); return [await c, await settle(w.write("a")), await settle(w.close())]; });
    // A close with nothing to wait for (no sink close(), no write pending) ends the stream at
    // once; one with a sink close() or a write to finish first leaves it closing.
    const sinks = { none: () => ({}), asyncClose: () => ({ close() { return sleep(20); } }), slowWrite: () => ({ write() { return sleep(20); } }) };
    for (const [name, sink] of Object.entries(sinks)) {
      out[name + " writer"] = await a(async () => { const s = new WritableStream(sink()); const w = s.getWriter(); if (name === "slowWrite") w.write("x"); const c = w.close(); const size = w.desiredSize; const aborted = settle(w.abort("r")); return [size, await settle(w.write("a")), await settle(w.close()), await aborted, await settle(c)]; });
      out[name + " stream"] = await a(async () => { const s = new WritableStream(sink()); s.close(); const w = s.getWriter(); return [await settle(w.write("a")), await settle(w.close())]; });
      out[name + " pipe"] = await a(async () => { const s = new WritableStream(sink()); s.close(); return settle(bytes("a").pipeTo(s)); });
    }
    return out;`),
  probe("stream members called on another receiver", `
    const out = {};
    // The standard members (the runtime has more of its own: readAtLeast(), atLeast).
    const MEMBERS = [
      [ReadableStream, ["locked", "cancel", "getReader", "pipeThrough", "pipeTo", "tee", "values", Symbol.asyncIterator]],
      [WritableStream, ["locked", "abort", "close", "getWriter"]],
      [TransformStream, ["readable", "writable"]],
      [ReadableStreamDefaultReader, ["closed", "cancel", "read", "releaseLock"]],
      [ReadableStreamBYOBReader, ["closed", "cancel", "read", "releaseLock"]],
      [WritableStreamDefaultWriter, ["closed", "desiredSize", "ready", "abort", "close", "releaseLock", "write"]],
      [ReadableStreamDefaultController, ["desiredSize", "close", "enqueue", "error"]],
      [ReadableByteStreamController, ["byobRequest", "desiredSize", "close", "enqueue", "error"]],
      [ReadableStreamBYOBRequest, ["view", "respond", "respondWithNewView"]],
      [WritableStreamDefaultController, ["signal", "error"]],
      [TransformStreamDefaultController, ["desiredSize", "enqueue", "error", "terminate"]],
      [ByteLengthQueuingStrategy, ["highWaterMark", "size"]],
      [CountQueuingStrategy, ["highWaterMark", "size"]],
      [TextEncoderStream, ["encoding", "readable", "writable"]],
      [TextDecoderStream, ["encoding", "fatal", "ignoreBOM", "readable", "writable"]],
      [CompressionStream, ["readable", "writable"]],
      [IdentityTransformStream, ["readable", "writable"]],
    ];
    // How a call on \`self\` ends: a throw, or what it returns (a promise: how that settles).
    const call = async (f, self) => {
      let value;
      try { value = f.call(self); } catch (e) { return ["threw", err(e)]; }
      if (value instanceof Promise) return ["returned a promise", await settle(value)];
      return ["returned", typeof value];
    };
    for (const [C, keys] of MEMBERS) {
      const r = {};
      for (const key of keys) {
        // The member as the class's instances find it (CompressionStream's are TransformStream's).
        let at = C.prototype; while (!Object.hasOwn(at, key)) at = Object.getPrototypeOf(at);
        const d = Object.getOwnPropertyDescriptor(at, key);
        const f = d.get ?? d.value;
        r[String(key)] = { other: await call(f, {}), prototype: await call(f, C.prototype), readable: await call(f, new ReadableStream()) };
      }
      out[C.name] = r;
    }
    // What pipeThrough() on a stream says of its argument.
    const transforms = { none: [], undef: [undefined], nul: [null], number: [5], string: ["s"], empty: [{}], onlyReadable: [{ readable: new ReadableStream() }], onlyWritable: [{ writable: new WritableStream() }] };
    out.pipeThroughArguments = {};
    for (const [k, args] of Object.entries(transforms)) out.pipeThroughArguments[k] = t(() => new ReadableStream().pipeThrough(...args));
    return out;`),
];
