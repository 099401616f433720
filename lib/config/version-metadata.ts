import { randomUUID } from "node:crypto";
import { madeBinding } from "./made-bindings.js";

/**
 * The value of a `version_metadata` binding (wrangler's `[version_metadata] binding = "X"`,
 * Miniflare's `versionMetadata: "X"`, Alchemy's `VersionMetadata()`) as wrangler dev and
 * Miniflare 4 give it locally, where there is no deployed version: a plain object whose `id` is
 * a random UUID made with the binding, whose `tag` is empty and whose `timestamp` is when the
 * binding was made (ISO 8601). Each Worker's binding is made once, with the Worker's options.
 */
export interface VersionMetadata {
  id: string;
  tag: string;
  timestamp: string;
}

export function localVersionMetadata(): VersionMetadata {
  return madeBinding({ id: randomUUID(), tag: "", timestamp: new Date().toISOString() });
}
