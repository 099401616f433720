import type { Database } from "sql.js";
import { identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";

/**
 * An estimate of workerd's `rowsRead`/`rowsWritten`. workerd counts b-tree rows visited and
 * written inside the VDBE (a patched SQLite); stock SQLite, and so sql.js, has no such counter.
 * The estimate uses what sql.js does report - rows returned and `sqlite3_changes()` - and
 * matches workerd for point lookups, full-table SELECTs, sorts of a whole table (each row is
 * read twice: from the table, then from the sorter), INSERT (one write per index too), DELETE
 * and UPDATE of unindexed columns. It undercounts rows that are examined without being
 * returned (aggregates, unindexed filters, LIMIT: workerd reads the whole table there),
 * UPDATEs of indexed columns (workerd adds one write per index) and DDL (workerd counts its
 * sqlite_master rows). An UPSERT that updates counts as an INSERT.
 */

export type StatementKind = "select" | "insert" | "update" | "delete" | "other";

export interface StatementShape {
  kind: StatementKind;
  /** Table an INSERT writes, for counting its indexes. */
  target?: string | undefined;
  /** INSERT ... SELECT: reads one source row per inserted row. */
  insertSelect: boolean;
  /** DELETE without WHERE: SQLite empties the table without reading it (workerd reads 0). */
  truncates: boolean;
  /** CREATE, DROP or ALTER: cached schema facts are stale afterwards. */
  changesSchema: boolean;
  /** A query with ORDER BY or GROUP BY, which SQLite may sort in a temporary b-tree. */
  maySort: boolean;
}

/** What the counters need to know from the database, asked only when it matters. */
export interface CounterFacts {
  /** Index b-trees an INSERT into `table` writes besides the table itself. */
  indexCount(table: string): number;
  /** Whether the statement's plan sorts rows in a temporary b-tree. */
  sortsInTempBtree(): boolean;
}

export function statementShape(tokens: readonly Token[]): StatementShape {
  const verbIndex = mainVerbIndex(tokens);
  const verb = tokens[verbIndex]?.text.toUpperCase() ?? "";
  const kind: StatementKind =
    verb === "SELECT" || verb === "VALUES"
      ? "select"
      : verb === "INSERT" || verb === "REPLACE"
        ? "insert"
        : verb === "UPDATE"
          ? "update"
          : verb === "DELETE"
            ? "delete"
            : "other";
  let target: string | undefined;
  if (kind === "insert") {
    const into = tokens.findIndex((t, i) => i > verbIndex && isKeyword(t, "INTO"));
    const at = isPunct(tokens[into + 2], ".") ? into + 3 : into + 1;
    if (into !== -1 && isName(tokens[at])) target = identifierName(tokens[at]!);
  }
  const truncates = kind === "delete" && !topLevel(tokens).some((t) => isKeyword(t, "WHERE") || isKeyword(t, "RETURNING"));
  const insertSelect = kind === "insert" && topLevel(tokens).some((t, i) => i > 0 && isKeyword(t, "SELECT"));
  const changesSchema = ["CREATE", "DROP", "ALTER"].includes(verb);
  const maySort =
    kind === "select" && tokens.some((t, i) => isKeyword(t, "BY") && (isKeyword(tokens[i - 1], "ORDER") || isKeyword(tokens[i - 1], "GROUP")));
  return { kind, target, insertSelect, truncates, changesSchema, maySort };
}

/** The verb after an optional `WITH ...` prefix. */
function mainVerbIndex(tokens: readonly Token[]): number {
  if (!isKeyword(tokens[0], "WITH")) return 0;
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0 && ["SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE"].some((v) => isKeyword(token, v))) {
      return i;
    }
  }
  return 0;
}

function topLevel(tokens: readonly Token[]): Token[] {
  let depth = 0;
  return tokens.filter((token) => {
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    return depth === 0;
  });
}

/** Rows read and written once a statement has finished. */
export function finishedStatementCounts(
  shape: StatementShape,
  rowsReturned: number,
  changes: number,
  facts: CounterFacts,
): { read: number; written: number } {
  switch (shape.kind) {
    case "insert":
      return {
        // INSERT ... SELECT reads its source rows; RETURNING reads the rows it returns.
        read: Math.max(rowsReturned, shape.insertSelect ? changes : 0),
        written: changes * (1 + (shape.target === undefined ? 0 : facts.indexCount(shape.target))),
      };
    case "update":
      return { read: Math.max(rowsReturned, changes), written: changes };
    case "delete":
      return { read: shape.truncates ? 0 : Math.max(rowsReturned, changes), written: changes };
    default:
      return { read: shape.maySort && facts.sortsInTempBtree() ? 2 * rowsReturned : rowsReturned, written: 0 };
  }
}

/**
 * Whether SQLite's plan for the query `sql` uses a temporary b-tree for ORDER BY or GROUP BY
 * (no index provides the order), from EXPLAIN QUERY PLAN's `detail` column.
 */
export function sortsInTempBtree(database: Database, sql: string): boolean {
  const plan = database.exec(`EXPLAIN QUERY PLAN ${sql}`)[0]?.values ?? [];
  return plan.some((row) => /^USE TEMP B-TREE FOR .*(ORDER|GROUP) BY$/.test(String(row.at(-1))));
}
