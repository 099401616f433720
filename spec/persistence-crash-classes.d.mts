// Types for persistence-crash-classes.mjs (plain JS: the crash test's writer runs it in Node directly).
export const OBJECTS: [binding: "KV" | "SQL", name: string][];
export class CrashKv {}
export class CrashSql {}
export function crashOptions(dir: string, classes: Record<string, unknown>): import("../lib/index.js").EmulatorOptions;
