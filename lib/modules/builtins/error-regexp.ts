import { types } from "node:util";
import { defineMissing, type Realm } from "./define.js";

/**
 * `Error.isError(value)` (whether a value is an error object, from any realm: what V8's own and
 * Node's util.types.isNativeError both check) and `RegExp.escape(string)` (the string with every
 * character that could mean something in a pattern escaped, as ES2025 specifies), which Node 20
 * and 22 lack.
 */
export function installErrorIsErrorAndRegExpEscape(realm: Realm): void {
  defineMissing(realm.Error, {
    isError(value: unknown) {
      return types.isNativeError(value);
    },
  });
  defineMissing(realm.RegExp, {
    escape(value: unknown) {
      if (typeof value !== "string") throw new realm.TypeError("input argument must be a string");
      let escaped = "";
      for (const char of value) {
        const code = char.codePointAt(0)!;
        // A leading digit or letter would join a preceding escape (\1, \x): it is written in hex.
        escaped += escaped === "" && /^[0-9A-Za-z]$/.test(char) ? hex(code, 2, "x") : escapeCharacter(char, code);
      }
      return escaped;
    },
  });
}

const SYNTAX = "^$\\.*+?()[]{}|/";
const CONTROL: Record<string, string> = { "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r" };
const OTHER_PUNCTUATORS = ",-=<>#&!%:;@~'`\"";

function escapeCharacter(char: string, code: number): string {
  if (SYNTAX.includes(char)) return `\\${char}`;
  if (CONTROL[char] !== undefined) return `\\${CONTROL[char]}`;
  const lone = code >= 0xd800 && code <= 0xdfff;
  if (!OTHER_PUNCTUATORS.includes(char) && !/^\s$/.test(char) && !lone) return char;
  if (code <= 0xff) return hex(code, 2, "x");
  return hex(code, 4, "u");
}

function hex(code: number, width: number, kind: "x" | "u"): string {
  return `\\${kind}${code.toString(16).padStart(width, "0")}`;
}
