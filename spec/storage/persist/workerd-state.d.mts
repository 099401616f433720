// Types for workerd-state.mjs (plain JS so it can share the conformance runner's workerd setup).
export const SCRIPT: string;
export const KV_CLASS: string;
export const SQL_CLASS: string;
export const VALUES_SOURCE: string;
export const DESCRIBE_SOURCE: string;
export const WORKER_SOURCE: string;

export type ObjectKind = "kv" | "sql";

export interface RunningWorkerd {
  port: number;
  pid: number;
  kill(): Promise<void>;
  stderr(): string;
}

export interface ObjectState {
  /** Keys in list() order, each with DESCRIBE_SOURCE's description of its value. */
  entries: [string, string][];
  alarm: number | null;
  name: string | null;
  tables?: string[];
  items?: [number, string, number, string][] | null;
}

export function startWorkerd(stateDirectory: string): Promise<RunningWorkerd>;
export function writeStateWithWorkerd(
  stateDirectory: string,
  writes: { kind: ObjectKind; name: string; alarm: number | null }[],
): Promise<Record<string, string>>;
export function readStateWithWorkerd(
  stateDirectory: string,
  reads: { kind: ObjectKind; name: string; waitForAlarm?: boolean }[],
): Promise<Record<string, ObjectState>>;

/** Runs `workerd test config.capnp` in `dir` (which holds the config and its modules). */
export function runWorkerdTest(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
/** The compatibility date the conformance runner gives workerd. */
export const COMPATIBILITY_DATE: string;
