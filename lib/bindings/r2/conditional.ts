import { fieldTypeError, isDictionary, toDateMs } from "../shared/webidl.js";

/**
 * Conditional requests (`onlyIf`), as an object or as Headers, following HTTP's rules
 * (RFC 9110 §13.2.2): If-Match (etagMatches) uses strong comparison, If-None-Match
 * (etagDoesNotMatch) weak comparison, and a date condition is skipped when the etag
 * condition of its pair was given (If-Unmodified-Since after If-Match, If-Modified-Since
 * after If-None-Match). Date comparisons are strict; conditions from headers compare whole
 * seconds. An object that does not exist fails etagMatches and uploadedAfter only.
 */
interface EtagTest {
  kind: "strong" | "weak" | "any";
  value: string;
}

export interface Conditional {
  etagMatches?: EtagTest[];
  etagDoesNotMatch?: EtagTest[];
  uploadedBefore?: number;
  uploadedAfter?: number;
  secondsGranularity: boolean;
}

export function convertConditional(value: unknown, dictionary: "GetOptions" | "PutOptions"): Conditional | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Headers) return fromHeaders(value);
  if (!isDictionary(value)) throw fieldTypeError("onlyIf", dictionary, "Conditional or Headers");
  const out: Conditional = { secondsGranularity: Boolean(value.secondsGranularity) };
  if (value.etagMatches !== undefined) out.etagMatches = [etagField(value.etagMatches, "etagMatches")];
  if (value.etagDoesNotMatch !== undefined) out.etagDoesNotMatch = [etagField(value.etagDoesNotMatch, "etagDoesNotMatch")];
  if (value.uploadedBefore !== undefined) out.uploadedBefore = toDateMs(value.uploadedBefore, "uploadedBefore", "Conditional");
  if (value.uploadedAfter !== undefined) out.uploadedAfter = toDateMs(value.uploadedAfter, "uploadedAfter", "Conditional");
  return out;
}

/** An etag given in the object form: bare (not quoted), or "*" for any. */
function etagField(value: unknown, field: string): EtagTest {
  if (typeof value !== "string") throw fieldTypeError(field, "Conditional", "string");
  if (value === "*") return { kind: "any", value };
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    throw new TypeError(`Conditional ETag should not be wrapped in quotes (${value}).`);
  }
  return { kind: "strong", value };
}

function fromHeaders(headers: Headers): Conditional {
  const out: Conditional = { secondsGranularity: true };
  const ifMatch = headers.get("if-match");
  const ifNoneMatch = headers.get("if-none-match");
  if (ifMatch !== null) out.etagMatches = etagList(ifMatch, "if-match");
  if (ifNoneMatch !== null) out.etagDoesNotMatch = etagList(ifNoneMatch, "if-none-match");
  const before = Date.parse(headers.get("if-unmodified-since") ?? "");
  const after = Date.parse(headers.get("if-modified-since") ?? "");
  if (!Number.isNaN(before)) out.uploadedBefore = before;
  if (!Number.isNaN(after)) out.uploadedAfter = after;
  return out;
}

/** A header's entity-tag list: `"x"`, `W/"x"` or `*`, comma separated. */
function etagList(header: string, name: string): EtagTest[] {
  const tests: EtagTest[] = [];
  for (const raw of header.split(",")) {
    const item = raw.trim();
    const quoted = /^(W\/)?"([^"]*)"$/.exec(item);
    if (item === "*") tests.push({ kind: "any", value: item });
    else if (quoted) tests.push({ kind: quoted[1] ? "weak" : "strong", value: quoted[2]! });
    else throw new Error(`Invalid ETag in ${name} header`);
  }
  return tests;
}

export interface ConditionTarget {
  etag: string;
  uploaded: number;
}

export function conditionHolds(condition: Conditional, target: ConditionTarget | undefined): boolean {
  if (target === undefined) return condition.etagMatches === undefined && condition.uploadedAfter === undefined;
  const uploaded = condition.secondsGranularity ? Math.floor(target.uploaded / 1000) * 1000 : target.uploaded;
  const strong = (t: EtagTest) => t.kind === "any" || (t.kind === "strong" && t.value === target.etag);
  const weak = (t: EtagTest) => t.kind === "any" || t.value === target.etag;
  const ifMatch = condition.etagMatches?.some(strong);
  const ifNoneMatch = condition.etagDoesNotMatch?.some(weak);
  if (ifMatch === false || ifNoneMatch === true) return false;
  if (condition.uploadedBefore !== undefined && ifMatch === undefined && !(uploaded < condition.uploadedBefore)) return false;
  if (condition.uploadedAfter !== undefined && ifNoneMatch === undefined && !(uploaded > condition.uploadedAfter)) return false;
  return true;
}
