import { namesJsonLines, withJsonLines } from "../../util/json-positions.js";
import { readsNativeMember } from "../../util/native-names.js";
import { addRawJson } from "./raw-json.js";

type Global = { JSON: JSON };

/** The JSON of each realm given to Worker code, made once. */
const jsonOfRealm = new WeakMap<object, JSON>();

/**
 * The `JSON` Worker modules get (worker-scope.ts): `global`'s own where its V8 words a parse's
 * syntax error as the runtime's does (util/json-positions.ts), else one like it (its members,
 * its prototype, its tag) whose `parse` names the error's line and column, so that Worker code
 * reads the same failure on Node 20 as on Node 24 and in workerd, and that has JSON.rawJSON and
 * JSON.isRawJSON where `global`'s V8 lacks them (raw-json.ts). Its objects are `global`'s
 * realm's, as that realm's parse makes them.
 */
export function jsonOf(global: Global): JSON {
  const hasRawJson = "rawJSON" in global.JSON;
  if (namesJsonLines && hasRawJson) return global.JSON;
  let json = jsonOfRealm.get(global);
  if (json === undefined) {
    json = copyOf(global.JSON);
    if (!namesJsonLines) nameLines(json, global.JSON);
    // Node 20's V8 lacks JSON.rawJSON and JSON.isRawJSON, which the runtime's has (raw-json.ts).
    if (!hasRawJson) addRawJson(json, global as unknown as Record<string, unknown>);
    jsonOfRealm.set(global, json);
  }
  return json;
}

/** A JSON like `realmJson`: its members, its prototype, its tag. */
function copyOf(realmJson: JSON): JSON {
  const json = Object.create(Object.getPrototypeOf(realmJson) as object | null) as JSON;
  for (const key of Reflect.ownKeys(realmJson)) Object.defineProperty(json, key, Object.getOwnPropertyDescriptor(realmJson, key)!);
  return json;
}

/** Gives `json` a `parse` that names a syntax error's line and column, calling `realmJson`'s. */
function nameLines(json: JSON, realmJson: JSON): void {
  const parse = readsNativeMember(
    {
      parse(text: unknown, reviver?: unknown): unknown {
        // Converted once, as JSON.parse converts it; the positions count in this string.
        const source = `${text as string}`;
        // The reviver runs once the text has parsed: what it throws is its own.
        let reviving = false;
        const revive =
          typeof reviver === "function"
            ? function (this: unknown, ...args: unknown[]): unknown {
                reviving = true;
                return Reflect.apply(reviver, this, args);
              }
            : reviver;
        try {
          // Looked up at each call, so a spy on the realm's JSON.parse sees Worker code's calls.
          return Reflect.apply(realmJson.parse, realmJson, [source, revive]);
        } catch (error) {
          throw reviving ? error : withJsonLines(error, source);
        }
      },
    }.parse,
    "parse",
  );
  Object.defineProperty(json, "parse", { ...Object.getOwnPropertyDescriptor(realmJson, "parse"), value: parse });
}
