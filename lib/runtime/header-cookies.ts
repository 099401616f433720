import { lowerAscii } from "../util/ascii-case.js";
import { rawGet } from "../util/header-bytes.js";
import { isToken } from "./header-names.js";

/**
 * Several `Cookie` values in one Headers, joined as the runtime joins them: with ", ", as any
 * other header's (Node's Headers join them with "; "). Worker and object code's `append()` and
 * every headers init (a sequence of pairs or a record) join them here before Node sees them, so
 * Node never holds two cookie values to join its way.
 * Invariant: nothing reaches Node's Headers that would make it join with "; ".
 */

/** The runtime's separator of one header's values. */
const SEPARATOR = ", ";

/** HTTP whitespace Node's Headers trim from either end of a value. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function isCookie(name: string): boolean {
  return name.length === 6 && lowerAscii(name) === "cookie";
}

/** A value Node's Headers refuse once trimmed: one holding NUL, CR or LF. */
const FORBIDDEN_IN_VALUE = /[\0\n\r]/;

/** Refuses a pair Node's Headers would refuse, in the runtime's words. */
function checkPair([name, value]: [string, string]): void {
  if (!isToken(name)) throw new TypeError("Invalid header name.");
  if (FORBIDDEN_IN_VALUE.test(value.replace(EDGE_WHITESPACE, ""))) throw new TypeError("Invalid header value.");
}

/**
 * `pairs` (values already bytes) with every Cookie pair after the first joined into the first.
 * Only when there are several: then each pair is first checked, in order, as Node would check it
 * (so the refusal is the one the first bad pair gets, not one of the joined value).
 */
export function joinCookiePairs(pairs: [string, string][]): [string, string][] {
  let cookies = 0;
  for (const [name] of pairs) if (isCookie(name)) cookies++;
  if (cookies < 2) return pairs;
  for (const pair of pairs) checkPair(pair);
  const joined: [string, string][] = [];
  let first: [string, string] | undefined;
  for (const [name, value] of pairs) {
    if (!isCookie(name)) joined.push([name, value]);
    else if (first === undefined) joined.push((first = [name, value.replace(EDGE_WHITESPACE, "")]));
    else first[1] += SEPARATOR + value.replace(EDGE_WHITESPACE, "");
  }
  return joined;
}

/**
 * Headers whose Cookie value ends with an empty one: the runtime's value then ends with ", ",
 * whose space Node's Headers trim. Mapped to the value Node holds then, so a later change of it
 * (a set(), a delete(), an append past this module) shows by the value no longer being that.
 */
const LOST_SPACE = new WeakMap<Headers, string>();

/** The runtime's Cookie value of `headers`, given the value Node holds (`held`). */
function cookieValue(headers: Headers, held: string): string {
  return LOST_SPACE.get(headers) === held ? held + " " : held;
}

/**
 * For `append(name, value)` (value already bytes) on `headers`: the arguments for Node's `set()`
 * that appends a Cookie value the runtime's way, or undefined when Node's own append() does it
 * (another name, or no Cookie value yet).
 */
export function cookieAppendAsSet(headers: Headers, name: string, value: string): [string, string] | undefined {
  if (!isCookie(name)) return undefined;
  const existing = rawGet(headers, name);
  if (existing === null) return undefined;
  const joined = cookieValue(headers, existing) + SEPARATOR + value.replace(EDGE_WHITESPACE, "");
  const held = joined.replace(EDGE_WHITESPACE, "");
  if (held === joined) LOST_SPACE.delete(headers);
  else LOST_SPACE.set(headers, held);
  return [name, joined];
}

/** For `get(name)` and iteration on `headers`, whose value Node holds is `held`: the runtime's value. */
export function cookieGet(headers: Headers, name: string, held: string | null): string | null {
  return held === null || !isCookie(name) ? held : cookieValue(headers, held);
}

/** For `set(name)` and `delete(name)` on `headers`: a Cookie value ending with an empty one is gone. */
export function cookieReplaced(headers: Headers, name: string): void {
  if (isCookie(name)) LOST_SPACE.delete(headers);
}
