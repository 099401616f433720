/**
 * How long a test that runs a Node child process may take. The child imports durasim afresh
 * (module loading, sql.js compiling) before it does anything: on a saturated 2-core machine
 * that alone took over Vitest's default 20 s. Such tests check what the child prints, not how
 * fast it ran.
 */
export const CHILD_PROCESS_TIMEOUT = 90_000;
