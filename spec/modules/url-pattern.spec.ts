/**
 * URLPattern for Node 20 and 22 (which lack it; workerd and Node 24 have it): durasim's, built to
 * the URL Pattern Standard, must answer as a native one does. Every case's outcome (the pattern's
 * component strings, each test()/exec() result, or the error's kind) is recorded in
 * url-pattern.expected.json from Node 24's native URLPattern, and compared with durasim's on every
 * Node (and with the native one again where there is one). workerd's URLPattern (run once on these
 * cases, 2026-12-02) gave the same answers for all of them; its results list their keys in the
 * standard's order (inputs, protocol, ..., hash), as durasim's do, where Node 24's sorts them. Regenerate with
 * `UPDATE_URL_PATTERN=1 npx vitest run spec/modules/url-pattern.spec.ts` on Node 24.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createContext, runInContext } from "node:vm";
import { installLanguageBuiltins } from "../../lib/modules/builtins/index.js";
import { makeURLPattern } from "../../lib/modules/builtins/url-pattern/url-pattern.js";

const ILLEGAL_INVOCATION =
  "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.";

type Args = unknown[];
/** [pattern constructor arguments, inputs to test/exec (each an argument list)] */
const CASES: [Args, Args[]][] = [
  [[{ pathname: "/books/:id" }], [["https://example.com/books/123"], ["https://example.com/books/"], ["https://example.com/books/1/2"], [{ pathname: "/books/x%20y" }]]],
  [[{ pathname: "/mcp" }], [["http://example.com/mcp"], ["http://example.com/mcp/"], ["http://example.com/mcp?sessionId=1"]]],
  [[{ pathname: "/mcp/message" }], [["http://example.com/mcp/message?sessionId=x"]]],
  [[{ pathname: "/files/*" }], [["https://a.b/files/x/y/z"], ["https://a.b/files/"], ["https://a.b/files"]]],
  [[{ pathname: "/:a/:b?" }], [["https://a.b/x"], ["https://a.b/x/y"], ["https://a.b/x/y/z"]]],
  [[{ pathname: "/:parts+" }], [["https://a.b/x/y/z"], ["https://a.b/"]]],
  [[{ pathname: "/:parts*" }], [["https://a.b/x/y"], ["https://a.b/"]]],
  [[{ pathname: "/post/:id(\\d+)" }], [["https://a.b/post/42"], ["https://a.b/post/abc"]]],
  [[{ pathname: "/(foo|bar)/:x" }], [["https://a.b/foo/1"], ["https://a.b/baz/1"]]],
  [[{ pathname: "/product{/}?" }], [["https://a.b/product"], ["https://a.b/product/"]]],
  [[{ pathname: "{/:lang}?/docs" }], [["https://a.b/docs"], ["https://a.b/en/docs"]]],
  [[{ pathname: "/foo{-:bar}*" }], [["https://a.b/foo-a-b"], ["https://a.b/foo"]]],
  [[{ pathname: "/a\\:b/:c.:ext" }], [["https://a.b/a:b/file.txt"]]],
  [[{ pathname: "/caf\u00e9/ /x" }], [["https://a.b/caf%C3%A9/%20/x"]]],
  [[{ pathname: "/./a/../b" }], [["https://a.b/b"]]],
  [[{ pathname: "/:\u00e9t\u00e9" }], [["https://a.b/summer"]]],
  [[{ pathname: "/Books", }, { ignoreCase: true }], [["https://a.b/books"], ["https://a.b/BOOKS"]]],
  [[{ pathname: "/Books" }], [["https://a.b/books"]]],
  [[{ hostname: "{*.}?example.com" }], [["https://example.com/"], ["https://api.example.com/"], ["https://a.b.example.com/"], ["https://example.org/"]]],
  [[{ hostname: "*.EXAMPLE.com" }], [["https://a.example.com/"]]],
  [[{ hostname: "m\u00fcnchen.de" }], [["https://xn--mnchen-3ya.de/"]]],
  [[{ hostname: "foo/bar" }], [["https://foo/"]]],
  [[{ hostname: "a b" }], []],
  [[{ protocol: "foo", hostname: "Ex.com" }], [["foo://Ex.com/"], ["foo://ex.com/"], [{ protocol: "foo", hostname: "Ex.com" }]]],
  [[{ hostname: "[::1]" }], [["http://[::1]/"]]],
  [[{ hostname: "[::A]" }], [["http://[::a]/"]]],
  [[{ protocol: "http{s}?" }], [["http://a.b/"], ["https://a.b/"], ["ftp://a.b/"]]],
  [[{ protocol: "HTTPS:" }], [["https://a.b/"]]],
  [[{ port: "8080" }], [["http://a.b:8080/"], ["http://a.b/"]]],
  [[{ protocol: "https", port: "443" }], [["https://a.b/"], ["https://a.b:443/"]]],
  [[{ port: "(\\d+)" }], [["http://a.b:99/"]]],
  [[{ search: "q=:query" }], [["https://a.b/?q=hello"], ["https://a.b/?x=1"]]],
  [[{ search: "?a=1" }], [["https://a.b/?a=1"]]],
  [[{ search: "a b" }], [["https://a.b/?a%20b"], ["https://a.b/?a b"]]],
  [[{ hash: "#sec-:n" }], [["https://a.b/#sec-2"]]],
  [[{ username: ":user", password: "*" }], [["https://bob:pw@a.b/"], ["https://a.b/"]]],
  [[{ username: "a b" }], [["https://a%20b@a.b/"]]],
  [["https://example.com/books/:id"], [["https://example.com/books/7"], ["http://example.com/books/7"]]],
  [["https://*.example.com/:path*"], [["https://x.example.com/a/b"]]],
  [["/books/:id", "https://example.com"], [["https://example.com/books/1"], ["/books/1", "https://example.com"], ["https://other.com/books/1"]]],
  [["/books/:id?x=:y#h", "https://example.com/base/"], [["https://example.com/books/1?x=2#h"]]],
  [["books/:id", "https://example.com/base/index.html"], [["https://example.com/base/books/1"]]],
  [["http://user:pass@host:8080/p?q#f"], [["http://user:pass@host:8080/p?q#f"]]],
  [["http{s}?://{:sub.}?example.com/*"], [["https://www.example.com/x"], ["http://example.com/"]]],
  [["https://example.com:8080/(\\d+)"], [["https://example.com:8080/12"]]],
  [["data\\:foo*"], [["data:foobar"]]],
  [["data:text/plain,*"], [["data:text/plain,hello"]]],
  [["mailto\\::addr"], [["mailto:x@y"]]],
  [["urn:isbn::id"], [["urn:isbn:123"]]],
  [["foo://bar/:baz"], [["foo://bar/qux"]]],
  [["https://example.com/?q=a#frag"], [["https://example.com/?q=a#frag"]]],
  [["https://example.com#frag"], [["https://example.com/#frag"]]],
  [["https://example.com?q"], [["https://example.com/?q"]]],
  [["https://[::1]:8080/x"], [["https://[::1]:8080/x"]]],
  [["https://example.com/:id(a|b)?/end"], [["https://example.com/a/end"], ["https://example.com/end"]]],
  [["https://example.com/{foo}bar"], [["https://example.com/foobar"]]],
  [["*://*/*"], [["wss://x/y"]]],
  [["https://example.com/*?*#*"], [["https://example.com/a?b#c"]]],
  [[], [["https://anything/"], [{}], []]],
  [[{}], [[{ pathname: "/x", hostname: "h" }]]],
  [[{ pathname: "/x" }, { ignoreCase: false }], [["https://a.b/X"]]],
  [[{ baseURL: "https://example.com/a/b", pathname: "c" }], [["https://example.com/a/c"], [{ pathname: "c", baseURL: "https://example.com/a/b" }]]],
  [[{ baseURL: "https://example.com:81/" }], [["https://example.com:81/"], ["https://example.com/"]]],
  [[{ pathname: ":a:b" }], [["https://a.b/xy"]]],
  [[{ pathname: "/:a(x)(y)" }], [["https://a.b/xy"]]],
  [[{ pathname: "/(.*)" }], [["https://a.b/"]]],
  [[{ pathname: "/:name\\a" }], [["https://a.b/na"]]],
  [[{ pathname: "/{:a}b" }], [["https://a.b/xb"]]],
  [[{ pathname: "/:a*b" }], [["https://a.b/xb"]]],
  [[{ pathname: "/*/:a" }], [["https://a.b/x/y"]]],
  [[{ pathname: "/:a/*" }], [["https://a.b/x/y/z"]]],
  [[{ pathname: "(\\d)x" }], [["https://a.b/1x"]]],
  [[{ pathname: "/{a}?" }], [["https://a.b/"]]],
  [[{ pathname: "/{a}" }], [["https://a.b/a"]]],
  [[{ pathname: "/:a{}" }], [["https://a.b/x"]]],
  [[{ pathname: "/[a]" }], [["https://a.b/[a]"]]],
  [[{ pathname: "/a\\\\b" }], [["https://a.b/a%5Cb"], ["https://a.b/a/b"]]],
  [[{ pathname: "/%E2%82%AC" }], [["https://a.b/%E2%82%AC"]]],
  [[{ pathname: "/\u20ac" }], [["https://a.b/%E2%82%AC"]]],
  [[{ protocol: "data", pathname: "text/plain,:x" }], [["data:text/plain,hi"]]],
  [[{ protocol: "foo", pathname: "a b\u00e9" }], [["foo:a b%C3%A9"]]],
  [[{ protocol: "foo", pathname: "a\\?b" }], [["foo:a?b"], [{ protocol: "foo", pathname: "a#b" }]]],
  [[{ protocol: "foo", pathname: "x/../y \u0001\t" }], [[{ protocol: "foo", pathname: " x\u007f" }]]],
  [[{ protocol: "foo", pathname: "/x/../y" }], [["foo:/y"]]],
  // refused patterns
  [[{ pathname: "/:" }], []],
  [[{ pathname: "/(" }], []],
  [[{ pathname: "/()" }], []],
  [[{ pathname: "/(?x)" }], []],
  [[{ pathname: "/:a/:a" }], []],
  [[{ pathname: "/{" }], []],
  [[{ pathname: "/}" }], []],
  [[{ pathname: "/\\" }], []],
  [[{ pathname: "/(\u00e9)" }], []],
  [[{ pathname: "/((x)" }], []],
  [[{ pathname: "/((?:x))" }], [["https://a.b/x"]]],
  [[{ pathname: "/([-])" }], []],
  [[{ pathname: "/(a" }], []],
  [[{ protocol: "ht tp" }], []],
  [[{ hostname: "a:b" }], []],
  [[{ hostname: "[xyz]" }], []],
  [[{ hostname: "[" }], []],
  [[{ port: "abc" }], []],
  [[{ port: "99999" }], []],
  [[{ port: "80x" }], [["http://a.b:80/"]]],
  [["/relative"], []],
  [[{ pathname: "/x" }, "https://example.com"], []],
  [[{ baseURL: "not a url" }], []],
  [["https://example.com/:id", "not a url"], []],
  // matching with bad inputs
  [[{ pathname: "/x" }], [["not a url"], ["/x", "not a url"], [{ pathname: "/x" }, "https://example.com"], [{ protocol: "ht tp" }], [{ port: "abc" }], [{ hostname: "a:b" }]]],
];

