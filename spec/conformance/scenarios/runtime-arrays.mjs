// Where the runtime takes an array (tags, signals, a Blob's parts, a clone's transfer list), it
// asks V8 whether the value is one: an Array subclass's instance is, a Proxy of an array is not
// (Array.isArray says it is), and is refused as not of type 'Array'.
import { cls } from "../scenario.mjs";

export default [{
  name: "arrays the runtime takes: a Proxy of an array is refused, an Array subclass's instance taken",
  backend: "sqlite",
  source: cls(`  async webSocketMessage() {}
  async go() {
    const proxied = (a) => new Proxy(a, {});
    const [, server] = Object.values(new WebSocketPair());
    const [, taken] = Object.values(new WebSocketPair());
    return {
      accept: outcomeSync(() => this.ctx.acceptWebSocket(server, proxied(["a"]))),
      acceptSubclass: outcomeSync(() => (this.ctx.acceptWebSocket(taken, new (class extends Array {})("t")), this.ctx.getTags(taken))),
      any: outcomeSync(() => AbortSignal.any(proxied([new AbortController().signal])).aborted),
      blob: await outcome(() => new Blob(proxied(["ab"])).text()),
      file: await outcome(() => new File(proxied(["ab"]), "f").text()),
      transfer: outcomeSync(() => structuredClone(1, { transfer: proxied([]) })),
      blobSubclass: outcomeSync(() => new Blob(new (class extends Array {})("x")).size),
    };
  }`),
  drive: async (env) => env.DO.getByName("a").go(),
}];
