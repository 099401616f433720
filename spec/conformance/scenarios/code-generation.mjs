// Code made from bytes or strings at run time: WebAssembly compiled from bytes, which the
// runtime refuses in handlers and object code but allows while the Worker's modules are
// evaluated, where modules compiled then (or imported) stay usable; and eval, the Function
// constructors and string timers.
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

/** Every way of compiling or using WebAssembly, each recorded as threw/rejected/returned. */
const WASM_ATTEMPTS = `
    // The smallest valid module: the magic number and version 1.
    const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    return howAll({
      module: () => new WebAssembly.Module(wasm) instanceof WebAssembly.Module,
      compile: async () => (await WebAssembly.compile(wasm)) instanceof WebAssembly.Module,
      instantiate: async () => Object.keys(await WebAssembly.instantiate(wasm)),
      validate: () => WebAssembly.validate(wasm),
      moduleNotNew: () => WebAssembly.Module(wasm),
      moduleNoBytes: () => new WebAssembly.Module(),
      moduleBadBytes: () => new WebAssembly.Module(new Uint8Array([1, 2])),
      moduleSubclass: () => new (class extends WebAssembly.Module {})(wasm),
      compileNumber: () => WebAssembly.compile(5),
      compileBadBytes: () => WebAssembly.compile(new Uint8Array([1, 2])),
      instantiateNumber: () => WebAssembly.instantiate(5),
      instantiateObject: () => WebAssembly.instantiate({}),
      instantiateBuffer: () => WebAssembly.instantiate(wasm.buffer),
      instantiateBadBytes: () => WebAssembly.instantiate(new Uint8Array([1, 2])),
      instantiateModule: async () => Object.prototype.toString.call(await WebAssembly.instantiate(PREMADE)),
      newInstance: () => Object.prototype.toString.call(new WebAssembly.Instance(PREMADE)),
      premade: () => [PREMADE instanceof WebAssembly.Module, WebAssembly.Module.name, WebAssembly.Module.length, WebAssembly.compile.name, WebAssembly.compile.length, WebAssembly.instantiate.name, WebAssembly.instantiate.length],
      compileNew: () => new WebAssembly.compile(wasm),
      ownKeys: () => [Reflect.ownKeys(WebAssembly.compile), Reflect.ownKeys(WebAssembly.instantiate)],
      exportsOf: () => WebAssembly.Module.exports(PREMADE),
    });`;

/** Every way of turning a string into code. */
const STRING_ATTEMPTS = `
    const AsyncFunction = (async () => {}).constructor;
    const GeneratorFunction = function* () {}.constructor;
    return howAll({
      eval: () => eval("1 + 1"),
      indirectEval: () => (0, eval)("2 + 2"),
      globalEval: () => globalThis.eval("3"),
      fn: () => new Function("return 1")(),
      fnCall: () => Function("return 2")(),
      fnEmpty: () => typeof new Function(),
      asyncFn: () => new AsyncFunction("return 3"),
      generatorFn: () => new GeneratorFunction("yield 4"),
      timerString: () => { const t = setTimeout("globalThis.__ran = 1", 0); clearTimeout(t); return typeof t; },
    });`;

/** A module compiled while the Worker's module is evaluated, which the runtime allows. */
const PREMADE = `const PREMADE = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));`;
const HELPERS = `${CALL_HELPERS}\n${PREMADE}`;
const IMPORT = `import { DurableObject } from "cloudflare:workers";`;

const EVAL_DIFFERS =
  "durasim runs Worker code in Node's own realm, whose eval and Function constructors it cannot take away without taking them from the tests too; the runtime refuses them outside module evaluation (README, Differences from production)";

export default [
  insideWith(HELPERS, "code generation: WebAssembly from bytes is refused inside an object, modules compiled at startup still instantiate", "sqlite", WASM_ATTEMPTS),
  {
    name: "code generation: WebAssembly from bytes is refused in a Worker's handler, modules compiled at startup still instantiate",
    backend: "kv",
    source: `${HELPERS}\n${IMPORT}\nexport class DO extends DurableObject {}\nasync function attempts() {${WASM_ATTEMPTS}\n}\n`,
    drive: async () => attempts(),
  },
  {
    name: "code generation: WebAssembly compiled while the module is evaluated, refused in an object's constructor",
    backend: "sqlite",
    source: `${HELPERS}\n${IMPORT}
const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
function attempt(f) { try { const r = f(); return r instanceof Promise ? r.then((v) => ({ ok: show(v) }), (e) => ({ error: err(e) })) : { ok: show(r) }; } catch (e) { return { error: err(e) }; } }
// Each call is made synchronously while the module is evaluated; promises are awaited later.
const TOP = { module: attempt(() => new WebAssembly.Module(wasm) instanceof WebAssembly.Module), compile: attempt(() => WebAssembly.compile(wasm).then((m) => m instanceof WebAssembly.Module)),
  instantiate: attempt(() => WebAssembly.instantiate(wasm).then((r) => Object.keys(r))) };
async function attempts() {${WASM_ATTEMPTS}\n}
export class DO extends DurableObject {
  constructor(ctx, env) { super(ctx, env); this.made = attempts(); }
  async get() { return { top: { module: TOP.module, compile: await TOP.compile, instantiate: await TOP.instantiate }, ctor: await this.made }; }
}\n`,
    drive: async (env) => env.DO.getByName("a").get(),
  },
  {
    ...insideWith(CALL_HELPERS, "code generation: eval, Function constructors and string timers inside an object", "sqlite", STRING_ATTEMPTS),
    differs: EVAL_DIFFERS,
  },
];
