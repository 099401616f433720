// Cookie values appended after empty ones, as the runtime joins them (header-cookies.ts).
import { cls } from "../scenario.mjs";

export default [
  {
    name: "sockets-more: Cookie values appended after empty ones keep every separator",
    backend: "sqlite",
    source: `${cls(`  m() {
    const h = new Headers();
    const seen = [];
    for (const value of ["", "", "c", "", " d ", ""]) { h.append("cookie", value); seen.push(h.get("cookie")); }
    h.set("cookie", "e,");
    seen.push(h.get("cookie"));
    h.append("cookie", "f");
    seen.push(h.get("cookie"));
    h.append("cookie", "");
    h.delete("cookie");
    h.append("cookie", "g,");
    seen.push(h.get("cookie"));
    return seen;
  }`)}`,
    drive: async (env) => env.DO.getByName("x").m(),
  },
];
