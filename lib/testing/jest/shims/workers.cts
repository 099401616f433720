/**
 * `cloudflare:workers` (and `durasim/workers`) under Jest: the environment's copy of the module,
 * so a Worker's `extends DurableObject` is the class the runtime knows. The names are listed one
 * by one: that is how Jest finds the names an ES module may import from a CommonJS module.
 */
import shared = require("./host.cjs");

const workers = shared.modules.workers;
const DurableObject = workers.DurableObject;
const WorkerEntrypoint = workers.WorkerEntrypoint;
const RpcTarget = workers.RpcTarget;
const RpcStub = workers.RpcStub;
const WorkflowEntrypoint = workers.WorkflowEntrypoint;
const env = workers.env;
const waitUntil = workers.waitUntil;

// `exports` cannot be a variable of a CommonJS module (the wrapper's parameter has that name).
export = { DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget, RpcStub, env, exports: workers.exports, waitUntil };
