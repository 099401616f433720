/**
 * A pattern string's parts (fixed text, named or numbered groups matching one segment, anything,
 * or a regexp of the user's, each with a prefix, a suffix and a modifier), and the two things the
 * URL Pattern Standard derives from them: the regular expression a component matches with (and
 * its group names, in order) and the normalized pattern string its getter returns.
 */
import { isValidNameCodePoint, tokenize, type Token, type TokenType } from "./tokenizer.js";

export type Modifier = "" | "?" | "*" | "+";
type PartType = "fixed-text" | "regexp" | "segment-wildcard" | "full-wildcard";

export interface Part {
  type: PartType;
  value: string;
  modifier: Modifier;
  name: string;
  prefix: string;
  suffix: string;
}

export interface PatternOptions {
  delimiter: string;
  prefix: string;
  ignoreCase: boolean;
}

export type Encode = (value: string) => string;

const FULL_WILDCARD = ".*";

function segmentWildcard(options: PatternOptions): string {
  return `[^${escapeRegexp(options.delimiter)}]+?`;
}

/**
 * The segment wildcard as the component's expression has it: with no delimiter, `[^]+?` is written
 * `[\s\S]+?` (the same set: any code point), because Node 20's V8 matches nothing with a lazy
 * `[^]` under the "v" flag.
 */
function segmentWildcardSource(options: PatternOptions): string {
  return options.delimiter === "" ? "[\\s\\S]+?" : segmentWildcard(options);
}

export function escapeRegexp(value: string): string {
  return value.replace(/[.+*?^${}()[\]|/\\]/g, "\\$&");
}

export function escapePattern(value: string): string {
  return value.replace(/[+*?:{}()\\]/g, "\\$&");
}

