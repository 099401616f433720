/**
 * What every front door (wrangler file, Miniflare options, Alchemy declarations) translates
 * into: Emulator options, in the shape `new Emulator(options)` takes. A translator only
 * produces data; it never builds runtime objects, so one translation can be checked, merged
 * with user overrides, and handed to the emulator or to a test-runner plugin alike.
 */
import type { DurableObjectNamespaceDeclaration } from "./declarations.js";
import type { Migration } from "./migrations.js";
import type { PersistOptions } from "./persist-options.js";
import type { RatelimitOption } from "./ratelimits.js";
import type { DurableObjectExports } from "./exports.js";

/** A Durable Object binding as a translator resolves it. */
export interface TranslatedDesignator {
  className: string;
  /** The Worker that hosts the class, when it is not the Worker that binds it. */
  scriptName?: string;
  /** Explicit backend; left out, the host's migrations (or the host's own binding) decide. */
  sqlite?: boolean;
  preventEviction?: boolean;
  /** The namespace key storage and IDs derive from (Miniflare's `unsafeUniqueKey`). */
  uniqueKey?: string;
  /** The environment of `scriptName` (wrangler and Alchemy record it; there is one local copy). */
  environment?: string;
}

export type TranslatedDurableObject = string | TranslatedDesignator | DurableObjectNamespaceDeclaration;

/** A service binding in Miniflare's shape: a Worker's name, a Worker and one of its entrypoints, or a function handling the request. */
export type TranslatedService =
  | string
  | { name: string; entrypoint?: string; props?: Record<string, unknown> }
  | ((request: Request) => Response | Promise<Response>);

/** One module of a Worker given as a list (Miniflare's `modules: [...]`): the first is the entry point. */
export interface TranslatedModule {
  type: "ESModule" | "CommonJS";
  /** Absolute path: where it is on disk, or where it is placed when `contents` is given. */
  path: string;
  contents?: string;
}

export interface TranslatedWorker {
  name?: string;
  module?: Record<string, unknown>;
  modulePath?: string;
  script?: string;
  /** Several modules with inline contents; the first is the entry point. */
  modules?: TranslatedModule[];
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  durableObjects?: Record<string, TranslatedDurableObject>;
  /** Classes with a namespace and no binding (Miniflare's `additionalUnboundDurableObjects`), reached through ctx.exports. */
  unboundDurableObjects?: Array<string | TranslatedDesignator>;
  bindings?: Record<string, unknown>;
  migrations?: Migration[];
  exports?: DurableObjectExports;
  /** Binding name to KV namespace id: two bindings with one id share the data. */
  kvNamespaces?: Record<string, string>;
  /** Binding name to R2 bucket name. */
  r2Buckets?: Record<string, string>;
  /** Binding name to rate limiting namespace and limits, in Miniflare's shape (checked when the emulator resolves it). */
  ratelimits?: Record<string, RatelimitOption>;
  serviceBindings?: Record<string, TranslatedService>;
  cache?: boolean;
  cacheWarnUsage?: boolean;
}

export interface TranslatedOptions extends TranslatedWorker {
  /** false: memory; true: the default directory; a string: that directory; or directories per kind. */
  persist?: boolean | string | PersistOptions;
  workers?: TranslatedWorker[];
}
