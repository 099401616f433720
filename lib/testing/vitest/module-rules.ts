/**
 * Wrangler's default module rules, which Cloudflare's integration applies to what Vite loads: an
 * import of a `*.txt`, `*.html` or `*.sql` file is its text, of a `*.bin` file its bytes (an
 * ArrayBuffer), of a `*.wasm` file (also as `*.wasm?module`) a compiled WebAssembly.Module, as
 * when wrangler bundles the Worker. Any other query (`?raw`, `?url`, `?init`) stays Vite's, and
 * a name that only contains such an extension (`add.wasm.test.ts`) is not matched.
 */
import { readFileSync } from "node:fs";

const TEXT = /\.(?:txt|html|sql)$/;
const DATA = /\.bin$/;
const COMPILED_WASM = /\.wasm$/;

/** The module a rule makes of `id` (a path Vite resolved, with its query), or undefined when no rule applies. */
export function moduleRuleSource(id: string): string | undefined {
  const queryAt = id.indexOf("?");
  const path = queryAt === -1 ? id : id.slice(0, queryAt);
  const query = queryAt === -1 ? "" : id.slice(queryAt);
  if (query === "" && TEXT.test(path)) return `export default ${JSON.stringify(readFileSync(path, "utf8"))};`;
  const read = `import { readFileSync } from "node:fs";\nconst bytes = readFileSync(${JSON.stringify(path)});\n`;
  if (query === "" && DATA.test(path)) return `${read}export default bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);`;
  if ((query === "" || query === "?module") && COMPILED_WASM.test(path)) return `${read}export default new WebAssembly.Module(bytes);`;
  return undefined;
}
