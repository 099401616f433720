// formData() of a multipart/form-data body as the runtime's parser reads it: what it accepts
// (LF line breaks, a preamble and an epilogue, escapes kept in names, `filename=""` as a string),
// what it makes of each part, and each of its refusals in its own words, where Node refuses
// everything with "Failed to parse body as FormData.".
import { inside } from "../scenario.mjs";

const P = (name, body) =>
  inside(
    name,
    "sqlite",
    `const entries = async (form) => Promise.all([...form].map(async ([k, v]) => [k, typeof v === "string" ? v : [Object.prototype.toString.call(v), v.name, v.type, v.size, await v.text()]]));
    const parse = (body, type, make = (b, init) => new Response(b, init)) => outcome(async () => { const r = make(body, type ? { method: "POST", headers: { "content-type": type } } : undefined); return [await outcome(async () => entries(await r.formData())), r.bodyUsed]; });
    const M = "multipart/form-data; boundary=x";
    const part = (disposition, body = "v") => "--x\\r\\nContent-Disposition: " + disposition + "\\r\\n\\r\\n" + body + "\\r\\n--x--";
    const all = async (cases) => { const out = []; for (const [body, type] of cases) out.push(await parse(body, type)); return out; };
${body}`,
  );

export default [
  P("form data parsing: each refusal of a multipart body in the runtime's words, after the body is read", `
    return all([
      ["garbage", M], ["garbage", "multipart/form-data"], ["", M], ["--xtra\\r\\n", M], ["--x junk", M], ["--x\\r\\n", M],
      ["--x\\r\\n\\r\\nv\\r\\n--x--", M], ["--x\\r\\nbad header\\r\\n\\r\\nv\\r\\n--x--", M], ["--x\\r\\n\\r\\n\\r\\nv\\r\\n--x--", M],
      ["--x\\r\\nContent-Disposition : form-data; name=\\"a\\"\\r\\n\\r\\nv\\r\\n--x--", M], ["--x\\r\\nX-A: 1\\r\\n\\r\\nv\\r\\n--x--", M],
      [part("attachment; name=\\"a\\""), M], [part("Form-Data; name=\\"a\\""), M], [part("; name=\\"a\\""), M],
      [part("form-data; name=a"), M], [part("form-data; name=\\"\\"; filename=\\"f\\""), M],
      ["--x\\r\\nContent-Disposition: form-data; name=\\"a\\"\\r\\n\\r\\nv\\r\\n--x", M], ["--x\\r\\nContent-Disposition: form-data; name=\\"a\\"\\r\\n\\r\\nv", M],
      [part("form-data; name=\\"a\\"", "multi\\r\\n--xnot\\r\\nmore"), M],
    ]);`),
  P("form data parsing: what the runtime's parser accepts and makes of it (LF breaks, preamble and epilogue, names as written, an empty file name a string, a file's Content-Type), for a Response and a Request", `
    return {
      parsed: await all([
        [part("form-data; name=\\"a\\""), 'multipart/form-data; boundary="x"'], [part("form-data; name=\\"a\\"; filename=\\"\\""), M], [part("form-data; name=\\"a\\"; filename=\\"f.txt\\""), M],
        ["--x\\r\\nContent-Disposition: form-data; name=\\"a\\"; filename=\\"f\\"\\r\\nContent-Type: text/q\\r\\n\\r\\nbytes\\r\\n--x--", M],
        ["preamble\\r\\n--x\\nContent-Disposition: form-data; name=\\"a\\"\\n\\nl1\\nl2\\n--x\\nContent-Disposition: form-data; name=\\"b\\"\\n\\n\\n--x--epilogue", M],
        [part("form-data; name=\\"q%22\\\\\\"r\\\\\\\\s\\""), M], [part("form-data; name=\\"\\u00e9\\""), M], [part("form-data ; name = \\"a\\" "), M], [part("form-data;name=\\"a\\";name=\\"b\\""), M],
        ["--x--", M], [part("form-data; name=\\"a\\"", "\\r\\n"), M], ["--x\\r\\ncontent-disposition:form-data; name=\\"a\\"\\r\\n\\r\\nv\\r\\n--x--", M],
      ]),
      request: await parse(part("form-data; name=\\"r\\"; filename=\\"n\\""), M, (b, init) => new Request("http://x/", { ...init, body: b })),
      requestRefused: await parse("garbage", M, (b, init) => new Request("http://x/", { ...init, body: b })),
    };`),
];
