/**
 * How a Worker module gets the Workers globals (worker-globals.ts, worker-scope.ts) without
 * touching globalThis: a one-line import prepended to its source, on its first line so that
 * line numbers stay as written (the first line's columns shift). Only the names the module
 * mentions are imported; a name the module may bind at its top level (declared-names.ts) is
 * left out, since importing it too would be a redeclaration; the module then uses its own.
 * This file stays free of runtime imports: Node's module-hooks thread loads it.
 */

import { topLevelNames } from "./declared-names.js";

export const WORKER_GLOBAL_NAMES = [
  "WebSocketPair",
  "WebSocket",
  "Response",
  "Request",
  "WebSocketRequestResponsePair",
  "MessageEvent",
  "CloseEvent",
  "ErrorEvent",
  "IdentityTransformStream",
  "FixedLengthStream",
] as const;

/** Workers globals given to Worker modules alone (worker-scope.ts), never made global. */
export const WORKER_SCOPE_NAMES = [
  "atob", "btoa", "CompressionStream", "DecompressionStream", "Headers", "navigator", "Navigator", "queueMicrotask", "self",
  "structuredClone", "TextDecoder", "URL", "URLSearchParams",
] as const;

/**
 * The module that exports them, beside this one with the same extension: the build's .js, or
 * the .ts source when a test runner runs durasim from source (checked by
 * spec/modules/worker-globals.spec.ts).
 */
const EXTENSION = import.meta.url.slice(import.meta.url.lastIndexOf("."));
export const WORKER_GLOBALS_URL = new URL(`./worker-globals${EXTENSION}`, import.meta.url).href;
export const WORKER_SCOPE_URL = new URL(`./worker-scope${EXTENSION}`, import.meta.url).href;

/**
 * `source` with an import of every Worker global it mentions and does not bind itself, from
 * `globalsUrl` and `scopeUrl` (a caller in the CommonJS build names the ES module build's
 * copies, whose classes the runtime checks its arguments against). A hashbang line becomes a
 * comment after the import, so the source keeps its lines.
 */
export function withWorkerGlobals(source: string, globalsUrl = WORKER_GLOBALS_URL, scopeUrl = WORKER_SCOPE_URL): string {
  // Most modules mention none of the names: those need no lexing.
  if (![...WORKER_GLOBAL_NAMES, ...WORKER_SCOPE_NAMES].some((name) => mentions(source, name))) return source;
  const names = topLevelNames(source);
  const imports = importOf(WORKER_GLOBAL_NAMES, globalsUrl, names ? (name) => names.mentioned.has(name) && !names.declared.has(name) : (name) => mentions(source, name) && !bindsName(source, name)) +
    // Where the module's text cannot be followed, it gets none of these, as before they existed.
    (names === undefined ? "" : importOf(WORKER_SCOPE_NAMES, scopeUrl, (name) => names.mentioned.has(name) && !names.declared.has(name)));
  if (imports === "") return source;
  return source.startsWith("#!") ? `${imports}//${source.slice(2)}` : imports + source;
}

/** The import of those of `names` that `wanted`, or "". */
function importOf(names: readonly string[], from: string, wanted: (name: string) => boolean): string {
  const used = names.filter(wanted);
  return used.length === 0 ? "" : `import { ${used.join(", ")} } from ${JSON.stringify(from)};`;
}

function mentions(source: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(source);
}

/**
 * For a module the lexer (declared-names.ts) cannot follow: whether it binds `name` anywhere, by
 * the patterns used before it existed.
 */
function bindsName(source: string, name: string): boolean {
  const patterns = [
    `\\b(?:class|function\\*?|const|let|var|import)\\s+${name}\\b`,
    `\\bas\\s+${name}\\b`,
    `\\bimport\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b(?!\\s+as\\b)[^}]*\\}`,
    `\\b(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b(?!\\s*:)[^}]*\\}\\s*=`,
  ];
  return patterns.some((pattern) => new RegExp(pattern).test(source));
}
