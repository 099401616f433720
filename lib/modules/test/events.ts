/**
 * The event objects tests hand to a Worker's handlers (`cloudflare:test`'s createExecutionContext,
 * createScheduledController, createMessageBatch) and what they recorded afterwards. They behave
 * like the runtime's: read-only properties, "Illegal constructor" for `new`, and a waitUntil list
 * that waitOnExecutionContext drains until nothing new was added.
 */
import { types } from "node:util";
import { inCodeRealm } from "../../util/code-realm.js";
import { markRuntimeInstance } from "../../runtime/brands.js";
import { decisionsOf, isMessageBatch, MessageBatch, newMessageBatch, QueueMessage } from "../../runtime/entrypoints/queue.js";
import { createScheduledController as newScheduledController, ScheduledController } from "../../runtime/fetcher-events/scheduled-controller.js";

export { MessageBatch, QueueMessage, ScheduledController };

/** What getQueueResult() reports (below): the runtime's report of a queue event, but for `delaySeconds`. */
export interface QueueResult {
  outcome: "ok";
  retryBatch: { retry: boolean };
  ackAll: boolean;
  retryMessages: { msgId: string }[];
  explicitAcks: string[];
}

/** Only the factories below may construct these classes, as the runtime forbids `new`. */
const CONSTRUCT = Symbol("construct");

function assertConstructing(flag: unknown): void {
  if (flag !== CONSTRUCT) throw new TypeError("Illegal constructor");
}

const waitUntilLists = new WeakMap<object, unknown[]>();
/** Who else waits for a context's waitUntil() promises (the test runner, through its emulator). */
const keepers = new WeakMap<object, (promise: unknown) => void>();
/** Contexts that share an ExecutionContext's waitUntil() list (a Pages EventContext: pages.ts), which waitOnExecutionContext() takes too. */
const sharedLists = new WeakMap<object, unknown[]>();

/** Lets waitOnExecutionContext(`context`) wait for `ctx`'s waitUntil() promises. */
export function shareWaitUntil(ctx: ExecutionContext, context: object): void {
  sharedLists.set(context, waitUntilLists.get(ctx)!);
}

export class ExecutionContext {
  /** The props the caller passed to this entrypoint: none for a plain request. */
  readonly props: object = inCodeRealm({});

  declare readonly exports?: object;

  constructor(flag: unknown, exports?: object, keep?: (promise: unknown) => void) {
    assertConstructing(flag);
    // As a handler's ctx: no `exports` property at all when the Worker has no ctx.exports.
    if (exports !== undefined) (this as { exports?: object }).exports = exports;
    waitUntilLists.set(this, []);
    if (keep !== undefined) keepers.set(this, keep);
    // The runtime's createExecutionContext makes a real ExecutionContext, which a
    // WorkflowEntrypoint accepts as its ctx.
    markRuntimeInstance("ExecutionContext", this);
  }

  waitUntil(promise: unknown): void {
    const list = waitUntilLists.get(this);
    if (list === undefined) throw new TypeError("Illegal invocation");
    list.push(promise);
    keepers.get(this)?.(promise);
  }

  passThroughOnException(): void {}
}

/** An ExecutionContext for calling a handler directly; `exports` is the main Worker's, if any; `keep` is told of each waitUntil() promise. */
export function createExecutionContext(exports?: object, keep?: (promise: unknown) => void): ExecutionContext {
  return new ExecutionContext(CONSTRUCT, exports, keep);
}

/**
 * Waits until every promise given to `ctx.waitUntil()` has settled, including ones added while
 * waiting. One rejection is rethrown as is; several are rethrown as an AggregateError.
 */
