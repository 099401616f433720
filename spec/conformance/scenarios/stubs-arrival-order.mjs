// Order of arrival at an object of fetches and RPC calls a Worker sends in one turn. An RPC
// call on a Durable Object stub first opens a session with the object, a step a fetch does not
// take, so the fetches of that turn arrive ahead of it; each kind keeps its own order, through
// one stub or several. (Found by apps-session-store.mjs's resets.) Calls from an object to
// another arrive in a more interleaved order in workerd, which durasim does not model.
import { both, cls } from "../scenario.mjs";

const SOURCE = cls(`  log = [];
  async m(x) { this.log.push(x); return x; }
  async take() { const l = this.log; this.log = []; return l; }
  async fetch(req) { const x = new URL(req.url).pathname.slice(1); this.log.push(x); return new Response(x); }
  async relay(name) {
    // An RPC call, then a fetch sent in a later turn (after a timer): the call was sent first.
    const target = this.env.DO.getByName(name);
    const call = target.m("r1");
    await new Promise((resolve) => setTimeout(resolve, 0));
    return Promise.all([call, send(target, "f2")]);
  }`, {
  extra: `function send(stub, x) { return x[0] === "f" ? stub.fetch("http://x/" + x).then((r) => r.text()) : stub.m(x); }`,
});

export default [
  both({
    name: "stubs: fetches sent in one turn arrive ahead of the RPC calls sent with them",
    source: SOURCE,
    drive: async (env) => {
      const out = {};
      let i = 0;
      for (const list of [["r1", "f2"], ["r1", "r2", "f3", "r4", "f5"], ["f1", "r2", "f3"], ["f1", "f2", "r3", "r4"], ["r1", "r2"]]) {
        const stub = env.DO.getByName("o" + i++);
        await stub.take();
        out[list.join(" ")] = { results: await Promise.all(list.map((x) => send(stub, x))), arrived: await stub.take() };
      }
      const a = env.DO.getByName("stubs");
      await a.take();
      const results = await Promise.all([a.m("r1"), env.DO.getByName("stubs").fetch("http://x/f2").then((r) => r.text()), env.DO.get(env.DO.idFromName("stubs")).m("r3")]);
      out.threeStubs = { results, arrived: await a.take() };
      const later = env.DO.getByName("later");
      await later.take();
      const second = await Promise.all([later.m("r1"), Promise.resolve().then(() => send(later, "f2"))]);
      out.fetchAMicrotaskLater = { results: second, arrived: await later.take() };
      const relayed = env.DO.getByName("relayed");
      await relayed.take();
      out.fetchATurnLaterFromAnObject = { results: await env.DO.getByName("relay").relay("relayed"), arrived: await relayed.take() };
      return out;
    },
  }),
];
