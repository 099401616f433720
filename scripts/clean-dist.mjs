// Empties dist/ before a build. tsc only adds and overwrites files, so without this a module
// moved or deleted in lib/ would live on in dist/ and hide an import or exports-map entry
// that no longer resolves.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

rmSync(join(dirname(fileURLToPath(import.meta.url)), "..", "dist"), { recursive: true, force: true });
