/**
 * Alchemy's Durable Object namespace declaration, `DurableObjectNamespace(id, props)`: a stable
 * id that names the namespace, so renaming the class keeps its objects and data.
 */
import { ConfigError } from "../util/config-error.js";

/** A stable namespace declaration in the shape of Alchemy's `DurableObjectNamespace(id, props)`. */
export interface DurableObjectNamespaceDeclaration {
  readonly type: "durable_object_namespace";
  /** Stable identifier: storage and IDs are keyed by it, so renaming the class keeps the data. */
  readonly id: string;
  readonly className: string;
  readonly scriptName?: string;
  readonly sqlite?: boolean;
  /** The environment of `scriptName`; recorded (there is one local copy of each Worker). */
  readonly environment?: string;
}

/** Alchemy-style namespace declaration: a stable id that survives class renames. */
export function DurableObjectNamespace(
  id: string,
  props: { className: string; scriptName?: string; sqlite?: boolean; environment?: string },
): DurableObjectNamespaceDeclaration {
  if (typeof id !== "string" || id === "") throw new ConfigError(`durasim: DurableObjectNamespace(id, props) needs a non-empty string id, got ${JSON.stringify(id) ?? String(id)}.`);
  return { type: "durable_object_namespace", id, ...props };
}
