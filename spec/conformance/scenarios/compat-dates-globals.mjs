// Worker globals under a compatibility date before the flags that changed them: a Request's
// method before upper_case_all_http_methods (2024-10-14), which upper-cases only the six methods
// the Fetch Standard normalises and refuses any other spelling; and, declared, the flags durasim
// reads as on whatever the date. The DO answers through fetch(): RPC needs a later date.
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

export default [
  atDate("a Request's method before upper_case_all_http_methods", "2024-01-01", METHODS),
  atDate("a Request's method from upper_case_all_http_methods", "2024-10-14", METHODS),
  atDate(
    "Worker globals before their flags' dates",
    "2022-01-01",
    `
    const out = {};
    out.usp = t(() => { const p = new URLSearchParams("a=1&a=2"); const r = [p.has("a", "3")]; p.delete("a", "1"); r.push(p.toString()); return r; });
    out.getSetCookie = t(() => typeof new Headers().getSetCookie);
    out.navigator = t(() => typeof navigator);
    out.redirect = t(() => Response.redirect("http://a/b c").headers.get("location"));
    out.toStringTags = t(() => [Object.prototype.toString.call(new Headers()), Object.prototype.toString.call(crypto.subtle)]);
    out.closeReason = t(() => { const [c, s] = Object.values(new WebSocketPair()); s.accept(); s.close(1000, "\\u00e9".repeat(62)); return "closed"; });
    return out;`,
    {
      differs:
        "durasim's Worker globals read these flags as on whatever the Worker's date: urlsearchparams_delete_has_value_arg (2023-07-01), http_headers_getsetcookie (2023-03-01), global_navigator (2022-03-21), response_redirect_url_standard (2023-03-14), set_tostring_tag (2024-09-26), websocket_close_reason_byte_limit (2026-03-03) (README 'Compatibility dates and flags')",
    },
  ),
];
