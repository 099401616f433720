import type { Token } from "./tokenizer.js";

/**
 * `compute`, a function of a token array alone, remembered for frozen arrays (a shared parse's
 * tokens cannot change, so neither can the result); computed afresh for any other array. The
 * result is shared too: callers must not change it.
 */
export function rememberedForFrozen<R extends object>(compute: (tokens: readonly Token[]) => R): (tokens: readonly Token[]) => R {
  const remembered = new WeakMap<readonly Token[], R>();
  return (tokens) => {
    if (!Object.isFrozen(tokens)) return compute(tokens);
    let result = remembered.get(tokens);
    if (result === undefined) {
      result = compute(tokens);
      remembered.set(tokens, result);
    }
    return result;
  };
}
