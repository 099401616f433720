export default { async test(ctrl, env) {
  const out = [];
  for (const u of ["/relative", "relative", "", "http://x/a"]) {
    try { const r = await env.SVC.fetch(u); out.push([u, "ok", await r.text()]); }
    catch (e) { out.push([u, e.name, e.message]); }
  }
  try { new Request("/relative"); out.push("req ok"); } catch (e) { out.push(["Request", e.name, e.message]); }
  try { await fetch("/relative"); } catch (e) { out.push(["global fetch", e.name, e.message]); }
  console.log(JSON.stringify(out));
} };
