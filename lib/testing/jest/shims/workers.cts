/**
 * `cloudflare:workers` (and `durasim/workers`) under Jest: the environment's copy of the module,
 * so a Worker's `extends DurableObject` is the class the runtime knows. The names are listed one
 * by one: that is how Jest finds the names an ES module may import from a CommonJS module.
 */
import shared = require("./host.cjs");

const workers = shared.needed().modules.workers;
const DurableObject = workers.DurableObject;
const WorkerEntrypoint = workers.WorkerEntrypoint;
const RpcTarget = workers.RpcTarget;
const RpcStub = workers.RpcStub;
const WorkflowEntrypoint = workers.WorkflowEntrypoint;
const env = workers.env;
const waitUntil = workers.waitUntil;
const withEnv = workers.withEnv;
const withExports = workers.withExports;
const withEnvAndExports = workers.withEnvAndExports;
const RpcPromise = workers.RpcPromise;
const RpcProperty = workers.RpcProperty;
const ServiceStub = workers.ServiceStub;
const tracing = workers.tracing;
const cache = workers.cache;
const restore = workers.restore;
const abortIsolate = workers.abortIsolate;

// `exports` cannot be a variable of a CommonJS module (the wrapper's parameter has that name).
export = {
  DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub,
  env, exports: workers.exports, waitUntil, withEnv, withExports, withEnvAndExports, tracing, cache, restore, abortIsolate,
};
