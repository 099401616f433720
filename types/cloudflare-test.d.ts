// Types of `cloudflare:test` (and `durasim/test`) for Worker projects, which get their runtime
// types — and `cloudflare:workers` — from @cloudflare/workers-types. Add both to tsconfig.json:
//   "types": ["@cloudflare/workers-types", "durasim/types"]
// The names, arguments and results are those of Cloudflare's module.

declare module "cloudflare:test" {
  /** The env the tests see: extend it with your Env (`interface ProvidedEnv extends Env {}`). */
  interface ProvidedEnv extends Cloudflare.Env {}
  /**
   * The main Worker's module, for SELF's type, as Cloudflare's plugin reads it: declare
   * `default: typeof MyWorker` (a WorkerEntrypoint class) to type SELF's RPC methods.
   */
  interface ProvidedWorker {}

  /** The main Worker's env. Cloudflare now points to `env` of "cloudflare:workers"; both work. */
  export const env: ProvidedEnv;
  /** What a Fetcher's `scheduled()` reports (compatibility flag service_binding_extra_handlers). */
  export interface ScheduledResult {
    outcome: string;
    noRetry: boolean;
  }
  /**
   * A service binding to the main Worker's default export: fetch, RPC to a WorkerEntrypoint's
   * methods (typed when ProvidedWorker, or Cloudflare.GlobalProps as `wrangler types` writes it,
   * declares the main module), and `scheduled()` and `queue()` with the compatibility flag
   * service_binding_extra_handlers.
   */
  export const SELF: ((ProvidedWorker extends { default: unknown } ? ProvidedWorker : Cloudflare.MainModule) extends { default: infer Default }
    ? Default extends new (...args: any[]) => Rpc.WorkerEntrypointBranded
      ? Fetcher<InstanceType<Default>>
      : Fetcher
    : Fetcher) & {
    scheduled(options?: ScheduledControllerOptions): Promise<ScheduledResult>;
    /** Sends a queue event to the default export's `queue()` handler; resolves to what it decided. */
    queue(queueName: string, messages: ServiceBindingQueueMessage[], metadata?: MessageBatchMetadata): Promise<QueueResult>;
  };
  /** A message as a Fetcher's `queue()` sends it: its `body`, or `serializedBody` (V8-serialized bytes). */
  export type ServiceBindingQueueMessage<Body = unknown> = { id: string; timestamp: Date | number; attempts: number } & (
    | { body: Body }
    | { serializedBody: ArrayBuffer | ArrayBufferView }
  );

  /** Runs `callback` with the object's instance and state, inside the object (its input gate). */
  export function runInDurableObject<O extends Rpc.DurableObjectBranded, R>(
    stub: DurableObjectStub<O>,
    callback: (instance: O, state: DurableObjectState) => R | Promise<R>,
  ): Promise<R>;
  export function runInDurableObject<O, R>(
    stub: DurableObjectStub,
    callback: (instance: O, state: DurableObjectState) => R | Promise<R>,
  ): Promise<R>;
  /** Runs and removes the object's scheduled alarm now; false if none was scheduled. */
  export function runDurableObjectAlarm(stub: DurableObjectStub<Rpc.DurableObjectBranded | undefined>): Promise<boolean>;

