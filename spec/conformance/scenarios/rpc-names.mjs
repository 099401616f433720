// RPC member names and ctx.abort() reasons holding lone UTF-16 surrogates. The runtime sends a
// member's name as a USVString (each lone surrogate becomes one U+FFFD: the receiver looks that
// name up, and an error names it), on a Durable Object, an RpcTarget and a property path alike;
// an abort reason reaches callers as text read from its WTF-8 bytes (three U+FFFD each).
import { cls } from "../scenario.mjs";

/** Source text of `cps(value)`: a string's code points in hex, so U+FFFD and lone surrogates show. */
const CPS = `const cps = (k) => typeof k === "string" ? [...k].map((c) => c.codePointAt(0).toString(16)).join(".") : show(k);`;

const MEMBERS = `["m\\ud800"]() { return "m-d800"; }
  ["m\\ufffd"]() { return "m-fffd"; }
  ["n\\ud800"]() { return "n-d800"; }
  get ["g\\ud800"]() { return { v: 1 }; }`;

export default [
  {
    name: "rpc: lone surrogates in member names and ctx.abort() reasons",
    backend: "sqlite",
    source: `${CPS}\n${cls(`  ${MEMBERS}
  target() { return new Target(); }
  dying(reason) { this.ctx.abort(reason); }
  keys(o) { return Object.keys(o).map(cps); }`, { extra: `class Target extends RpcTarget {\n  ${MEMBERS}\n}` })}`,
    drive: async (env) => {
      const shown = (x) => (x.ok !== undefined ? { ok: cps(x.ok) } : { error: { ...x.error, message: cps(x.error.message) } });
      const out = {};
      const stub = env.DO.getByName("a");
      const target = await stub.target();
      for (const [label, on] of [["object", stub], ["rpcTarget", target], ["pipelined", stub.target()]]) {
        out[label] = {
          toFffd: shown(await outcome(() => on["m\ud800"]())),
          missing: shown(await outcome(() => on["n\ud800"]())),
          named: shown(await outcome(() => on["m\ufffd"]())),
          getter: shown(await outcome(async () => JSON.stringify(await on["g\ud800"]))),
          throughGetter: shown(await outcome(() => on["g\ud800"].v)),
          absent: shown(await outcome(() => on["z\udc00"]())),
        };
      }
      out.abort = shown(await outcome(() => env.DO.getByName("b").dying("why\ud800")));
      out.objectKeys = await outcome(() => stub.keys({ ["k\ud800"]: 1 }));
      return out;
    },
  },
];
