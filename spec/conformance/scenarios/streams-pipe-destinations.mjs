// pipeTo and pipeThrough into a destination that is closing (its close asked, not finished),
// closed, errored, aborted or being aborted (erroring: a write still in its sink), from a source that is open, closed or errored, with each of the
// prevent* options: what the pipe settles with, what the source's cancel and the sink see, and
// in which order.
import { inside } from "../scenario.mjs";

const probe = (name, body) => inside(`streams pipes: ${name}`, "sqlite", `
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
    const said = (x) => JSON.stringify(show(x));
    /**
     * A destination in state \`kind\` whose sink logs to \`log\`; its close takes 30 ms, but for
     * one "closed at once": no sink close() and no write to wait for, its close just asked (the
     * runtime closes it then and there). That close's outcome is kept as \`closeAsked\`, not
     * logged: the microtask its promise settles in is not modelled (README, web streams).
     */
    async function destination(kind, log) {
      let controller;
      const sink = {
        start(c) { controller = c; },
        write(chunk) { log.push("sink write " + said(chunk)); if (chunk === "slow") return sleep(30).then(() => log.push("sink wrote")); },
        close() { log.push("sink close"); return sleep(30).then(() => log.push("sink closed")); },
        abort(reason) { log.push("sink abort " + said(reason)); },
      };
      if (kind === "closed at once") delete sink.close;
      const dest = new WritableStream(sink);
      if (kind === "closed at once") dest.closeAsked = dest.close().then(() => "fulfilled", (e) => "rejected " + said(e));
      if (kind === "closing") dest.close().then(() => log.push("dest close fulfilled"), (e) => log.push("dest close rejected " + said(e)));
      if (kind === "closing by a writer") { const w = dest.getWriter(); w.close().then(() => log.push("writer close fulfilled"), (e) => log.push("writer close rejected " + said(e))); w.releaseLock(); }
      if (kind === "closed") { await dest.close(); log.length = 0; }
      if (kind === "errored") { controller.error(new RangeError("dest broke")); }
      if (kind === "aborted") { await dest.abort(new RangeError("dest aborted")); log.length = 0; }
      // Erroring: aborted while its sink still writes a chunk a writer gave it (its close asked, or not).
      if (kind === "aborting" || kind === "aborting while closing") {
        await sleep(0); const w = dest.getWriter(); w.write("slow").then(() => log.push("slow write fulfilled"), (e) => log.push("slow write rejected " + said(e)));
        if (kind === "aborting while closing") w.close().then(() => log.push("writer close fulfilled"), (e) => log.push("writer close rejected " + said(e)));
        w.abort(new RangeError("dest aborted")).then(() => log.push("abort fulfilled"), (e) => log.push("abort rejected " + said(e))); w.releaseLock();
      }
      return dest;
    }
    function source(kind, log) {
      return new ReadableStream({
        start(c) {
          if (kind === "errored") { c.error(new RangeError("source broke")); return; }
          if (kind !== "done") c.enqueue("a");
          if (kind === "closed" || kind === "done") c.close();
        },
        cancel(reason) { log.push("source cancel " + said(reason)); },
      });
    }
    const OPTIONS = { none: {}, preventClose: { preventClose: true }, preventAbort: { preventAbort: true }, preventCancel: { preventCancel: true } };
    async function pipeCase(destKind, sourceKind, optionName) {
      const log = [];
      const dest = await destination(destKind, log);
      const src = source(sourceKind, log);
      const piped = src.pipeTo(dest, OPTIONS[optionName]);
      log.push("pipeTo returned");
      piped.then(() => log.push("pipe fulfilled"), (e) => log.push("pipe rejected " + said(e)));
      const result = await settle(piped);
      await sleep(40);
      const closeAsked = dest.closeAsked === undefined ? {} : { closeAsked: await dest.closeAsked };
      return { result, log, sourceLocked: src.locked, destLocked: dest.locked, ...closeAsked };
    }
${body}`);

const DESTINATIONS = ["closing", "closing by a writer", "closed at once", "closed", "errored", "aborted", "aborting", "aborting while closing"];