/** What a user observes of one case: the pattern's strings and hasRegExpGroups, then each match. */
function observe(URLPatternClass: new (...args: unknown[]) => any, [args, inputs]: [Args, Args[]]): unknown {
  const errorKind = (error: unknown) => `throws ${(error as Error).constructor.name}`;
  let pattern: any;
  try {
    pattern = new URLPatternClass(...args);
  } catch (error) {
    return errorKind(error);
  }
  const strings = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash", "hasRegExpGroups"].map((key) => pattern[key]);
  const matches = inputs.map((input) => {
    try {
      const result = pattern.exec(...input);
      return [pattern.test(...input), result === null ? null : JSON.parse(JSON.stringify(result))];
    } catch (error) {
      return errorKind(error);
    }
  });
  return { strings, matches };
}

const recorded = resolve(import.meta.dirname, "url-pattern.expected.json");
const Native = (globalThis as { URLPattern?: new (...args: unknown[]) => unknown }).URLPattern;
const Ours = makeURLPattern(globalThis);

describe("URLPattern (added where Node lacks it)", () => {
  it.runIf(process.env.UPDATE_URL_PATTERN && Native)("records the native URLPattern's answers", () => {
    writeFileSync(recorded, `${JSON.stringify(CASES.map((c) => observe(Native!, c)), null, 1)}\n`);
  });

  const expected = JSON.parse(readFileSync(recorded, "utf8")) as unknown[];
  it.each(CASES.map((c, i) => [JSON.stringify(c[0]), i] as const))("answers as the native one for %s", (_, index) => {
    expect(observe(Ours, CASES[index]!)).toEqual(expected[index]);
  });

  it.runIf(Native)("was recorded from the native one", () => {
    expect(CASES.map((c) => observe(Native!, c))).toEqual(expected);
  });

  it("is a class with the native one's shape", () => {
    const pattern = new Ours({ pathname: "/x" });
    expect(Object.prototype.toString.call(pattern)).toBe("[object URLPattern]");
    expect(Object.keys(pattern)).toEqual([]);
    expect(() => (Ours as unknown as () => void)()).toThrow(TypeError);
    const result = pattern.exec("https://a.b/x")!;
    expect(Object.keys(result)).toEqual(["inputs", "protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"]);
  });

  it("has the runtime's shape", () => {
    const names = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash", "hasRegExpGroups", "test", "exec"];
    expect(Object.getOwnPropertyNames(Ours.prototype)).toEqual([...names, "constructor"]);
    expect(names.every((name) => Object.getOwnPropertyDescriptor(Ours.prototype, name)!.enumerable)).toBe(true);
    expect(Ours.length).toBe(0);
    const pathname = Object.getOwnPropertyDescriptor(Ours.prototype, "pathname")!.get!;
    for (const wrongReceiver of [() => pathname.call({}), () => Ours.prototype.test.call({}, "https://a.b/x"), () => Ours.prototype.exec.call(null)]) {
      expect(wrongReceiver).toThrow(new TypeError(ILLEGAL_INVOCATION));
    }
  });

  it("is added to a realm that lacks it (a Jest test file's)", () => {
    const context = createContext();
    const global = runInContext("globalThis", context) as Record<string, unknown>;
    delete global.URLPattern;
    installLanguageBuiltins(global as typeof globalThis);
    expect(runInContext("new URLPattern({ pathname: '/a/:b' }).exec('https://x/a/c').pathname.groups.b", context)).toBe("c");
    expect(runInContext("try { new URLPattern({ pathname: '/(' }) } catch (e) { e.name }", context)).toBe("TypeError");
  });

  it("makes results that are its realm's plain objects (RPC and storage take only those)", () => {
    const context = createContext();
    const global = runInContext("globalThis", context) as Record<string, unknown>;
    global.OursThere = makeURLPattern(global as typeof globalThis);
    const plain = runInContext(
      "const r = new OursThere({ pathname: '/a/:b' }).exec({ pathname: '/a/c' }); [r, r.pathname, r.pathname.groups, r.inputs[0]].map((o) => Object.getPrototypeOf(o) === Object.prototype).concat(r.inputs instanceof Array)",
      context,
    );
    expect(plain).toEqual([true, true, true, true, true]);
  });

  it("refuses with its realm's TypeError (durasim's, in a Jest test file's realm)", () => {
    const context = createContext();
    (runInContext("globalThis", context) as Record<string, unknown>).OursThere = makeURLPattern(runInContext("globalThis", context));
    const refusal = (code: string) => runInContext(`try { ${code} } catch (e) { [e instanceof TypeError, e.message].join() }`, context);
    expect(refusal("new OursThere({ pathname: '/(' })")).toBe("true,Failed to construct URLPattern");
    expect(refusal("new OursThere(Symbol())")).toBe("true,Cannot convert a Symbol value to a string");
    expect(refusal("new OursThere().test({}, 'https://a.b')")).toBe("true,Failed to test URLPattern");
  });
});

