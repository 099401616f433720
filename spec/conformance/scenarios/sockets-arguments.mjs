// connect()'s arguments, the same on cloudflare:sockets' connect() and on a Fetcher's (a service
// binding's, a Durable Object stub's): the address converts (null refused, an object read as
// { hostname, port }, anything else as a string), then the options (null and primitives refused,
// secureTransport read as a string, allowHalfOpen as a boolean, highWaterMark as an unsigned
// 64-bit integer), then a string address is parsed
// as a URL's host and port, the address text is checked for length and characters, and
// secureTransport for its three values. A stub method named `connect` is never reached over RPC,
// so `stub.connect("some-id")` throws "Specified address is missing port." at once. A Fetcher's
// "starttls" socket reports its mode; startTls() spends it, and the TLS socket it gives fails.
import { cls } from "../scenario.mjs";
import { ENTRYPOINT, WITHIN } from "./socket-helpers.mjs";

/** A handler that tells the caller what it was opened with, then ends. */
const REPORTER = `async connect(socket) { const info = await socket.opened; const writer = socket.writable.getWriter(); await writer.write(JSON.stringify([info, socket.secureTransport])); await writer.close(); }`;
/** Source text of the helpers: the calls to try, and what each gives on a Fetcher or on cloudflare:sockets. */
const HELPERS = `import { connect as socketsConnect } from "cloudflare:sockets";
${WITHIN}
const readAll = async (readable) => { const out = []; const reader = readable.getReader(); for (;;) { const { done, value } = await reader.read(); if (done) return out.join(""); out.push(new TextDecoder().decode(value)); } };
let order = [];
const CALLS = {
  noArgs: [], undef: [undefined], nul: [null], num: [5], bool: [true], bigint: [5n], sym: [Symbol("s")], boxed: [new String("h:1")],
  func: [() => 1], funcWithAddress: [Object.assign(() => 1, { hostname: "f", port: 3 })], array: [["h", 1]],
  object: [{ hostname: "db.internal", port: 5432 }], objectNoPort: [{ hostname: "h" }], objectNoHostname: [{ port: 443 }], objectEmptyHostname: [{ hostname: "", port: 1 }],
  objectBigPort: [{ hostname: "h", port: 70000 }], objectNegativePort: [{ hostname: "h", port: -1 }], objectNamedPort: [{ hostname: "h", port: "http" }],
  objectFractionPort: [{ hostname: "h", port: 80.5 }], objectStringPort: [{ hostname: "h", port: "443" }], objectNumberHostname: [{ hostname: 7, port: 1 }],
  objectBadHostname: [{ hostname: "a b", port: 1 }], objectHostnameThrows: [{ get hostname() { throw new RangeError("hostname getter"); }, port: 1 }],
  readOrder: [{ get hostname() { order.push("hostname"); return "h"; }, get port() { order.push("port"); return 1; } }, { get highWaterMark() { order.push("highWaterMark"); return 1; }, get secureTransport() { order.push("secureTransport"); return "off"; }, get allowHalfOpen() { order.push("allowHalfOpen"); return false; } }],
  highWaterMarkNegative: ["a:1", { highWaterMark: -1 }], highWaterMarkString: ["a:1", { highWaterMark: "x" }], highWaterMarkHuge: ["a:1", { highWaterMark: 1e20 }],
  highWaterMarkFraction: ["a:1", { highWaterMark: 1.5 }], highWaterMarkSymbol: ["a:1", { highWaterMark: Symbol("s") }], highWaterMarkBigInt: ["a:1", { highWaterMark: 2n }],
  highWaterMarkNull: ["a:1", { highWaterMark: null }], highWaterMarkBadTransport: ["a:1", { highWaterMark: -1, secureTransport: "bogus" }],
  transportBogus: ["a:1", { secureTransport: "bogus" }], transportNull: ["a:1", { secureTransport: null }], transportNumber: ["a:1", { secureTransport: 5 }],
  transportSymbol: ["a:1", { secureTransport: Symbol("s") }], transportObject: ["a:1", { secureTransport: { toString: () => "on" } }],
  transportOff: ["a:1", { secureTransport: "off" }], transportStarttls: ["a:1", { secureTransport: "starttls" }], transportOn: ["a:1", { secureTransport: "on" }],
  halfOpenString: ["a:1", { allowHalfOpen: "yes" }], halfOpenSymbol: ["a:1", { allowHalfOpen: Symbol("s") }],
  optionsString: ["a:1", "x"], optionsNumber: ["a:1", 5], optionsNull: ["a:1", null], optionsUndefined: ["a:1", undefined], optionsFunction: ["a:1", () => 1], optionsArray: ["a:1", []],
  nullAddressBadOptions: [null, "x"], noPortBadOptions: ["example.com", "x"], noPortBadTransport: ["example.com", { secureTransport: "bogus" }], noPortOn: ["example.com", { secureTransport: "on" }],
  badCharactersBadTransport: ["h%20:1", { secureTransport: "bogus" }],
};
const STRINGS = ["", ":80", ":", "example.com", "example.com:", "::1", "a:b:1", "h:1:2", "h::1", "[::1]", "[::1]:", "[::1]:443", "[::1", "::1]:2", "[]:1", "[a]:1", "a[b]:1",
  "h: 1", "h:+1", "h:-1", "h:0x10", "h:1e3", "h:00080", "h:000000080", "h:0", "h:65535", "h:65536", "h:\\u0661", " h:1", "h :1", "h:1 ", "h:\\t1", "h\\u0000:1",
  "user@h:1", "h/x:1", "http://h:1", "h:1/", "h%20:1", "\\u65e5\\u672c:1", "Upper.Case_Host-1:2", "127.0.0.1:5", "x".repeat(253) + ":1", "x".repeat(254) + ":1"];
/** What connect(...args) gives: its TypeError at once, or (from a Fetcher whose handler reports) what each side saw. */
async function tryConnect(connect, args, handled) {
  order = [];
  let socket;
  try {
    socket = connect(...args);
  } catch (e) {
    return { threw: err(e), order };
  }
  if (!handled) {
    socket.close().catch(() => undefined);
    return { secureTransport: socket.secureTransport, order };
  }
  return { secureTransport: socket.secureTransport, order, opened: await within(outcome(() => socket.opened)), handler: await within(outcome(() => readAll(socket.readable))) };
}
async function tryAll(connect, handled) {
  const calls = {};
  for (const [name, args] of Object.entries(CALLS)) calls[name] = await tryConnect(connect, args, handled);
  const strings = {};
  for (const text of STRINGS) strings[JSON.stringify(text)] = await tryConnect(connect, [text], handled);
  return { calls, strings };
}`;

