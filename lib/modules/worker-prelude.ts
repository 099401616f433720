/**
 * How a Worker module gets the Workers globals (worker-globals.ts, worker-scope.ts) without
 * touching globalThis: a one-line import prepended to its source, on its first line so that
 * line numbers stay as written (the first line's columns shift). Only the names the module
 * mentions are imported, and none it binds itself (declared-names.ts): the module uses its own.
 *
 * The invariant: the prelude never turns a valid module into a SyntaxError, and never withholds a
 * global from a module that uses the name without declaring it. Both halves rest on knowing the
 * module's scope exactly, so the check parses the module as JavaScript, TypeScript once Node has
 * stripped its types (an object key `URL:` and an annotation `a: URL` differ only by language).
 * Where the scope cannot be known (the module does not parse, or is TypeScript on a Node that
 * cannot strip types) the first half wins: the module is left as written and sees Node's globals.
 * This file stays free of durasim's runtime imports: Node's module-hooks thread loads it.
 */

import * as nodeModule from "node:module";
import { WORKER_GLOBAL_NAMES } from "../util/worker-global-names.js";
import { lettersSpelledOut, mayBind, moduleScopeNames } from "./declared-names.js";


/** Workers globals given to Worker modules alone (worker-scope.ts), never made global. */
export const WORKER_SCOPE_NAMES = [
  "AbortController", "AbortSignal", "atob", "Atomics", "Blob", "BroadcastChannel", "btoa", "ByteLengthQueuingStrategy", "Cache", "CacheStorage", "Cloudflare", "CompressionStream", "CountQueuingStrategy", "Crypto", "CryptoKey", "CustomEvent", "DecompressionStream", "DOMException", "EventTarget", "ExtendableEvent", "FetchEvent", "File", "FormData", "Headers", "JSON", "navigator", "Navigator", "origin", "performance", "Performance", "queueMicrotask", "ReadableByteStreamController", "ReadableStream", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest",
  "ReadableStreamDefaultController", "ReadableStreamDefaultReader", "reportError", "self",
  "ServiceWorkerGlobalScope", "structuredClone", "SubtleCrypto", "TextDecoder", "TextDecoderStream", "TextEncoder", "TextEncoderStream", "TransformStream", "TransformStreamDefaultController", "URL", "URLPattern", "URLSearchParams", "WebAssembly", "WorkerGlobalScope", "WritableStream",
  "WritableStreamDefaultController", "WritableStreamDefaultWriter",
] as const;

/**
 * The module that exports them, beside this one with the same extension: the build's .js, or
 * the .ts source when a test runner runs durasim from source (checked by
 * spec/modules/worker-globals.spec.ts).
 */
const EXTENSION = import.meta.url.slice(import.meta.url.lastIndexOf("."));
export const WORKER_GLOBALS_URL = new URL(`./worker-globals${EXTENSION}`, import.meta.url).href;
export const WORKER_SCOPE_URL = new URL(`./worker-scope${EXTENSION}`, import.meta.url).href;

/** How a caller names the module's language and where the globals come from. */
export interface PreludeOptions {
  /** TypeScript is checked with its types stripped; JavaScript (the default) as it is. */
  language?: "javascript" | "typescript";
  /**
   * The modules the imports name: by default this build's; a caller in the CommonJS build names
   * the ES module build's copies, whose classes the runtime checks its arguments against.
   */
  globalsUrl?: string;
  scopeUrl?: string;
}

const ALL_NAMES: readonly string[] = [...WORKER_GLOBAL_NAMES, ...WORKER_SCOPE_NAMES];
const MENTION = new RegExp(`\\b(?:${ALL_NAMES.join("|")})\\b`, "g");

/**
 * `source` with an import of every Worker global it mentions and does not bind itself
 * (declared-names.ts), or `source` itself where it mentions none, or where its scope cannot be
 * known (it may bind a name and does not parse; TypeScript on a Node without
 * module.stripTypeScriptTypes): a module gets a global only where the import cannot clash with
 * its own declaration. A hashbang line
 * becomes a comment after the import, so the source keeps its lines.
 */
export function withWorkerGlobals(source: string, options: PreludeOptions = {}): string {
  const javascript = options.language === "typescript" ? withoutTypes(source) : source;
  if (javascript === undefined) return source;
  const plain = lettersSpelledOut(javascript);
  const mentioned = mentionedNames(plain);
  // Most modules mention none of the names: those need no parse.
  if (mentioned.size === 0) return source;
  // The parse is needed only where the module may bind one of them (declared-names.ts).
  const declared = [...mentioned].some((name) => mayBind(plain, name)) ? moduleScopeNames(javascript) : new Set<string>();
  if (declared === undefined) return source;
  const wanted = (name: string) => mentioned.has(name) && !declared.has(name);
  const imports = importOf(WORKER_GLOBAL_NAMES, options.globalsUrl ?? WORKER_GLOBALS_URL, wanted) + importOf(WORKER_SCOPE_NAMES, options.scopeUrl ?? WORKER_SCOPE_URL, wanted);
  if (imports === "") return source;
  return source.startsWith("#!") ? `${imports}//${source.slice(2)}` : imports + source;
}

/** The import of those of `names` that `wanted`, or "". */
function importOf(names: readonly string[], from: string, wanted: (name: string) => boolean): string {
  const used = names.filter(wanted);
  return used.length === 0 ? "" : `import { ${used.join(", ")} } from ${JSON.stringify(from)};`;
}

/**
 * The names the text (its letters spelled out) mentions anywhere. A mention in a string, a
 * comment or as a property only costs an import the module does not use.
 */
function mentionedNames(plain: string): Set<string> {
  return new Set(plain.match(MENTION));
}

type StripTypeScriptTypes = (code: string, options: { mode: "transform" }) => string;

/**
 * A TypeScript module as the JavaScript Node runs (Node 22.13 and newer), for the check alone: the
 * import goes into the TypeScript as written. Transform mode, so that an `enum` or `namespace`
 * shows as the declaration it compiles to. Undefined where Node cannot strip it.
 */
function withoutTypes(typescript: string): string | undefined {
  const strip = (nodeModule as { stripTypeScriptTypes?: StripTypeScriptTypes }).stripTypeScriptTypes;
  if (strip === undefined) return undefined;
  // Node calls the function experimental, once per process, on stderr; the user asked for none of it.
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).includes("stripTypeScriptTypes")) Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  try {
    return strip(typescript, { mode: "transform" });
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}