/**
 * What workerd's URLPattern answers (recorded 2026-12-02 on the workerd devDependency), where the
 * cases above cannot say: the runtime's one message per refused operation (a conversion keeps
 * V8's own), the order it reads its arguments in, and the options given third after an undefined
 * baseURL (which Node 24's own refuses).
 */
describe("URLPattern (durasim's) as workerd's", () => {
  const outcome = (run: () => unknown): unknown => {
    try {
      return run();
    } catch (error) {
      return `${(error as Error).constructor.name}: ${(error as Error).message}`;
    }
  };

  it("refuses with the runtime's words", () => {
    const pattern = new Ours({ pathname: "/x" });
    const symbol = Symbol("s");
    expect({
      badPattern: outcome(() => new Ours({ pathname: "/(" })),
      relative: outcome(() => new Ours("/relative")),
      baseWithInit: outcome(() => new Ours({ pathname: "/x" }, "https://example.com")),
      badBase: outcome(() => new Ours("https://example.com/:id", "not a url")),
      badBaseInInit: outcome(() => new Ours({ baseURL: "not a url" })),
      duplicateName: outcome(() => new Ours({ pathname: "/:a/:a" })),
      badIPv6: outcome(() => new Ours({ hostname: "[" })),
      badPort: outcome(() => new Ours({ port: "abc" })),
      badProtocol: outcome(() => new Ours({ protocol: "ht tp" })),
      number: outcome(() => new Ours(1)),
      numberBase: outcome(() => new Ours({}, 1)),
      symbolInput: outcome(() => new Ours(symbol)),
      symbolMember: outcome(() => new Ours({ pathname: symbol })),
      symbolBase: outcome(() => new Ours("https://x/", symbol)),
      throwingGetter: outcome(() => new Ours({ get pathname(): string { throw new RangeError("mine"); } })),
      throwingGetterTypeError: outcome(() => new Ours({ get pathname(): string { throw new TypeError("mine"); } })),
      throwingIgnoreCase: outcome(() => new Ours({ pathname: "/x" }, { get ignoreCase(): boolean { throw new TypeError("mine"); } })),
      testBaseWithInit: outcome(() => pattern.test({ pathname: "/x" }, "https://example.com")),
      execBaseWithInit: outcome(() => pattern.exec({ pathname: "/x" }, "https://example.com")),
      testSymbol: outcome(() => pattern.test(symbol)),
      execSymbolBase: outcome(() => pattern.exec("/x", symbol)),
      testBadUrl: outcome(() => pattern.test("not a url")),
      testBadBase: outcome(() => pattern.test("/x", "not a url")),
      testBadInit: outcome(() => pattern.test({ protocol: "ht tp" })),
    }).toEqual({
      badPattern: "TypeError: Failed to construct URLPattern",
      relative: "TypeError: Failed to construct URLPattern",
      baseWithInit: "TypeError: Failed to construct URLPattern",
      badBase: "TypeError: Failed to construct URLPattern",
      badBaseInInit: "TypeError: Failed to construct URLPattern",
      duplicateName: "TypeError: Failed to construct URLPattern",
      badIPv6: "TypeError: Failed to construct URLPattern",
      badPort: "TypeError: Failed to construct URLPattern",
      badProtocol: "TypeError: Failed to construct URLPattern",
      number: "TypeError: Failed to construct URLPattern",
      numberBase: "TypeError: Failed to construct URLPattern",
      symbolInput: "TypeError: Cannot convert a Symbol value to a string",
      symbolMember: "TypeError: Cannot convert a Symbol value to a string",
      symbolBase: "TypeError: Cannot convert a Symbol value to a string",
      throwingGetter: "RangeError: mine",
      throwingGetterTypeError: "TypeError: mine",
      throwingIgnoreCase: "TypeError: mine",
      testBaseWithInit: "TypeError: Failed to test URLPattern",
      execBaseWithInit: "TypeError: Failed to exec URLPattern",
      testSymbol: "TypeError: Cannot convert a Symbol value to a string",
      execSymbolBase: "TypeError: Cannot convert a Symbol value to a string",
      testBadUrl: false,
      testBadBase: false,
      testBadInit: false,
    });
  });

  it("reads the input's members, then the options'", () => {
    const read: string[] = [];
    const spy = <T extends object>(tag: string, target: T) =>
      new Proxy(target, { get: (object, key) => (read.push(`${tag}.${String(key)}`), (object as Record<PropertyKey, unknown>)[key]) });
    // In the dictionary's declaration order (the standard's WebIDL would sort them).
    const inputReads = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash", "baseURL"].map((key) => `input.${key}`);
    for (const args of [[{ ignoreCase: true }], [undefined, { ignoreCase: true }]]) {
      read.length = 0;
      new Ours(spy("input", { pathname: "/x" }), ...args.map((arg) => arg && spy("options", arg)));
      expect(read).toEqual([...inputReads, "options.ignoreCase"]);
    }
    // A refused pattern is refused once every argument is read.
    read.length = 0;
    expect(() => new Ours(spy("input", { pathname: "/(" }), spy("options", { ignoreCase: true }))).toThrow(TypeError);
    expect(read).toEqual([...inputReads, "options.ignoreCase"]);
  });

  it("lists a dictionary input with all its members, undefined where not given", () => {
    const [input] = new Ours({}).exec({ pathname: "/p" })!.inputs as [Record<string, unknown>];
    expect(Object.entries(input)).toEqual(["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash", "baseURL"].map((key) => [key, key === "pathname" ? "/p" : undefined]));
  });

  it("matches a string that is no absolute URL, given no base, as a reference relative to none", () => {
    const components = (input: string) => {
      const result = new Ours({}).exec(input);
      return result && [result.protocol.input, result.username.input, result.hostname.input, result.port.input, result.pathname.input, result.search.input, result.hash.input];
    };
    expect(components("x y/z?q#h")).toEqual(["", "", "", "", "/x%20y/z", "q", "h"]);
    expect(components("//u@h:99/p")).toEqual(["", "u", "h", "99", "/p", "", ""]);
    expect(components("//h:abc/")).toBeNull();
    expect(new Ours({ protocol: "https" }).test("/x")).toBe(false);
  });

  it("takes the options given third after an undefined baseURL (a null one is the options)", () => {
    expect(new Ours({ pathname: "/Books" }, undefined, { ignoreCase: true }).test("https://a.b/books")).toBe(true);
    expect(new Ours({ pathname: "/Books" }, null, { ignoreCase: true }).test("https://a.b/books")).toBe(false);
    expect(new Ours({ pathname: "/Books" }, { ignoreCase: true }).test("https://a.b/books")).toBe(true);
  });
});
