/**
 * The machine's function behind a fake timer installed before durasim was imported.
 *
 * @sinonjs/fake-timers (sinon's, and what Vitest's and Jest's fake timers are built on) replaces
 * the globals and, for the process's own global object, node:timers' functions too, so even an
 * import of node:timers made after `install()` gets the fake. It marks each fake with its clock
 * and keeps the function it replaced on that clock as `_<name>`: that is what a fake gives back
 * here. Anything else (the real function, another library's fake) is returned as it is.
 */
export function unfaked<F extends (...args: never[]) => unknown>(fn: F, name: string): F {
  const original = (fn as unknown as { clock?: Record<string, unknown> }).clock?.[`_${name}`];
  return typeof original === "function" ? (original as F) : fn;
}
