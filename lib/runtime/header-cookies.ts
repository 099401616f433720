import { isCookie, trimmed } from "../util/header-values.js";
import { isToken } from "./header-names.js";

/**
 * Several `Cookie` values in one headers init (a sequence of pairs, a record, a copy of a
 * Headers), joined as the runtime joins them: with ", ", as any other header's (Node's Headers
 * join them with "; "). Worker and object code's `append()` joins them too (util/header-values.ts),
 * so Node never holds two cookie values to join its way.
 * Invariant: nothing reaches Node's Headers that would make it join with "; ".
 */

/** A value Node's Headers refuse once trimmed: one holding NUL, CR or LF. */
const FORBIDDEN_IN_VALUE = /[\0\n\r]/;

/** Refuses a pair Node's Headers would refuse, in the runtime's words. */
function checkPair([name, value]: [string, string]): void {
  if (!isToken(name)) throw new TypeError("Invalid header name.");
  if (FORBIDDEN_IN_VALUE.test(trimmed(value))) throw new TypeError("Invalid header value.");
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
    else if (first === undefined) joined.push((first = [name, trimmed(value)]));
    else first[1] += ", " + trimmed(value);
  }
  return joined;
}
