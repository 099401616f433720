/**
 * The URL Pattern Standard's constructor string parser: a whole-URL pattern string
 * ("https://*.example.com/books/:id?x#y") is cut into its components' pattern strings with a
 * state machine over the lenient tokens, so that `:`, `/`, `?`, `#` and `@` inside a group, a
 * regexp or after a name keep their pattern meaning instead of ending a component.
 */
import { canonicalizeProtocol } from "./canonicalize.js";
import { compileComponent, DEFAULT_OPTIONS, matchesSpecialScheme } from "./component.js";
import { tokenize, type Token } from "./tokenizer.js";

export type Init = Partial<Record<"protocol" | "username" | "password" | "hostname" | "port" | "pathname" | "search" | "hash" | "baseURL", string>>;

type State = "init" | "protocol" | "authority" | "username" | "password" | "hostname" | "port" | "pathname" | "search" | "hash" | "done";

const BEFORE_HOSTNAME: readonly State[] = ["protocol", "authority", "username", "password"];
const BEFORE_PATHNAME: readonly State[] = [...BEFORE_HOSTNAME, "hostname", "port"];

export function parseConstructorString(input: string): Init {
  const codePoints = Array.from(input);
  const tokens = tokenize(codePoints, "lenient");
  const result: Init = {};
  let state = "init" as State;
  let componentStart = 0;
  let tokenIndex = 0;
  let tokenIncrement = 1;
  let groupDepth = 0;
  let ipv6BracketDepth = 0;
  let protocolIsSpecial = false;

  const safeToken = (index: number): Token => tokens[Math.min(index, tokens.length - 1)]!;
  const isNonSpecialPatternChar = (index: number, value: string) => {
    const token = safeToken(index);
    return token.value === value && (token.type === "char" || token.type === "escaped-char" || token.type === "invalid-char");
  };
  const isSearchPrefix = () => {
    if (isNonSpecialPatternChar(tokenIndex, "?")) return true;
    if (tokens[tokenIndex]!.value !== "?") return false;
    if (tokenIndex - 1 < 0) return true;
    const previous = safeToken(tokenIndex - 1);
    return !(previous.type === "name" || previous.type === "regexp" || previous.type === "close" || previous.type === "asterisk");
  };
  const isHashPrefix = () => isNonSpecialPatternChar(tokenIndex, "#");
  const isPathnameStart = () => isNonSpecialPatternChar(tokenIndex, "/");
  const componentString = () =>
    codePoints.slice(safeToken(componentStart).index, tokens[tokenIndex]!.index).join("");
  const rewind = () => {
    tokenIndex = componentStart;
    tokenIncrement = 0;
  };
  const changeState = (next: State, skip: number) => {
    if (state !== "init" && state !== "authority" && state !== "done") result[state] = componentString();
    if (state !== "init" && next !== "done") {
      const laterThanHost = next === "port" || next === "pathname" || next === "search" || next === "hash";
      if (BEFORE_HOSTNAME.includes(state) && laterThanHost && result.hostname === undefined) result.hostname = "";
      if (BEFORE_PATHNAME.includes(state) && (next === "search" || next === "hash") && result.pathname === undefined) {
        result.pathname = protocolIsSpecial ? "/" : "";
      }
      if ((BEFORE_PATHNAME.includes(state) || state === "pathname") && next === "hash" && result.search === undefined) result.search = "";
    }
    state = next;
    tokenIndex += skip;
    componentStart = tokenIndex;
    tokenIncrement = 0;
  };

  while (tokenIndex < tokens.length) {
    tokenIncrement = 1;
    const token = tokens[tokenIndex]!;
    if (token.type === "end") {
      if (state === "init") {
        rewind();
        if (isHashPrefix()) changeState("hash", 1);
        else if (isSearchPrefix()) changeState("search", 1);
        else changeState("pathname", 0);
        tokenIndex += tokenIncrement;
        continue;
      }
      if (state === "authority") {
        rewind();
        state = "hostname";
        tokenIndex += tokenIncrement;
        continue;
      }
      changeState("done", 0);
      break;
    }
    if (token.type === "open") {
      groupDepth++;
      tokenIndex += tokenIncrement;
      continue;
    }
    if (groupDepth > 0) {
      if (token.type === "close") groupDepth--;
      else {
        tokenIndex += tokenIncrement;
        continue;
      }
    }
    switch (state) {
      case "init":
        if (isNonSpecialPatternChar(tokenIndex, ":")) {
          rewind();
          state = "protocol";
        }
        break;
      case "protocol":
        if (isNonSpecialPatternChar(tokenIndex, ":")) {
          protocolIsSpecial = matchesSpecialScheme(compileComponent(componentString(), canonicalizeProtocol, DEFAULT_OPTIONS));
          if (isNonSpecialPatternChar(tokenIndex + 1, "/") && isNonSpecialPatternChar(tokenIndex + 2, "/")) changeState("authority", 3);
          else changeState(protocolIsSpecial ? "authority" : "pathname", 1);
        }
        break;
      case "authority":
        if (isNonSpecialPatternChar(tokenIndex, "@")) {
          rewind();
          state = "username";
        } else if (isPathnameStart() || isSearchPrefix() || isHashPrefix()) {
          rewind();
          state = "hostname";
        }
        break;
      case "username":
        if (isNonSpecialPatternChar(tokenIndex, ":")) changeState("password", 1);
        else if (isNonSpecialPatternChar(tokenIndex, "@")) changeState("hostname", 1);
        break;
      case "password":
        if (isNonSpecialPatternChar(tokenIndex, "@")) changeState("hostname", 1);
        break;
      case "hostname":
        if (isNonSpecialPatternChar(tokenIndex, "[")) ipv6BracketDepth++;
        else if (isNonSpecialPatternChar(tokenIndex, "]")) ipv6BracketDepth--;
        else if (isNonSpecialPatternChar(tokenIndex, ":") && ipv6BracketDepth === 0) changeState("port", 1);
        else if (isPathnameStart()) changeState("pathname", 0);
        else if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "port":
        if (isPathnameStart()) changeState("pathname", 0);
        else if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "pathname":
        if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "search":
        if (isHashPrefix()) changeState("hash", 1);
        break;
      default:
        break;
    }
    tokenIndex += tokenIncrement;
  }
  if (result.hostname !== undefined && result.port === undefined) result.port = "";
  return result;
}
