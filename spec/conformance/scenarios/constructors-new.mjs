// The runtime's classes called without `new`: each refuses in the same words, "Failed to
// construct 'X': Please use the 'new' operator, this object constructor cannot be called as a
// function.", whatever its arguments, where V8 would say "Class constructor X cannot be invoked
// without 'new'". Its constructor is a plain function: its [[Prototype]] is Function.prototype,
// its `prototype` writable, its own keys `length, name, prototype` and then its constants or
// statics in declaration order; its length is 0 (Request and Response too).
import { cls } from "../scenario.mjs";

// The classes Worker code gets from durasim rather than from Node.
const NAMES = ["WebSocket", "WebSocketPair", "WebSocketRequestResponsePair", "MessageEvent", "CloseEvent", "ErrorEvent", "IdentityTransformStream", "FixedLengthStream", "Headers", "URL", "URLSearchParams", "TextDecoder", "CompressionStream", "DecompressionStream"];

export default [
  {
    name: "constructors-new: a runtime class called without new refuses in the runtime's words",
    backend: "sqlite",
    source: `${cls(`  m() {
    const classes = { ${NAMES.map((n) => `${n}`).join(", ")} };
    const out = {};
    for (const [name, C] of Object.entries(classes)) out[name] = [outcomeSync(() => C("ws://x")), outcomeSync(() => C.call({}, "a", "b")), C.name];
    return out;
  }
  shape() {
    return [Object.getPrototypeOf(WebSocket) === Function.prototype, Object.getPrototypeOf(WebSocket) === EventTarget, Object.getOwnPropertyNames(WebSocket),
      Object.getOwnPropertyDescriptor(WebSocket, "prototype").writable, WebSocket.length, new WebSocketPair()[0].constructor === WebSocket, new WebSocketPair()[0] instanceof EventTarget];
  }
  fetchClasses() {
    return [Request.length, Response.length, Object.getOwnPropertyNames(Request), Object.getOwnPropertyNames(Response)];
  }
  listen() {
    const [a] = new WebSocketPair();
    const seen = [];
    a.addEventListener("x", (event) => seen.push(event.type));
    a.dispatchEvent(new Event("x"));
    return seen;
  }`)}`,
    drive: async (env) => {
      const stub = env.DO.getByName("x");
      return { refusals: await stub.m(), shape: await stub.shape(), listen: await stub.listen(), fetchClasses: await stub.fetchClasses() };
    },
  },
];
