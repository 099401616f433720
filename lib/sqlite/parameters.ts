import type { Token } from "./tokenizer.js";

/**
 * workerd sets SQLITE_LIMIT_VARIABLE_NUMBER to 100 (sql.js would allow 32,766). SQLite enforces
 * it here too (native-limits.ts), so it decides, as there, which error a statement reports when
 * the parameter error is raised in the same parser step as another one (the later overwrites
 * it: `? + ? + ... + ?` of 101 terms reports its depth).
 */
export const MAX_PARAMETERS = 100;

/**
 * The number of parameters a statement takes (what `sqlite3_bind_parameter_count` returns),
 * numbered as SQLite numbers them: `?` takes the next number, `?NNN` names one, and a named
 * parameter (`:a`, `@a`, `$a`, `#a`, `$a(x)`) gets a number on first use and keeps it.
 */
export function countParameters(tokens: readonly Token[]): number {
  return numberParameters(tokens).highest;
}

/**
 * The index of the token at which SQLite raises its parameter error ("too many SQL variables",
 * "variable number must be between ?1 and ?100"): a `?NNN` out of range, or the parameter that
 * takes number 101. Undefined when there is none.
 */
export function excessParameter(tokens: readonly Token[]): number | undefined {
  return numberParameters(tokens).excess;
}

/**
 * The number SQLite gives each parameter of the statement, by the index of its token (a
 * parameter past workerd's limit included).
 */
export function parameterNumbers(tokens: readonly Token[]): Map<number, number> {
  return numberParameters(tokens).numbers;
}

function numberParameters(tokens: readonly Token[]): { highest: number; excess: number | undefined; numbers: Map<number, number> } {
  let highest = 0;
  let excess: number | undefined;
  const named = new Map<string, number>();
  const numbers = new Map<number, number>();
  tokens.forEach((token, at) => {
    if (token.kind !== "variable") return;
    if (token.text.startsWith("?") && token.text.length > 1) {
      const index = Number(token.text.slice(1));
      if (!(index >= 1 && index <= MAX_PARAMETERS)) excess ??= at;
      else highest = Math.max(highest, index);
      numbers.set(at, index);
      return;
    }
    const known = token.text === "?" ? undefined : named.get(token.text);
    if (known !== undefined) {
      numbers.set(at, known);
      return;
    }
    highest++;
    if (highest > MAX_PARAMETERS) excess ??= at;
    if (token.text !== "?") named.set(token.text, highest);
    numbers.set(at, highest);
  });
  return { highest, excess, numbers };
}
