/**
 * A wrangler file's `main` is often TypeScript (wrangler bundles it). Node imports `.ts` only
 * when it strips types itself (Node 22.18 and later) or a loader is registered; otherwise the
 * import fails with Node's bare "Unknown file extension", which names neither the config key
 * nor a way out. This turns that failure into a ConfigError that names both.
 */
import { extname } from "node:path";
import { ConfigError } from "../../util/config-error.js";

const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"];

/** The ConfigError for a TypeScript `main` Node could not import, or undefined for any other failure. */
export function unloadableTypeScript(error: unknown, main: string, configPath: string): ConfigError | undefined {
  if ((error as { code?: unknown } | null)?.code !== "ERR_UNKNOWN_FILE_EXTENSION" || !TYPESCRIPT_EXTENSIONS.includes(extname(main))) return undefined;
  return new ConfigError(
    `durasim: "main" in ${configPath} is TypeScript (${main}), which Node ${process.version} cannot import by itself. ` +
      `Run Node with a TypeScript loader (node --import tsx), use Node 22.18 or later, point "main" at the built JavaScript, ` +
      `or pass the module a test runner compiled: Emulator.fromWrangler(path, { module: await import("./src/index.ts") }).`,
  );
}
