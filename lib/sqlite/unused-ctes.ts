import { lowerAscii } from "../util/ascii-case.js";
import { readReferences } from "./table-references.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";

/** A common table expression: its name and the parentheses around its body. */
export interface Cte {
  name: string;
  open: number;
  close: number;
  /** Of a `WITH RECURSIVE` clause: its body may name it. */
  recursive: boolean;
}

/**
 * The statement's tokens without the bodies of the common table expressions nothing uses.
 * SQLite parses every CTE but resolves one only where a FROM names it, and its authorizer is
 * asked about the tables, columns and functions of what it resolves: an unused CTE over
 * `_cf_KV` or calling `sqlite_version()` is never refused. A CTE counts as used when a live
 * part of the statement (outside every unused CTE, and outside its own body, which is how a
 * recursive one names itself) reads a table of its name.
 */
export function withoutUnusedCtes(tokens: readonly Token[]): readonly Token[] {
  const ctes = commonTableExpressions(tokens);
  if (ctes.length === 0) return tokens;
  const references = readReferences(tokens);
  const inside = (index: number, cte: Cte) => index > cte.open && index < cte.close;
  const live = new Set<Cte>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const cte of ctes) {
      if (live.has(cte)) continue;
      const named = references.some(
        (r) => lowerAscii(r.name) === lowerAscii(cte.name) && !inside(r.index, cte) && ctes.every((o) => live.has(o) || !inside(r.index, o)),
      );
      if (named) {
        live.add(cte);
        grew = true;
      }
    }
  }
  return tokens.filter((_, i) => ctes.every((cte) => live.has(cte) || !inside(i, cte)));
}

/**
 * Whether the table reference at `index` named `name` names a common table expression of the
 * statement instead (`WITH _cf_KV AS (...) SELECT ... FROM _cf_KV` reads no table): one of that
 * name, outside its own body (where a name refers to the table, unless the CTE is recursive).
 */
export function namesCte(ctes: readonly Cte[], name: string, index: number): boolean {
  return ctes.some((cte) => lowerAscii(cte.name) === lowerAscii(name) && (index < cte.open || index > cte.close || cte.recursive));
}

/** Every `name [(columns)] AS [NOT] [MATERIALIZED] (body)` of every WITH clause. */
export function commonTableExpressions(tokens: readonly Token[]): Cte[] {
  const ctes: Cte[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], "WITH")) continue;
    const recursive = isKeyword(tokens[i + 1], "RECURSIVE");
    let j = recursive ? i + 2 : i + 1;
    while (isName(tokens[j])) {
      const name = identifierName(tokens[j]!);
      j++;
      if (isPunct(tokens[j], "(")) j = closingParen(tokens, j) + 1;
      if (!isKeyword(tokens[j], "AS")) break;
      j++;
      if (isKeyword(tokens[j], "NOT")) j++;
      if (isKeyword(tokens[j], "MATERIALIZED")) j++;
      if (!isPunct(tokens[j], "(")) break;
      const close = closingParen(tokens, j);
      ctes.push({ name, open: j, close, recursive });
      j = close + 1;
      if (!isPunct(tokens[j], ",")) break;
      j++;
    }
  }
  return ctes;
}
