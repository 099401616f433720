/**
 * How a Worker module gets the Workers globals (worker-globals.ts) without touching globalThis:
 * a one-line import prepended to its source, on its first line so that line numbers stay as
 * written. Only the names the module mentions are imported; a name the module binds itself (a declaration, an import or destructuring of that
 * name) is left out, since importing it too would be a redeclaration; the module then uses its
 * own. This file stays free of runtime imports: Node's module-hooks thread loads it.
 */

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
 * copies, whose classes the runtime checks its arguments against).
 */
export function withWorkerGlobals(source: string, globalsUrl = WORKER_GLOBALS_URL, scopeUrl = WORKER_SCOPE_URL): string {
  const imports = importOf(WORKER_GLOBAL_NAMES, globalsUrl, source) + importOf(WORKER_SCOPE_NAMES, scopeUrl, source);
  return imports === "" ? source : imports + source;
}

/** The import of those of `names` that `source` mentions and does not bind, or "". */
function importOf(names: readonly string[], from: string, source: string): string {
  const used = names.filter((name) => new RegExp(`\\b${name}\\b`).test(source) && !bindsName(source, name));
  return used.length === 0 ? "" : `import { ${used.join(", ")} } from ${JSON.stringify(from)};`;
}

/**
 * Whether the module binds `name` at all: a declaration (`class X`, `const X`, `function X`),
 * a default or namespace import (`import X`, `as X`), a named import (`import { X }`), or a
 * destructuring declaration (`const { X } = ...`). Erring towards "yes" only costs the global.
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
