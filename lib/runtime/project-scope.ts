import { callerPastOwnFrames } from "../util/call-sites.js";

/**
 * Whether the project's own modules see the runtime's classes: under the Vitest plugin, every
 * project module (test files too) gets the Workers globals as bindings of its own (the plugin's
 * transform), while Node's code and the packages the process loads keep Node's globals. Code
 * that answers by who asks (an instance's `constructor`) then tells a read in a project module,
 * run as test code, from one in a package or in Node's code.
 */
let projectSeesRuntimeClasses = false;

/** The test runner gives the project's modules the runtime's classes from now on. */
export function projectModulesSeeRuntimeClasses(): void {
  projectSeesRuntimeClasses = true;
}

/** Whether the code that called `fn` (past durasim's own frames) is a project module that sees the runtime's classes. */
export function calledByProjectModule(fn: Function): boolean {
  if (!projectSeesRuntimeClasses) return false;
  const file = callerPastOwnFrames(fn, 6)?.getFileName();
  return file != null && !file.startsWith("node:") && !file.includes("/node_modules/");
}
