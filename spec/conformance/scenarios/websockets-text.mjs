// Text with lone UTF-16 surrogates over WebSockets. The runtime sends a string's WTF-8 bytes
// (a lone surrogate as its own three bytes) and reads what arrives as UTF-8, so each such
// surrogate reaches the other end as three U+FFFD: in webSocketMessage(), in a message event,
// in an auto-response. Tags and the auto-response pair are kept as those bytes (a message or a
// tag must equal them) and read back as text; a close reason is sent with one U+FFFD for each.
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** Source text of `cps(value)`: a string's code points in hex, so U+FFFD and lone surrogates show. */
const CPS = `const cps = (k) => typeof k === "string" ? [...k].map((c) => c.codePointAt(0).toString(16)).join(".") : Object.prototype.toString.call(k);`;

export default [
  {
    name: "websockets: lone surrogates in messages, tags, the auto-response pair and close reasons",
    backend: "sqlite",
    source: cls(`  log = [];
  async fetch(req) {
    const url = new URL(req.url);
    const [client, server] = Object.values(new WebSocketPair());
    if (url.pathname === "/plain") {
      server.accept();
      server.addEventListener("message", (e) => { this.log.push(["plain", cps(e.data)]); server.send(e.data + "\\ud800"); });
    } else {
      this.ctx.acceptWebSocket(server, ["t\\ud800", "\\udfffx"]);
      this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping\\ud800", "pong\\udc00"));
    }
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) {
    this.log.push(["hibernatable", cps(message), this.ctx.getTags(ws).map(cps), this.ctx.getWebSockets("t\\ud800").length, this.ctx.getWebSockets("t\\ufffd\\ufffd\\ufffd").length]);
    if (message === "close") ws.close(4001, "r\\ud800");
    else ws.send(message + "!\\udfff");
  }
  async webSocketClose(ws, code, reason) { this.log.push(["close", code, cps(reason)]); }
  pair() { const p = this.ctx.getWebSocketAutoResponse(); return p ? [cps(p.request), cps(p.response)] : null; }
  takeLog() { return this.log; }
  constructed() { const p = new WebSocketRequestResponsePair("a\\ud800", "b\\udc00"); return [cps(p.request), cps(p.response)]; }`, { extra: `${CLIENT}\n${CPS}` }),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const seen = (end) => end.seen.map((x) => x.map((v) => (typeof v === "string" ? cps(v) : v)));
      const hibernatable = await connect(stub, "/hibernatable");
      hibernatable.ws.send("x\ud800y");
      hibernatable.ws.send("ping\ud800");
      hibernatable.ws.send("ping\ufffd\ufffd\ufffd");
      await settle(100);
      const plain = await connect(stub, "/plain");
      plain.ws.send("q\udc00");
      await settle(100);
      hibernatable.ws.close(4000, "bye\ud800");
      await settle(100);
      const closed = await connect(stub, "/hibernatable");
      closed.ws.send("close");
      await settle(100);
      return hangUp({ hibernatable: seen(hibernatable), plain: seen(plain), closed: seen(closed), log: await stub.takeLog(), pair: await stub.pair(), constructed: await stub.constructed() });
    },
  },
];
