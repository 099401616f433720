/**
 * The event objects tests hand to a Worker's handlers (`cloudflare:test`'s createExecutionContext,
 * createScheduledController, createMessageBatch) and what they recorded afterwards. They behave
 * like the runtime's: read-only properties, "Illegal constructor" for `new`, and a waitUntil list
 * that waitOnExecutionContext drains until nothing new was added.
 */
import { types } from "node:util";
import { createScheduledController as newScheduledController, ScheduledController } from "../../runtime/entrypoints/scheduled.js";

export { ScheduledController };

/** Only the factories below may construct these classes, as the runtime forbids `new`. */
const CONSTRUCT = Symbol("construct");

function assertConstructing(flag: unknown): void {
  if (flag !== CONSTRUCT) throw new TypeError("Illegal constructor");
}

/** Defines read-only properties, the shape the runtime's instance properties have. */
function readOnly(target: object, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(target, key, { get: () => value, enumerable: true });
  }
}

const waitUntilLists = new WeakMap<object, unknown[]>();

export class ExecutionContext {
  /** The props the caller passed to this entrypoint: none for a plain request. */
  readonly props: object = {};

  constructor(flag: unknown, readonly exports?: object) {
    assertConstructing(flag);
    waitUntilLists.set(this, []);
  }

  waitUntil(promise: unknown): void {
    const list = waitUntilLists.get(this);
    if (list === undefined) throw new TypeError("Illegal invocation");
    list.push(promise);
  }

  passThroughOnException(): void {}
}

/** An ExecutionContext for calling a handler directly; `exports` is the main Worker's, if any. */
export function createExecutionContext(exports?: object): ExecutionContext {
  return new ExecutionContext(CONSTRUCT, exports);
}

/**
 * Waits until every promise given to `ctx.waitUntil()` has settled, including ones added while
 * waiting. One rejection is rethrown as is; several are rethrown as an AggregateError.
 */
export async function waitOnExecutionContext(ctx: unknown): Promise<void> {
  const list = typeof ctx === "object" && ctx !== null ? waitUntilLists.get(ctx) : undefined;
  if (list === undefined) {
    throw new TypeError(
      "Failed to execute 'getWaitUntil': parameter 1 is not of type 'ExecutionContext'.\n" +
        "You must call 'createExecutionContext()' to get an 'ExecutionContext' instance.",
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
  if (options !== undefined && (typeof options !== "object" || options === null)) {
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

export interface QueueRetryOptions {
  delaySeconds?: number;
}

/** What a queue handler decided about each message, in the shape getQueueResult reports. */
interface Decisions {
  ackAll: boolean;
  retryAll: QueueRetryOptions | undefined;
  acks: Set<string>;
  retries: Map<string, QueueRetryOptions>;
}

const batchDecisions = new WeakMap<object, Decisions>();

function warnIgnored(call: string, earlier: string): void {
  console.warn(`Received a call to ${call} after ${earlier} was already called. Calling ${call} after calling ${earlier} has no effect.`);
}

export class QueueMessage<Body = unknown> {
  declare readonly id: string;
  declare readonly timestamp: Date;
  declare readonly attempts: number;
  declare readonly body: Body;
  readonly #decisions: Decisions;

  constructor(flag: unknown, decisions: Decisions, message: MessageBatchMessage<Body>) {
    assertConstructing(flag);
    this.#decisions = decisions;
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
    readOnly(this, {
      id: String(message.id),
      timestamp: new Date(typeof timestamp === "number" ? timestamp : timestamp.getTime()),
      attempts,
      // A copy, so the test's object and the handler's cannot affect each other.
      body: structuredClone(message.body),
    });
  }

  ack(): void {
    const decisions = this.#decisions;
    if (decisions.ackAll) return;
    if (decisions.retryAll) return warnIgnored(`ack() on message ${this.id}`, "retryAll()");
    if (decisions.retries.has(this.id)) return warnIgnored(`ack() on message ${this.id}`, "retry()");
    decisions.acks.add(this.id);
  }

  retry(options: QueueRetryOptions = {}): void {
    const decisions = this.#decisions;
    if (decisions.retryAll) return;
    if (decisions.ackAll) return warnIgnored(`retry() on message ${this.id}`, "ackAll()");
    if (decisions.acks.has(this.id)) return warnIgnored(`retry() on message ${this.id}`, "ack()");
    decisions.retries.set(this.id, options);
  }
}

export class MessageBatch<Body = unknown> {
  declare readonly queue: string;
  declare readonly messages: readonly QueueMessage<Body>[];
  declare readonly metadata: object;

  constructor(flag: unknown, queue: string, messages: MessageBatchMessage<Body>[]) {
    assertConstructing(flag);
    const decisions: Decisions = { ackAll: false, retryAll: undefined, acks: new Set(), retries: new Map() };
    batchDecisions.set(this, decisions);
    readOnly(this, {
      queue,
      messages: messages.map((message) => new QueueMessage(CONSTRUCT, decisions, message)),
      metadata: { metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date(0) } },
    });
  }

  ackAll(): void {
    const decisions = batchDecisions.get(this)!;
    if (decisions.retryAll) return warnIgnored("ackAll()", "retryAll()");
    decisions.ackAll = true;
  }

  retryAll(options: QueueRetryOptions = {}): void {
    const decisions = batchDecisions.get(this)!;
    if (decisions.ackAll) return warnIgnored("retryAll()", "ackAll()");
    decisions.retryAll = options;
  }
}

/** A MessageBatch for calling a `queue()` handler directly. */
export function createMessageBatch<Body = unknown>(queueName: string, messages: MessageBatchMessage<Body>[]): MessageBatch<Body> {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'createMessageBatch': parameter 1 is not of type 'string'.");
  }
  if (!Array.isArray(messages)) {
    throw new TypeError("Failed to execute 'createMessageBatch': parameter 2 is not of type 'Array'.");
  }
  return new MessageBatch(CONSTRUCT, String(queueName), messages);
}

export interface QueueResult {
  outcome: string;
  ackAll: boolean;
  retryBatch: { retry: boolean; delaySeconds?: number };
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds?: number }[];
}

/** What the queue handler decided, once the context's waitUntil promises have settled. */
export async function getQueueResult(batch: unknown, ctx: unknown): Promise<QueueResult> {
  const decisions = typeof batch === "object" && batch !== null ? batchDecisions.get(batch) : undefined;
  if (decisions === undefined) {
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
  const retryBatch: QueueResult["retryBatch"] = { retry: decisions.retryAll !== undefined };
  if (decisions.retryAll?.delaySeconds !== undefined) retryBatch.delaySeconds = decisions.retryAll.delaySeconds;
  return {
    outcome: "ok",
    ackAll: decisions.ackAll,
    retryBatch,
    explicitAcks: [...decisions.acks],
    retryMessages: [...decisions.retries].map(([msgId, options]) =>
      options.delaySeconds === undefined ? { msgId } : { msgId, delaySeconds: options.delaySeconds },
    ),
  };
}
