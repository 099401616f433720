import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { readsNativeMember } from "../../util/native-names.js";

type Global = Record<string, unknown>;

/** JSON.rawJSON and JSON.isRawJSON as a realm made with V8's flag has them. */
interface RawJsonMembers {
  rawJSON(text: unknown): object;
  isRawJSON(value: unknown): boolean;
}

let flagged: RawJsonMembers | undefined;

/**
 * The runtime's V8 has JSON.rawJSON, JSON.isRawJSON and the reviver's third argument (`{ source }`,
 * the text of each primitive); Node 20's V8 has them behind `--harmony-json-parse-with-source`.
 * Set once the process runs, the flag changes what every JSON.parse passes a reviver (V8 reads it
 * at each parse) and JSON.stringify writes a raw JSON object as its text, but only a realm made
 * after it has the two functions: they are taken from one (a raw JSON object has a null
 * prototype, so no realm shows through it).
 */
function flaggedMembers(): RawJsonMembers {
  if (flagged === undefined) {
    setFlagsFromString("--harmony-json-parse-with-source");
    flagged = runInNewContext("({ rawJSON: JSON.rawJSON, isRawJSON: JSON.isRawJSON })") as RawJsonMembers;
  }
  return flagged;
}

/**
 * Adds JSON.rawJSON and JSON.isRawJSON to `json` (the JSON Worker code gets in `global`'s realm)
 * where its V8 lacks them, after `parse` and `stringify` as V8 orders them. What rawJSON throws
 * (a SyntaxError for text that is no JSON primitive, a TypeError for a Symbol) is of `global`'s
 * classes, as its own JSON.parse's errors are.
 */
export function addRawJson(json: object, global: Global): void {
  if ("rawJSON" in json) return;
  const members = flaggedMembers();
  const rawJSON = readsNativeMember(
    {
      rawJSON(text: unknown): object {
        try {
          return members.rawJSON(text);
        } catch (error) {
          throw ofRealm(error, global);
        }
      },
    }.rawJSON,
    "rawJSON",
  );
  const isRawJSON = readsNativeMember({ isRawJSON: (value: unknown): boolean => members.isRawJSON(value) }.isRawJSON, "isRawJSON");
  const method = (value: Function) => ({ value, writable: true, enumerable: false, configurable: true });
  Object.defineProperties(json, { rawJSON: method(rawJSON), isRawJSON: method(isRawJSON) });
}

/** An error the flagged realm threw, given the prototype of `global`'s class of the same name. */
function ofRealm(error: unknown, global: Global): unknown {
  const name = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const Class = typeof name === "string" ? (global[name] as { prototype?: object } | undefined) : undefined;
  if (typeof Class?.prototype === "object") Object.setPrototypeOf(error, Class.prototype);
  return error;
}