/** Parses a pattern string (strict tokenizing), encoding its fixed text with `encode`. */
export function parsePattern(input: string, options: PatternOptions, encode: Encode): Part[] {
  const tokens = tokenize(Array.from(input), "strict");
  const wildcard = segmentWildcard(options);
  const parts: Part[] = [];
  const names = new Set<string>();
  let pendingFixed = "";
  let index = 0;
  let nextNumericName = 0;

  const tryConsume = (type: TokenType): Token | null => {
    const token = tokens[index]!;
    if (token.type !== type) return null;
    index++;
    return token;
  };
  const consumeRequired = (type: TokenType): Token => {
    const token = tryConsume(type);
    if (token === null) throw new TypeError(`Invalid pattern "${input}": expected ${type} at ${tokens[index]!.index}`);
    return token;
  };
  const tryConsumeModifier = () => tryConsume("other-modifier") ?? tryConsume("asterisk");
  const tryConsumeRegexpOrWildcard = (name: Token | null) => {
    const regexp = tryConsume("regexp");
    return regexp === null && name === null ? tryConsume("asterisk") : regexp;
  };
  const consumeText = () => {
    let text = "";
    for (;;) {
      const token = tryConsume("char") ?? tryConsume("escaped-char");
      if (token === null) return text;
      text += token.value;
    }
  };
  const flushPendingFixed = () => {
    if (pendingFixed === "") return;
    parts.push({ type: "fixed-text", value: encode(pendingFixed), modifier: "", name: "", prefix: "", suffix: "" });
    pendingFixed = "";
  };
  const addPart = (prefix: string, nameToken: Token | null, regexpToken: Token | null, suffix: string, modifierToken: Token | null) => {
    const modifier = (modifierToken?.value ?? "") as Modifier;
    if (nameToken === null && regexpToken === null && modifier === "") {
      pendingFixed += prefix;
      return;
    }
    flushPendingFixed();
    if (nameToken === null && regexpToken === null) {
      if (prefix === "") return;
      parts.push({ type: "fixed-text", value: encode(prefix), modifier, name: "", prefix: "", suffix: "" });
      return;
    }
    let regexpValue = regexpToken === null ? wildcard : regexpToken.type === "asterisk" ? FULL_WILDCARD : regexpToken.value;
    let type: PartType = "regexp";
    if (regexpValue === wildcard) {
      type = "segment-wildcard";
      regexpValue = "";
    } else if (regexpValue === FULL_WILDCARD) {
      type = "full-wildcard";
      regexpValue = "";
    }
    const name = nameToken !== null ? nameToken.value : String(nextNumericName++);
    if (names.has(name)) throw new TypeError(`Invalid pattern "${input}": duplicate name "${name}"`);
    names.add(name);
    parts.push({ type, value: regexpValue, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
  };

  while (index < tokens.length) {
    const charToken = tryConsume("char");
    let nameToken = tryConsume("name");
    let regexpToken = tryConsumeRegexpOrWildcard(nameToken);
    if (nameToken !== null || regexpToken !== null) {
      let prefix = charToken?.value ?? "";
      if (prefix !== "" && prefix !== options.prefix) {
        pendingFixed += prefix;
        prefix = "";
      }
      flushPendingFixed();
      addPart(prefix, nameToken, regexpToken, "", tryConsumeModifier());
      continue;
    }
    const fixedToken = charToken ?? tryConsume("escaped-char");
    if (fixedToken !== null) {
      pendingFixed += fixedToken.value;
      continue;
    }
    if (tryConsume("open") !== null) {
      const prefix = consumeText();
      nameToken = tryConsume("name");
      regexpToken = tryConsumeRegexpOrWildcard(nameToken);
      const suffix = consumeText();
      consumeRequired("close");
      addPart(prefix, nameToken, regexpToken, suffix, tryConsumeModifier());
      continue;
    }
    flushPendingFixed();
    consumeRequired("end");
  }
  return parts;
}

/** The regular expression source a component matches with, and its groups' names in order. */
export function generateRegexp(parts: readonly Part[], options: PatternOptions): { source: string; names: string[] } {
  let source = "^";
  const names: string[] = [];
  for (const part of parts) {
    if (part.type === "fixed-text") {
      source += part.modifier === "" ? escapeRegexp(part.value) : `(?:${escapeRegexp(part.value)})${part.modifier}`;
      continue;
    }
    names.push(part.name);
    const value = part.type === "segment-wildcard" ? segmentWildcardSource(options) : part.type === "full-wildcard" ? FULL_WILDCARD : part.value;
    const single = part.modifier === "" || part.modifier === "?";
    if (part.prefix === "" && part.suffix === "") {
      source += single ? `(${value})${part.modifier}` : `((?:${value})${part.modifier})`;
      continue;
    }
    const prefix = escapeRegexp(part.prefix);
    const suffix = escapeRegexp(part.suffix);
    if (single) {
      source += `(?:${prefix}(${value})${suffix})${part.modifier}`;
      continue;
    }
    source += `(?:${prefix}((?:${value})(?:${suffix}${prefix}(?:${value}))*)${suffix})`;
    if (part.modifier === "*") source += "?";
  }
  return { source: `${source}$`, names };
}

const isAsciiDigit = (codePoint: string | undefined) => codePoint !== undefined && codePoint >= "0" && codePoint <= "9";

/** The normalized pattern string of a component's parts (what the URLPattern getters return). */
export function generatePatternString(parts: readonly Part[], options: PatternOptions): string {
  let result = "";
  parts.forEach((part, index) => {
    const previous = parts[index - 1];
    const next = parts[index + 1];
    if (part.type === "fixed-text") {
      result += part.modifier === "" ? escapePattern(part.value) : `{${escapePattern(part.value)}}${part.modifier}`;
      return;
    }
    const customName = !isAsciiDigit(Array.from(part.name)[0]);
    let needsGrouping = part.suffix !== "" || (part.prefix !== "" && part.prefix !== options.prefix);
    if (!needsGrouping && customName && part.type === "segment-wildcard" && part.modifier === "" && next !== undefined && next.prefix === "" && next.suffix === "") {
      needsGrouping = next.type === "fixed-text"
        ? isValidNameCodePoint(Array.from(next.value)[0] ?? "", false)
        : isAsciiDigit(Array.from(next.name)[0]);
    }
    if (!needsGrouping && part.prefix === "" && previous !== undefined && previous.type === "fixed-text" && Array.from(previous.value).at(-1) === options.prefix) {
      needsGrouping = true;
    }
    if (needsGrouping) result += "{";
    result += escapePattern(part.prefix);
    if (customName) result += `:${part.name}`;
    if (part.type === "regexp") result += `(${part.value})`;
    else if (part.type === "segment-wildcard" && !customName) result += `(${segmentWildcard(options)})`;
    else if (part.type === "full-wildcard") {
      const plain = previous === undefined || previous.type === "fixed-text" || previous.modifier !== "" || needsGrouping || part.prefix !== "";
      result += !customName && plain ? "*" : `(${FULL_WILDCARD})`;
    }
    if (part.type === "segment-wildcard" && customName && part.suffix !== "" && isValidNameCodePoint(Array.from(part.suffix)[0]!, false)) {
      result += "\\";
    }
    result += escapePattern(part.suffix);
    if (needsGrouping) result += "}";
    result += part.modifier;
  });
  return result;
}
