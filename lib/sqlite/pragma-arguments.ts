import { ALLOWED_PRAGMAS } from "./allow-lists.js";
import { isProtectedName } from "./authorizer.js";
import { parameterNumbers } from "./parameters.js";
import { sqliteError } from "./sqlite-error.js";
import { readReferences } from "./table-references.js";
import { isPunct, type Token } from "./tokenizer.js";
import { lowerAscii } from "../util/ascii-case.js";

/**
 * A table-valued PRAGMA (`FROM pragma_table_info(?)`) runs its PRAGMA as it is stepped, with
 * the argument's value, and workerd's authorizer refuses that PRAGMA when the value names a
 * protected table (`not authorized`), as it refuses a literal one when the statement is
 * prepared (authorizer.ts). A bound parameter's value durasim knows before the first step, so
 * that step fails with workerd's error. (An argument computed per row it does not check.)
 */

/** The numbers of the parameters a statement binds as a table-valued PRAGMA's argument (not its schema). */
export function pragmaArgumentParameters(tokens: readonly Token[]): number[] {
  const numbers = parameterNumbers(tokens);
  const found: number[] = [];
  for (const reference of readReferences(tokens)) {
    const lower = lowerAscii(reference.name);
    if (!lower.startsWith("pragma_") || ALLOWED_PRAGMAS.get(lower.slice("pragma_".length)) === "any") continue;
    const argument = reference.index + 2;
    const ends = tokens[argument + 1];
    const number = numbers.get(argument);
    if (isPunct(tokens[reference.index + 1], "(") && number !== undefined && (isPunct(ends, ")") || isPunct(ends, ","))) found.push(number);
  }
  return found;
}

/** Refuses the run whose bound value (`values[n - 1]` for parameter n) names a protected table as a PRAGMA's argument. */
export function authorizePragmaArguments(parameters: readonly number[], values: readonly unknown[]): void {
  for (const number of parameters) {
    const value = values[number - 1];
    if (typeof value === "string" && isProtectedName(value)) throw sqliteError("not authorized", "SQLITE_AUTH");
  }
}