export async function waitOnExecutionContext(ctx: unknown): Promise<void> {
  const list = typeof ctx === "object" && ctx !== null ? (waitUntilLists.get(ctx) ?? sharedLists.get(ctx)) : undefined;
  if (list === undefined) {
    throw new TypeError(
      "Failed to execute 'getWaitUntil': parameter 1 is not of type 'ExecutionContext'.\n" +
        // (Cloudflare's helper names both factories since it took Pages Functions' EventContext too.)
        "You must call 'createExecutionContext()' or 'createPagesEventContext()' to get an 'ExecutionContext' instance.",
    );
  }
  const errors: unknown[] = [];
  while (list.length > 0) {
    for (const outcome of await Promise.allSettled(list.splice(0))) {
      if (outcome.status === "rejected") errors.push(outcome.reason);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors);
}

export interface ScheduledControllerOptions {
  scheduledTime?: Date | number;
  cron?: string;
}

/** A ScheduledController (the runtime's class) for calling a `scheduled()` handler directly. */
export function createScheduledController(options?: ScheduledControllerOptions): ScheduledController {
  // (`null` passes, as `typeof` lets it through Cloudflare's check: it gives the defaults.)
  if (options !== undefined && typeof options !== "object") {
    throw new TypeError("Failed to execute 'createScheduledController': parameter 1 is not of type 'ScheduledOptions'.");
  }
  return newScheduledController(Number(options?.scheduledTime ?? Date.now()), String(options?.cron ?? ""));
}

/** A message as a test describes it to createMessageBatch. */
export interface MessageBatchMessage<Body = unknown> {
  id: string;
  timestamp: Date | number;
  attempts: number;
  body: Body;
}

/** A MessageBatch (the runtime's, as a queue event delivers it) for calling a `queue()` handler directly. */
export function createMessageBatch<Body = unknown>(queueName: string, messages: MessageBatchMessage<Body>[]): MessageBatch {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'createMessageBatch': parameter 1 is not of type 'string'.");
  }
  // Array.isArray, not the runtime's isRuntimeArray: this helper is the Vitest pool's JavaScript,
  // whose own Array.isArray() check takes a Proxy of an array.
  if (!Array.isArray(messages)) {
    throw new TypeError("Failed to execute 'createMessageBatch': parameter 2 is not of type 'Array'.");
  }
  const checked = messages.map((message) => {
    // The id first, as Cloudflare's helper reads it: a message that is no object fails there.
    const id = String(message.id);
    const { timestamp, attempts } = message;
    // types.isDate: a Date made in the test's realm (Jest's vm context) is a Date too.
    if (typeof timestamp !== "number" && !types.isDate(timestamp)) {
      throw new TypeError(
        "Incorrect type for the 'timestamp' field on 'ServiceBindingQueueMessage': the provided value is not of type 'date'.",
      );
    }
    if (typeof attempts !== "number") {
      throw new TypeError(
        "Incorrect type for the 'attempts' field on 'ServiceBindingQueueMessage': the provided value is not of type 'number'.",
      );
    }
    if ("serializedBody" in message) throw new TypeError("Cannot use `serializedBody` with `createMessageBatch()`");
    // A copy, so the test's object and the handler's cannot affect each other.
    return { id, timestamp: typeof timestamp === "number" ? timestamp : timestamp.getTime(), attempts, body: inCodeRealm(structuredClone(message.body)) };
  });
  return newMessageBatch(String(queueName), checked, inCodeRealm({ metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date(0) } }));
}

/**
 * What the queue handler decided, once the context's waitUntil promises have settled, as
 * Cloudflare's helper reports it (not as the runtime reports a queue event, which SELF.queue()
 * gives): retries and acks in the batch's order, and no `delaySeconds`, which its messages'
 * `retry()` and `retryAll()` never kept, so a suite comparing the whole result with
 * toStrictEqual, or a retried message with `{ msgId }`, passes unchanged.
 */
export async function getQueueResult(batch: unknown, ctx: unknown): Promise<QueueResult> {
  if (!isMessageBatch(batch)) {
    throw new TypeError(
      "Failed to execute 'getQueueResult': parameter 1 is not of type 'MessageBatch'.\n" +
        "You must call 'createMessageBatch()' to get a 'MessageBatch' instance.",
    );
  }
  if (typeof ctx !== "object" || ctx === null || !waitUntilLists.has(ctx)) {
    throw new TypeError(
      "Failed to execute 'getQueueResult': parameter 2 is not of type 'ExecutionContext'.\n" +
        "You must call 'createExecutionContext()' to get an 'ExecutionContext' instance.",
    );
  }
  await waitOnExecutionContext(ctx);
  const { ackAll, retryAll, acked, retried } = decisionsOf(batch);
  const ids = batch.messages.map((message) => message.id);
  return inCodeRealm({
    outcome: "ok",
    retryBatch: { retry: retryAll },
    ackAll,
    retryMessages: ids.filter((id) => retried.has(id)).map((msgId) => ({ msgId })),
    explicitAcks: ids.filter((id) => acked.has(id)),
  });
}
