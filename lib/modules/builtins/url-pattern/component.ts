/**
 * One compiled component of a URLPattern (protocol, hostname, pathname, ...): its normalized
 * pattern string, the regular expression it matches with (flag "v", and "i" for ignoreCase) and
 * the names of its groups, in the order the expression captures them.
 */
import { generatePatternString, generateRegexp, parsePattern, type Encode, type PatternOptions } from "./parts.js";
import { SPECIAL_SCHEMES } from "./canonicalize.js";

export interface Component {
  patternString: string;
  regexp: RegExp;
  names: string[];
  hasRegExpGroups: boolean;
}

export const DEFAULT_OPTIONS: PatternOptions = { delimiter: "", prefix: "", ignoreCase: false };
export const HOSTNAME_OPTIONS: PatternOptions = { delimiter: ".", prefix: "", ignoreCase: false };
export const PATHNAME_OPTIONS: PatternOptions = { delimiter: "/", prefix: "/", ignoreCase: false };

export function compileComponent(input: string, encode: Encode, options: PatternOptions): Component {
  const parts = parsePattern(input, options, encode);
  const { source, names } = generateRegexp(parts, options);
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, options.ignoreCase ? "vi" : "v");
  } catch (error) {
    throw new TypeError(`Invalid pattern "${input}": ${(error as Error).message}`);
  }
  return { patternString: generatePatternString(parts, options), regexp, names, hasRegExpGroups: parts.some((part) => part.type === "regexp") };
}

/** Whether a protocol component matches any special scheme (http, https, ws, wss, ftp, file). */
export function matchesSpecialScheme(component: Component): boolean {
  return Object.keys(SPECIAL_SCHEMES).some((scheme) => RegExp.prototype.exec.call(component.regexp, scheme) !== null);
}
