/**
 * Replaces `target[name]` (if it is a function) with a method of the same name and length and
 * the same property attributes, which runs `call(original, this, args)`. A method, not a
 * function expression: like the host's, it has no prototype and cannot be constructed.
 */
export function replaceMethod(
  target: Record<string, unknown>,
  name: string,
  call: (original: Function, self: unknown, args: unknown[]) => unknown,
): void {
  const original = target[name];
  if (typeof original !== "function") return;
  const replacement = {
    [name](this: unknown, ...args: unknown[]) {
      return call(original, this, args);
    },
  }[name]!;
  Object.defineProperty(replacement, "length", { value: original.length });
  Object.defineProperty(target, name, { ...Object.getOwnPropertyDescriptor(target, name), value: replacement });
}
