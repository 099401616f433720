// Worker globals under a compatibility date before the flags that changed them: a Request's
// method before upper_case_all_http_methods (2024-10-14), which upper-cases only the six methods
// the Fetch Standard normalises and refuses any other spelling; URLSearchParams' value arguments
// and the WebSocket close reason's byte limit by date and by their enable and disable flags; and,
// declared, the flags durasim reads as on whatever the date. The DO answers through fetch(): RPC needs a later date.
import { cls } from "../scenario.mjs";

/** A scenario at `date` whose object runs `body` (a method body returning the record) for a fetch. */
const atDate = (name, date, body, rest = {}) => ({
  name: `compatibility dates: ${name}`,
  backend: "sqlite",
  compatibilityDate: date,
  source: cls(`  async fetch() { return new Response(JSON.stringify(await this.go())); }
  async go() {
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
${body}
  }`),
  drive: async (env) => JSON.parse(await (await env.DO.get(env.DO.idFromName("a")).fetch("http://x/")).text()),
  ...rest,
});

const METHODS = `
    return ["patch", "Patch", "PATCH", "get", "Delete", "options", "post", "put", "head", "purge", "weird"].map((m) => [m, t(() => new Request("http://a/", { method: m }).method)]);`;

/** What the Worker globals whose behaviour a flag changed do, durasim following the Worker's date and flags. */
const FOLLOWED = `
    out.usp = t(() => { const p = new URLSearchParams("a=1&a=2"); const r = [p.has("a", "3"), p.has("a", "2")]; p.delete("a", "1"); r.push(p.toString()); return r; });
    out.urlParams = t(() => { const u = new URL("http://x/?a=1&b=2&a=3"); u.searchParams.delete("a", "3"); return [u.search, u.searchParams.has("b", "9")]; });
    out.closeReason = ["\\u00e9".repeat(62), "x".repeat(123), "x".repeat(124), "x".repeat(300)].map((r) => t(() => { const [c, s] = Object.values(new WebSocketPair()); s.accept(); s.close(1000, r); return "closed"; }));
`;

/** Those durasim reads as on whatever the date (see UNFOLLOWED_REASON). */
const UNFOLLOWED = `
    out.getSetCookie = t(() => typeof new Headers().getSetCookie);
    out.navigator = t(() => typeof navigator);
    out.language = t(() => typeof navigator === "undefined" ? "none" : [navigator.language, Object.keys(navigator)]);
    out.redirect = ["http://a/b c", "HTTP://A.com:80/x/../y?q=a b#f g", "http://a/\\u00e9"].map((u) => t(() => Response.redirect(u).headers.get("location")));
    out.redirectRelative = t(() => Response.redirect("/x y").headers.get("location"));
    out.toStringTags = t(() => [Object.prototype.toString.call(new Headers()), Object.prototype.toString.call(crypto.subtle), String(new URLSearchParams()), Object.prototype.toString.call(new Request("http://a/"))]);
`;

/** A method body that records `checks` (lines setting out.NAME). */
const recording = (checks) => `
    const out = {};${checks}    return out;`;

const UNFOLLOWED_REASON =
  "durasim's Worker globals read these flags as on whatever the Worker's date: http_headers_getsetcookie (2023-03-01), global_navigator (2022-03-21) and enable_navigator_language (2025-05-19), set_tostring_tag (2024-09-26): the prototypes and the navigator binding are one per process, shared by every Worker; response_redirect_url_standard (2023-03-14): before it the runtime writes the Location as its own URL parser (kj::Url) keeps it (scheme and host lower-cased, dot segments resolved, nothing percent-encoded, a default port and a missing path kept, a URL without '//' refused), which durasim does not emulate (README 'Compatibility dates and flags')";

/** The flags of these globals and their default dates. */
const DATED_FLAGS = [
  ["global_navigator", "no_global_navigator"], // 2022-03-21
  ["http_headers_getsetcookie", "no_http_headers_getsetcookie"], // 2023-03-01
  ["response_redirect_url_standard", "response_redirect_url_original"], // 2023-03-14
  ["urlsearchparams_delete_has_value_arg", "no_urlsearchparams_delete_has_value_arg"], // 2023-07-01 (with url_standard's URLSearchParams, 2022-10-31)
  ["set_tostring_tag", "do_not_set_tostring_tag"], // 2024-09-26
  ["enable_navigator_language", "disable_navigator_language"], // 2025-05-19
  ["websocket_close_reason_byte_limit", "no_websocket_close_reason_byte_limit"], // 2026-03-03
];
const ENABLE_FLAGS = DATED_FLAGS.map(([on]) => on);
const DISABLE_FLAGS = DATED_FLAGS.map(([, off]) => off);

export default [
  atDate("a Request's method before upper_case_all_http_methods", "2024-01-01", METHODS),
  atDate("a Request's method from upper_case_all_http_methods", "2024-10-14", METHODS),
  atDate("Worker globals before their flags' dates", "2022-01-01", recording(FOLLOWED)),
  atDate("Worker globals before their flags' dates, with their enable flags", "2022-01-01", recording(FOLLOWED + UNFOLLOWED), { compatibilityFlags: ENABLE_FLAGS }),
  atDate("Worker globals from their flags' dates, with their disable flags", "2026-03-03", recording(FOLLOWED), { compatibilityFlags: DISABLE_FLAGS }),
  atDate("Worker globals durasim reads as on, before their flags' dates", "2022-01-01", recording(UNFOLLOWED), { differs: UNFOLLOWED_REASON }),
  atDate("Worker globals durasim reads as on, with their disable flags", "2026-03-03", recording(UNFOLLOWED), { compatibilityFlags: DISABLE_FLAGS, differs: UNFOLLOWED_REASON }),
];
