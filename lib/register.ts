/** `node --import durasim/register app.js`: Worker code run by Node can import "cloudflare:workers". */
import { registerWorkersSpecifier } from "./modules/workers-specifier.js";

registerWorkersSpecifier();
