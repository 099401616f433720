// The env tests see is the Worker's own. (The import brings in durasim's `cloudflare:test`
// types here, inside durasim's repository; a project lists "durasim/types" in tsconfig's "types".)
import "durasim/types";
import type { Env } from "../src/index";

declare module "cloudflare:test" {
  interface ProvidedEnv extends Env {}
}
