// URLPattern as Worker code sees it: its results are plain objects that cross RPC and storage as
// they are (Node 24's own are not), its class's shape, its refusals' words and ignoreCase.
import { cls } from "../scenario.mjs";

const probe = `function shapeOf(value) {
  const proto = Object.getPrototypeOf(value);
  // Keys sorted: the runtime lists a component's groups in its hash map's order.
  return { proto: proto === null ? "null" : proto === Object.prototype ? "Object" : "other", keys: Object.keys(value).sort() };
}
async function urlPatternProbe(storage) {
  const o = async (f) => { try { return await f(); } catch (e) { return { error: err(e) }; } };
  const match = new URLPattern({ pathname: "/posts/:id" }).exec("https://x.example/posts/7?q#h");
  const record = {
    match,
    resultShape: shapeOf(match),
    componentShape: shapeOf(match.pathname),
    groupsShape: shapeOf(match.pathname.groups),
    dictionaryInput: new URLPattern({ hostname: "{*.}?example.com" }).exec({ hostname: "a.example.com", pathname: "/p" }),
    withBase: new URLPattern("/a/:b", "https://x.example").exec("/a/c", "https://x.example/"),
    noMatch: new URLPattern({ pathname: "/a" }).exec("https://x.example/b"),
    members: Object.getOwnPropertyNames(URLPattern.prototype),
    statics: Object.getOwnPropertyNames(URLPattern),
    length: URLPattern.length,
    tag: Object.prototype.toString.call(new URLPattern()),
    hasRegExpGroups: [new URLPattern({ pathname: "/:id(\\\\d+)" }).hasRegExpGroups, new URLPattern({ pathname: "/:id" }).hasRegExpGroups],
    ignoreCase: [
      new URLPattern({ pathname: "/Foo" }, { ignoreCase: true }).test({ pathname: "/foo" }),
      new URLPattern("/Foo", "https://x.example", { ignoreCase: true }).test("https://x.example/FOO"),
      new URLPattern({ pathname: "/Foo" }).test({ pathname: "/foo" }),
      new URLPattern({ hostname: "X.example" }, { ignoreCase: true }).test({ hostname: "x.example" }),
    ],
    badPattern: await o(() => new URLPattern({ pathname: "/(" })),
    relativeWithoutBase: await o(() => new URLPattern("/a")),
    dictionaryWithBase: await o(() => new URLPattern({ pathname: "/a" }, "https://x.example")),
    badRegExp: await o(() => new URLPattern({ pathname: "/:id([)" })),
    testDictionaryWithBase: await o(() => new URLPattern({}).test({ pathname: "/a" }, "https://x.example")),
    execDictionaryWithBase: await o(() => new URLPattern({}).exec({ pathname: "/a" }, "https://x.example")),
    // A string that is no absolute URL, given no base, is matched as a reference relative to none.
    relativeInputs: ["not a url", "", "?q", "#h", "//u:p@h:99/p?q#f", "x y/z?q#h", "a/./b", "%zz", "//h:abc/", "http://[bad"].map((input) => {
      const match = new URLPattern({}).exec(input);
      return match === null ? null : ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"].map((name) => match[name].input);
    }),
    relativeTested: [new URLPattern({ pathname: "/a/*" }).test("a/b"), new URLPattern({ protocol: "https" }).test("/x")],
    illegalReceiver: await o(() => URLPattern.prototype.test.call({}, "https://x.example")),
    storePattern: await o(() => storage.put("pattern", new URLPattern())),
  };
  await storage.put("match", match);
  record.stored = await storage.get("match");
  return record;
}`;

export default [
  {
    name: "url pattern: results are plain objects that cross RPC and storage; shape and refusals",
    backend: "sqlite",
    source: cls(`  async probe() { return urlPatternProbe(this.ctx.storage); }`, { extra: probe }),
    drive: async (env) => show(await env.DO.getByName("a").probe()),
  },
];
