// The env tests see is the Worker's own. (In your project, list "durasim/types" in tsconfig's
// "types" instead of this import.)
import "durasim/types";
import type { Env } from "../src/index";

declare module "cloudflare:test" {
  interface ProvidedEnv extends Env {}
}
