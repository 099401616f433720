import { fieldTypeError, isDictionary, toDateMs } from "../shared/webidl.js";
import { isOf } from "../../util/host-kind.js";

/**
 * Conditional requests (`onlyIf`), as an object or as Headers, following HTTP's rules
 * (RFC 9110 §13.2.2): If-Match (etagMatches) uses strong comparison, If-None-Match
 * (etagDoesNotMatch) weak comparison, and a date condition is skipped when the etag
 * condition of its pair was given (If-Unmodified-Since after If-Match, If-Modified-Since
 * after If-None-Match). Date comparisons are strict; conditions from headers, and objects with
 * `secondsGranularity`, compare whole seconds: the upload time and the condition's date are both
 * cut to the second first. An object that does not exist fails etagMatches and uploadedAfter
 * only.
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
  if (typeof value === "object" && isOf(value, Headers)) return fromHeaders(value);
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

/**
 * A header's entity-tag list, read from the left as the runtime reads it: elements `"x"`,
 * `W/"x"` or `*` separated by commas, empty elements skipped. A wildcard ends the list (it
 * matches any object). After an element, anything but a comma ends the list, unless it starts
 * another element (a quote, `*` or `W`): that is refused. Text where an element should start
 * ends the list too, and a list that ends before its first element is refused.
 */
function etagList(header: string, name: string): EtagTest[] {
  const tests: EtagTest[] = [];
  let rest = header;
  let afterElement = false;
  for (;;) {
    rest = rest.replace(/^[ \t]+/, "");
    const next = rest[0];
    if (next === ",") {
      rest = rest.slice(1);
      afterElement = false;
    } else if (afterElement) {
      if (next !== undefined && next in MISSING_COMMA) throw new Error(`Comma was expected to separate etags. ${MISSING_COMMA[next]}`);
      break;
    } else if (next === "*") {
      return [{ kind: "any", value: next }];
    } else if (next === '"' || next === "W") {
      const weak = next === "W";
      if (weak && !rest.startsWith('W/"')) throw new Error("Weak etags must start with W/ and their value must be quoted");
      const open = weak ? 2 : 0;
      const close = rest.indexOf('"', open + 1);
      if (close < 0) throw new Error("Unclosed double quote for Etag");
      tests.push({ kind: weak ? "weak" : "strong", value: rest.slice(open + 1, close) });
      rest = rest.slice(close + 1);
      afterElement = true;
    } else {
      break;
    }
  }
  if (tests.length === 0) throw new Error(`Invalid ETag in ${name} header`);
  return tests;
}

const MISSING_COMMA: Record<string, string> = {
  '"': "Encountered a double quote character '\"' instead. This would otherwise indicate the start of a new strong etag.",
  "*": "Encountered a wildcard character '*' instead.",
  W: "Encountered a weak quotation character 'W' instead. This would otherwise indicate the start of a new weak etag.",
};

export interface ConditionTarget {
  etag: string;
  uploaded: number;
}

export function conditionHolds(condition: Conditional, target: ConditionTarget | undefined): boolean {
  if (target === undefined) return condition.etagMatches === undefined && condition.uploadedAfter === undefined;
  const seconds = (ms: number) => (condition.secondsGranularity ? Math.floor(ms / 1000) * 1000 : ms);
  const uploaded = seconds(target.uploaded);
  const strong = (t: EtagTest) => t.kind === "any" || (t.kind === "strong" && t.value === target.etag);
  const weak = (t: EtagTest) => t.kind === "any" || t.value === target.etag;
  const ifMatch = condition.etagMatches?.some(strong);
  const ifNoneMatch = condition.etagDoesNotMatch?.some(weak);
  if (ifMatch === false || ifNoneMatch === true) return false;
  if (condition.uploadedBefore !== undefined && ifMatch === undefined && !(uploaded < seconds(condition.uploadedBefore))) return false;
  if (condition.uploadedAfter !== undefined && ifNoneMatch === undefined && !(uploaded > seconds(condition.uploadedAfter))) return false;
  return true;
}
