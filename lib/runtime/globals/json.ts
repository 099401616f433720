import { namesJsonLines, withJsonLines } from "../../util/json-positions.js";
import { readsNativeMember } from "../../util/native-names.js";

type Global = { JSON: JSON };

/** The JSON of each realm given to Worker code, made once. */
const jsonOfRealm = new WeakMap<object, JSON>();

/**
 * The `JSON` Worker modules get (worker-scope.ts): `global`'s own where its V8 words a parse's
 * syntax error as the runtime's does (util/json-positions.ts), else one like it (its members,
 * its prototype, its tag) whose `parse` names the error's line and column, so that Worker code
 * reads the same failure on Node 20 as on Node 24 and in workerd. Its objects are `global`'s
 * realm's, as that realm's parse makes them.
 */
export function jsonOf(global: Global): JSON {
  if (namesJsonLines) return global.JSON;
  let json = jsonOfRealm.get(global);
  if (json === undefined) jsonOfRealm.set(global, (json = namingLines(global.JSON)));
  return json;
}

function namingLines(realmJson: JSON): JSON {
  const json = Object.create(Object.getPrototypeOf(realmJson) as object | null) as JSON;
  for (const key of Reflect.ownKeys(realmJson)) Object.defineProperty(json, key, Object.getOwnPropertyDescriptor(realmJson, key)!);
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
  return json;
}
