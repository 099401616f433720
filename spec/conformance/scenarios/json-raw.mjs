// JSON as the runtime's V8 has it, on every Node: JSON.rawJSON (a frozen, null-prototype object
// that JSON.stringify writes as its text; text that is no JSON primitive refused with a
// SyntaxError of Worker code's own class), JSON.isRawJSON, and the third argument of a
// JSON.parse reviver (`{ source }` for a primitive). Node 20's V8 has them behind a flag only.
import { inside } from "../scenario.mjs";

const raw = (name, body) => inside(`json raw: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
${body}`);

export default [
  raw("JSON.rawJSON, JSON.isRawJSON and a reviver's source text, on Node 20 as on Node 24", `
    const out = {};
    out.members = Object.getOwnPropertyNames(JSON);
    out.shapes = ["rawJSON", "isRawJSON"].map((k) => { const d = Object.getOwnPropertyDescriptor(JSON, k); return [typeof d.value, d.value.name, d.value.length, d.writable, d.enumerable, d.configurable, String(d.value)]; });
    out.raw = t(() => JSON.stringify({ a: JSON.rawJSON("12345678901234567890"), b: [JSON.rawJSON("null"), JSON.rawJSON('"s"')] }));
    out.isRaw = t(() => [JSON.isRawJSON(JSON.rawJSON("1")), JSON.isRawJSON({ rawJSON: "1" }), JSON.isRawJSON(), JSON.isRawJSON(null)]);
    out.object = t(() => { const r = JSON.rawJSON("true"); return [Object.isFrozen(r), Object.getPrototypeOf(r), r.rawJSON, Object.keys(r), typeof r]; });
    out.refused = ["{}", "[]", "", " 1", "1 ", "undefined", "0x1"].map((text) => t(() => JSON.rawJSON(text)));
    out.refusedClasses = [() => JSON.rawJSON("{}"), () => JSON.rawJSON(Symbol("s"))].map((f) => { try { f(); return "none"; } catch (e) { return [e instanceof SyntaxError, e instanceof TypeError, e instanceof Error, e.constructor === globalThis[e.name]]; } });
    out.converted = t(() => JSON.stringify(JSON.rawJSON(12)));
    out.symbol = t(() => JSON.rawJSON(Symbol("s")));
    out.parseSource = t(() => JSON.parse('[1.0, 12345678901234567890, "s", {"k": null}, true]', (k, v, ctx) => (k === "" ? v : [k, show(ctx)])));
    out.parseObjects = t(() => { const seen = []; JSON.parse('{"a": [1]}', (k, v, ctx) => { seen.push([k, Object.keys(ctx)]); return v; }); return seen; });
    return out;`),
];