export default [
  ...DESTINATIONS.map((destKind) => probe(`pipeTo into a destination ${destKind}, from each source, with each option`, `
    const cases = [];
    for (const sourceKind of ["open", "closed", "done", "errored"]) {
      for (const optionName of ["none", "preventClose", "preventAbort", "preventCancel"]) cases.push([sourceKind + " " + optionName, pipeCase(${JSON.stringify(destKind)}, sourceKind, optionName)]);
    }
    const out = {};
    for (const [key, promise] of cases) out[key] = await promise;
    return out;`)),
  probe("pipeThrough into a writable that is closed, closing or errored; pipeTo into a closed native writable; an aborted signal", `
    const out = {};
    for (const destKind of ["closed", "closing", "errored", "aborting", "aborting while closing"]) {
      const log = [];
      const writable = await destination(destKind, log);
      const src = source("open", log);
      const readable = new ReadableStream();
      const returned = src.pipeThrough({ writable, readable });
      log.push("pipeThrough returned");
      await sleep(40);
      out[destKind] = { same: returned === readable, log, sourceLocked: src.locked, writableLocked: writable.locked };
    }
    { const ts = new TransformStream(); await ts.writable.close(); const log = []; const src = source("open", log); const r = src.pipeThrough(ts).getReader(); out.transformClosed = [await settle(r.read()), log]; }
    for (const [name, make] of [["identity", () => new IdentityTransformStream()], ["fixed", () => new FixedLengthStream(0)]]) {
      for (const sourceKind of ["open", "done"]) {
        const ts = make(); ts.readable.getReader().read(); const closed = await settle(ts.writable.close());
        const log = []; const src = source(sourceKind, log);
        out[name + " closed, " + sourceKind] = [closed, await settle(src.pipeTo(ts.writable)), log, src.locked];
      }
    }
    for (const destKind of ["closed", "closing"]) {
      const log = [];
      const writable = await destination(destKind, log);
      const src = source("open", log);
      src.pipeThrough({ writable, readable: new ReadableStream() }, { preventCancel: true });
      await sleep(40);
      out[destKind + " preventCancel"] = { log, sourceLocked: src.locked };
    }
    { const log = []; const ctl = new AbortController(); ctl.abort(new RangeError("stop")); const dest = await destination("closed", log); const src = source("open", log); out.abortedSignalClosed = [await settle(src.pipeTo(dest, { signal: ctl.signal })), log]; }
    { const log = []; const ctl = new AbortController(); ctl.abort(new RangeError("stop")); const dest = await destination("closing", log); const src = source("open", log); out.abortedSignalClosing = [await settle(src.pipeTo(dest, { signal: ctl.signal })), log]; }
    return out;`),
  probe("a cancel of a source whose close is asked, its chunks still queued", `
    const out = {};
    const chunks = (log, type) => new ReadableStream({
      type,
      start(c) { c.enqueue(type === "bytes" ? new Uint8Array([1, 2]) : "a"); c.close(); },
      cancel(reason) { log.push("source cancel " + said(reason)); return "ignored"; },
    });
    for (const type of [undefined, "bytes"]) {
      const name = type ?? "default";
      { const log = []; const s = chunks(log, type); out[name + " stream cancel"] = [await settle(s.cancel(new RangeError("why"))), log, await settle(s.getReader().read())]; }
      { const log = []; const s = chunks(log, type); const r = s.getReader(); const closed = settle(r.closed); out[name + " reader cancel"] = [await settle(r.cancel(new RangeError("why"))), log, await settle(r.read()), await closed]; }
      { const log = []; const s = chunks(log, type); const it = s.values(); out[name + " iterator return"] = [await settle(it.return("bye")), log]; }
      { const log = []; const s = chunks(log, type); const r = s.getReader(); out[name + " read then cancel"] = [await settle(r.read()), await settle(r.cancel(new RangeError("why"))), log]; }
      { const log = []; const s = chunks(log, type); const [a, b] = s.tee(); out[name + " tee both cancelled"] = [await settle(Promise.all([a.cancel("x"), b.cancel("y")])), log]; }
    }
    { const log = []; let c; const s = new ReadableStream({ start(ctl) { c = ctl; }, cancel(reason) { log.push("source cancel " + said(reason)); } }); c.enqueue("a"); out.openWithChunk = [await settle(s.cancel("why")), log]; }
    return out;`),
];
