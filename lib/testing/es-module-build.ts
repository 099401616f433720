/**
 * durasim's ES module build (dist/), where every file a test runner's config points the runner
 * at lives (the Vitest plugin's runner and aliases, the Jest preset's environment, setup files,
 * shims and transform). The module naming them may be the CommonJS build's copy, in dist/cjs/,
 * when a CommonJS config requires it (and Jest always requires the preset's), yet the runner
 * must load the same files either way: the environment's copy of the runtime is the ES one.
 */
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const OWN_BUILD = fileURLToPath(new URL("../", import.meta.url));

/** The build's root directory, with a trailing separator. */
export const ES_MODULE_BUILD = OWN_BUILD.endsWith(`${sep}cjs${sep}`) ? dirname(OWN_BUILD) + sep : OWN_BUILD;

/** The absolute path of a file of the ES module build, by its path under dist/. */
export const esModuleBuildFile = (path: string): string => join(ES_MODULE_BUILD, path);
