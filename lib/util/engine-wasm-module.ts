/**
 * The registered symbol under which a realm's global object keeps the engine's own
 * `WebAssembly.Module` once durasim has put its refusing stand-in in that constructor's place
 * (runtime/globals/web-assembly.ts). The `.wasm` imports durasim makes (modules/module-rules.ts)
 * construct with it: the runtime compiles a Worker's modules up front, so importing one inside
 * an event is no code generation, though evaluating durasim's module then runs as that event's.
 * Here, below both, because the module hooks' thread loads module-rules.ts without the runtime.
 */
export const ENGINE_WASM_MODULE_KEY = "durasim.engineWasmModule";
