// WebSockets at edges the other scenarios leave out: attachments of an end accepted with accept()
// or not accepted at all, and values an attachment keeps or refuses; WebSocketRequestResponsePair's
// arguments (one left out is refused, an explicit undefined is "undefined");
// setWebSocketAutoResponse() arguments; new WebSocket() refusing a URL, and protocols that are
// no token or repeat (checked before any connection); close() codes and reasons; send() kinds;
// accept() and acceptWebSocket() of a closed end; getWebSockets() of odd tags.
import { inside } from "../scenario.mjs";

export default [
  inside("websockets odds: attachments, request-response pairs, outbound URLs and protocols, close codes and reasons, send kinds", "sqlite", `
    const t = (f) => outcomeSync(f);
    const out = {};
    const pair = () => Object.values(new WebSocketPair());
    out.attachPlain = t(() => { const [c, s] = pair(); s.accept(); s.serializeAttachment({ a: 1 }); return s.deserializeAttachment(); });
    out.attachUnaccepted = t(() => { const [c, s] = pair(); s.serializeAttachment({ a: 1 }); return [s.deserializeAttachment(), c.deserializeAttachment()]; });
    out.attachClient = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); c.serializeAttachment("x"); return [c.deserializeAttachment(), s.deserializeAttachment()]; });
    out.attachUndefined = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.serializeAttachment(undefined); return [s.deserializeAttachment()]; });
    out.attachNoArg = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.serializeAttachment(); return [s.deserializeAttachment()]; });
    out.attachFn = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.serializeAttachment(() => 1); });
    out.attachMap = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.serializeAttachment(new Map([[1, 2]])); return s.deserializeAttachment(); });
    out.attachBig = t(() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s); s.serializeAttachment(new Uint8Array(16380)); return s.deserializeAttachment().length; });
    out.pairArgs = [t(() => new WebSocketRequestResponsePair("a")), t(() => new WebSocketRequestResponsePair(1, 2).request), t(() => new WebSocketRequestResponsePair(null, undefined).response), t(() => new WebSocketRequestResponsePair(undefined, "x").request), t(() => new WebSocketRequestResponsePair(undefined).request), t(() => new WebSocketRequestResponsePair(Symbol(), "x")), t(() => { const p = new WebSocketRequestResponsePair("a", "b"); p.request = "z"; return p.request; }), t(() => Object.keys(new WebSocketRequestResponsePair("a", "b"))), t(() => JSON.stringify(new WebSocketRequestResponsePair("a", "b")))];
    out.setAuto = [t(() => this.ctx.setWebSocketAutoResponse({ request: "a", response: "b" })), t(() => this.ctx.setWebSocketAutoResponse(null)), t(() => this.ctx.setWebSocketAutoResponse()), t(() => this.ctx.getWebSocketAutoResponse())];
    out.wsUrls = ["http://a/", "https://a/#frag", "ftp://a/", "ws://a/#x", "/rel", "ws://a b/"].map((u) => t(() => { const w = new WebSocket(u); const r = [w.url, w.readyState]; w.close(); return r; }));
    out.wsProtocols = [["a", "a"], ["a b"], [""], ["a,b"], ["é"]].map((p) => t(() => { const w = new WebSocket("ws://a.invalid/", p); const r = w.protocol; w.close(); return r; }));
    out.closeCodes = [999, 1000, 1001, 1004, 1005, 1006, 1015, 1016, 2999, 3000, 4999, 5000, 65536 + 1000, -1, NaN, "1000", 1000.5].map((code) => t(() => { const [c, s] = pair(); s.accept(); s.close(code, "r"); return s.readyState; }));
    out.closeReason = [t(() => { const [c, s] = pair(); s.accept(); s.close(1000, "x".repeat(123)); return "ok"; }), t(() => { const [c, s] = pair(); s.accept(); s.close(1000, "x".repeat(124)); return "ok"; }), t(() => { const [c, s] = pair(); s.accept(); s.close(undefined, "r"); return "ok"; }), t(() => { const [c, s] = pair(); s.accept(); s.close(1000, "\\u00e9".repeat(62)); return "ok"; })];
    out.sendKinds = [t(() => { const [c, s] = pair(); s.accept(); s.send(); }), t(() => { const [c, s] = pair(); s.accept(); s.send(new Blob(["x"])); return "sent"; }), t(() => { const [c, s] = pair(); s.accept(); s.send(new DataView(new ArrayBuffer(2))); return "sent"; })];
    out.acceptClosed = t(() => { const [c, s] = pair(); s.accept(); s.close(); return t(() => s.accept()); });
    out.hibAfterClose = t(() => { const [c, s] = pair(); s.accept(); s.close(); return t(() => this.ctx.acceptWebSocket(s)); });
    out.hibEleven = t(() => { const [c, s] = pair(); return t(() => this.ctx.acceptWebSocket(s, Array.from({ length: 11 }, (_, i) => "t" + i))); });
    out.getWs = [t(() => this.ctx.getWebSockets(null).length), t(() => this.ctx.getWebSockets(undefined).length), t(() => this.ctx.getWebSockets(Symbol()))];
    return out;`),
  inside("websockets odds: new WebSocket() of a ws URL with an empty host", "sqlite", `
    return outcomeSync(() => { const w = new WebSocket("ws://"); const r = [w.url, w.readyState]; w.close(); return r; });`, {
    differs: "workerd's URL parser takes ws:// (an empty host) and the socket starts connecting; durasim parses with Node's URL, which refuses it, so the constructor says the URL is invalid (README 'Differences from production')",
  }),
];