export default [
  {
    name: "sockets-arguments: a service binding's and a stub's connect() check their arguments as cloudflare:sockets' does",
    backend: "sqlite",
    timeoutMs: 30_000,
    workers: { reporter: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { ${REPORTER} }` } },
    services: { REPORTER: "reporter" },
    source: `${cls(`  ${REPORTER}
  // cloudflare:sockets' connect(), with no network: only what it does before connecting.
  sockets() { return tryAll(socketsConnect, false); }`, { extra: HELPERS })}`,
    drive: async (env) => ({
      binding: await tryAll((...args) => env.REPORTER.connect(...args), true),
      stub: await tryAll((...args) => env.DO.getByName("reporter").connect(...args), true),
      sockets: await env.DO.getByName("x").sockets(),
    }),
  },
  {
    name: "sockets-arguments: a stub method named connect is not reached: the stub's connect() refuses the address",
    backend: "sqlite",
    source: `${cls(`  connect(accountId) { return "rpc " + accountId; }`)}`,
    drive: async (env) => {
      const stub = env.DO.getByName("x");
      return { id: outcomeSync(() => stub.connect("account-1")), object: outcomeSync(() => stub.connect({ accountId: 1 })) };
    },
  },
  {
    name: "sockets-arguments: startTls() on a Fetcher's starttls socket spends it and gives a TLS socket that fails",
    backend: "sqlite",
    workers: {
      greeter: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { async connect(socket) { await socket.writable.getWriter().write("hello"); await new Promise((resolve) => setTimeout(resolve, 1500)); } }` },
      none: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { m() {} }` },
    },
    services: { GREETER: "greeter", NONE: "none" },
    source: `${cls(`  m() {}`, { extra: HELPERS })}`,
    drive: async (env) => {
      const out = {};
      const plain = env.GREETER.connect("a:1", { secureTransport: "starttls" });
      out.opened = await within(outcome(() => plain.opened));
      const reader = plain.readable.getReader();
      out.firstRead = await within(outcome(async () => new TextDecoder().decode((await reader.read()).value)));
      reader.releaseLock();
      out.length = plain.startTls.length;
      const tls = plain.startTls({ expectedServerHostname: "x" });
      out.atOnce = [plain.upgraded, tls.upgraded, tls.secureTransport, Object.prototype.toString.call(tls)];
      out.again = outcomeSync(() => plain.startTls());
      out.tlsAgain = outcomeSync(() => tls.startTls());
      out.plainClosed = await within(outcome(() => plain.closed));
      out.plainUpgraded = plain.upgraded;
      out.plainRead = await within(outcome(() => readAll(plain.readable)));
      out.plainWrite = await within(outcome(() => plain.writable.getWriter().write("x")));
      out.tls = {
        opened: await within(outcome(() => tls.opened)),
        closed: await within(outcome(() => tls.closed)),
        read: await within(outcome(() => readAll(tls.readable))),
        write: await within(outcome(() => tls.writable.getWriter().write("x"))),
        close: await within(outcome(() => tls.close())),
        upgraded: tls.upgraded,
      };
      const checked = env.GREETER.connect("a:1", { secureTransport: "starttls" });
      // startTls()'s options convert first: a refused one leaves the socket unspent.
      out.options = [outcomeSync(() => checked.startTls(5)), outcomeSync(() => checked.startTls({ expectedServerHostname: Symbol("s") })), outcomeSync(() => checked.startTls(null).secureTransport)];
      const early = env.GREETER.connect("a:1", { secureTransport: "starttls" });
      const earlyTls = early.startTls();
      out.atOnceAfterConnect = [await within(outcome(() => early.opened)), await within(outcome(() => early.closed)), await within(outcome(() => earlyTls.opened))];
      // A refused connection: the plain socket's writes fail, so it is never marked upgraded.
      const refused = env.NONE.connect("a:1", { secureTransport: "starttls" });
      await within(outcome(() => refused.opened));
      refused.startTls();
      out.refused = [await within(outcome(() => refused.closed)), refused.upgraded];
      return out;
    },
  },
];
