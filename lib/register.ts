/**
 * `node --import durasim/register app.js`: Worker code run by Node can import "cloudflare:workers"
 * (and the runtime's other built-in modules), and the packages it uses find the Workers globals
 * (WebSocketPair, the Workers WebSocket and Response) and the runtime's navigator on the global
 * object, as the test runners' integrations give them, the JavaScript built-ins Node 20 lacks (modules/builtins/) and the
 * runners' `caches` (modules/cache-storage.ts: an emulator's caches, or none, as on workers.dev), where the process has none.
 */
import { installLanguageBuiltins } from "./modules/builtins/index.js";
import { installCacheStorage } from "./modules/cache-storage.js";
import * as workerGlobals from "./modules/worker-globals.js";
import { installRuntimeNavigator } from "./modules/process-navigator.js";
import { registerWorkersSpecifier } from "./modules/workers-specifier.js";

registerWorkersSpecifier();
Object.assign(globalThis, workerGlobals);
installRuntimeNavigator(globalThis);
installLanguageBuiltins(globalThis);
installCacheStorage(globalThis);