  export interface DurableObjectEvictionOptions {
    /** Hibernatable WebSockets are hibernated (the default) or closed. */
    webSockets?: "close" | "hibernate";
  }
  /** Evicts the running object behind `stub`: its instance goes, its storage stays. */
  export function evictDurableObject(stub: DurableObjectStub<Rpc.DurableObjectBranded | undefined>, options?: DurableObjectEvictionOptions): Promise<void>;
  /** Evicts every running object (except where eviction is prevented). */
  export function evictAllDurableObjects(options?: DurableObjectEvictionOptions): Promise<void>;
  /** Resets every running object (except where eviction is prevented); storage keeps what was committed. */
  export function abortAllDurableObjects(): Promise<void>;
  /** The ids of every object started in `namespace`. */
  export function listDurableObjectIds<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>): Promise<DurableObjectId[]>;
  /** Deletes all data: every Durable Object (except where eviction is prevented), KV namespace, R2 bucket and cache; rate limit counts restart. */
  export function reset(): Promise<void>;

  export function createExecutionContext(): ExecutionContext;
  /** Waits for every promise given to `ctx.waitUntil()`, including ones added meanwhile. */
  export function waitOnExecutionContext(ctx: ExecutionContext | EventContext<any, any, any>): Promise<void>;
  export interface ScheduledControllerOptions {
    scheduledTime?: Date | number;
    cron?: string;
  }
  export function createScheduledController(options?: ScheduledControllerOptions): ScheduledController;
  export interface MessageBatchMessage<Body = unknown> {
    id: string;
    timestamp: Date | number;
    attempts: number;
    body: Body;
  }
  export function createMessageBatch<Body = unknown>(queueName: string, messages: MessageBatchMessage<Body>[]): MessageBatch<Body>;
  export interface QueueResult {
    outcome: string;
    ackAll: boolean;
    retryBatch: { retry: boolean; delaySeconds?: number };
    explicitAcks: string[];
    retryMessages: { msgId: string; delaySeconds?: number }[];
  }
  export function getQueueResult(batch: MessageBatch, ctx: ExecutionContext): Promise<QueueResult>;

  /** durasim: binds the emulator-wide helpers to an Emulator (runners without an integration). */
  export function useEmulator(emulator: object | undefined): void;

  /**
   * durasim: what the Durable Objects did, counted as production bills it (emu.usage()): every
   * namespace and object, one object's (a stub), or one namespace's. Zeroed as each test starts.
   */
  export function usage(): import("durasim").EmulatorUsage;
  export function usage(stub: DurableObjectStub<Rpc.DurableObjectBranded | undefined>): import("durasim").ObjectUsageReport;
  export function usage(namespace: DurableObjectNamespace<Rpc.DurableObjectBranded | undefined>): import("durasim").NamespaceUsage;
  /** durasim: zeroes every usage counter of the current emulator. */
  export function resetUsage(): void;

  /** A D1 migration as `readD1Migrations()` of `durasim/vitest` reads it (a project's env.d.ts types `TEST_MIGRATIONS: D1Migration[]` with it). */
  export interface D1Migration {
    name: string;
    queries: string[];
  }
  /**
   * Applies the migrations not yet recorded in `migrationsTableName` to a D1 double given in
   * miniflare.bindings; durasim does not emulate D1, so for its stand-in of a D1 binding this
   * applies nothing and warns once.
   */
  export function applyD1Migrations(db: unknown, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  /** @deprecated durasim does not emulate Workflows: this throws. */
  export function introspectWorkflowInstance(workflow: unknown, instanceId: string): never;
  /** @deprecated durasim does not emulate Workflows: this throws. */
  export function introspectWorkflow(workflow: unknown): never;
  /**
   * The `context` a Pages Function is called with, for calling one as a unit: `request`,
   * `functionPath`, `next()` (to `init.next`), `params`, `data`, `waitUntil()` (awaited with
   * `waitOnExecutionContext()`) and the main Worker's `env`, which must have an `ASSETS` service binding.
   */
  export function createPagesEventContext<F extends PagesFunction<any, any, any>>(init: {
    request: Request;
    functionPath?: string;
    next?(request: Request): Response | Promise<Response>;
    params?: Record<string, string | string[]>;
    data?: Record<string, unknown>;
  }): Parameters<F>[0];
  /** @deprecated durasim does not emulate Secrets Store bindings: this throws. */
  export function adminSecretsStore(binding: unknown): never;
  /**
   * An undici MockAgent the tests' and Workers' fetch() go through (deactivated until `activate()`),
   * as in Cloudflare's integration before 0.13; needs the `undici` package installed.
   */
  export const fetchMock: import("undici").MockAgent;
}
