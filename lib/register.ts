/** `node --import durasim/register app.js`: Worker code run by Node can import "cloudflare:workers". */
import { registerWorkersSpecifier } from "./config/workers-specifier.js";

registerWorkersSpecifier();
