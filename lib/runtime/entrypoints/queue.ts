import { deserialize } from "node:v8";
import { eventFailed } from "./execution-context.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { withFreshFields } from "../../util/fresh-fields.js";
import { defineInterface, defineReadOnlyFields, site, toDictionary, toInt32, type Site } from "../../util/webidl.js";
import { currentIoContext, ioContextRefusal, type IoContext } from "../io-context.js";
import type { messagesFromArguments, QueueMessageInit } from "../fetcher-events/queue-arguments.js";

/**
 * Queue events as a Worker's `queue(batch, env, ctx)` handler receives them: a MessageBatch
 * (the runtime's QueueController) of QueueMessages. A Fetcher's `queue(queueName, messages,
 * metadata?)` sends one; like `scheduled()` it exists only for Workers with the experimental
 * compatibility flag service_binding_extra_handlers. Rules, as workerd has them:
 * - each message is decided once: after ack(), retry() only warns (and the other way round);
 *   ackAll() / retryAll() decide the batch, and the later of the two only warns; acks made
 *   before ackAll() are still reported;
 * - the outcome waits for the handler and every `ctx.waitUntil()` promise, and is "exception"
 *   when any of them fails (or there is no handler, or a `serializedBody` cannot be read); the
 *   caller never sees the exception itself, and decisions made before it are still reported;
 * - messages are checked before anything runs (bad ones reject the call), bodies are copied
 *   with the structured clone algorithm;
 * - retry options are a WebIDL dictionary whose `delaySeconds` is an int32 (fractions truncate,
 *   NaN is 0, out of range throws), converted before the call decides anything;
 * - a batch and its messages belong to their event: code of another event that reaches them
 *   (through a module-level variable) is refused, as any I/O object of another request is;
 * - `batch.messages` and `message.timestamp` are read-only data properties that give a new
 *   array / Date at each read (util/fresh-fields.ts), so the objects handed out are Proxies,
 *   and their decisions are found by the Proxy, not by private fields.
 */

const RETRY = site("QueueMessage", "retry");
const RETRY_ALL = site("QueueController", "retryAll");

/** Only this module constructs batches and messages; `new` from user code is refused. */
const CONSTRUCT = Symbol("construct");

export interface QueueRetryOptions {
  delaySeconds?: number;
}

/** What the handler decided about each message (read by queueResult()), and the event it belongs to. */
interface Decisions {
  event: IoContext | undefined;
  ackAll: boolean;
  retryAll: QueueRetryOptions | undefined;
  acks: Set<string>;
  retries: Map<string, QueueRetryOptions>;
}

/** Each batch's and each message's decisions (a message shares its batch's). */
const batchDecisions = new WeakMap<object, Decisions>();
const messageDecisions = new WeakMap<object, Decisions>();

/** The runtime's name of what a batch holds, in the refusal of another event's use. */
const IO_TYPE = "QueueEventResult";

/**
 * The options of a `retry()` / `retryAll()` call at `at`, converted as the runtime's bindings
 * convert them; then the batch's decisions, if the running code may make them (else throws).
 */
function decide(at: Site, decisions: Decisions, options: unknown): QueueRetryOptions {
  const given = toDictionary<{ delaySeconds: unknown }>(at, options, 1, "QueueRetryOptions");
  const delay = given?.delaySeconds;
  const converted = delay === undefined ? {} : { delaySeconds: toInt32(delay) };
  checkEvent(decisions);
  return converted;
}

function checkEvent(decisions: Decisions): void {
  const refusal = ioContextRefusal(decisions.event, IO_TYPE);
  if (refusal !== undefined) throw refusal;
}

/** The runtime's warning for a decision an earlier one overrides; a message's names the message once, then says "a message". */
function warnIgnored(call: string, earlier: string, messageId?: string): void {
  const on = messageId === undefined ? ["", ""] : [` on message ${messageId}`, " on a message"];
  console.warn(`Received a call to ${call}${on[0]} after ${earlier} was already called. Calling ${call}${on[1]} after calling ${earlier} has no effect.`);
}

export class QueueMessage {
  declare readonly attempts: number;
  declare readonly body: unknown;
  declare readonly timestamp: Date;
  declare readonly id: string;

  constructor(flag: unknown, decisions: Decisions, message: QueueMessageInit) {
    if (flag !== CONSTRUCT) throw new TypeError("Illegal constructor");
    // Own fields in the runtime's order: attempts, body, timestamp, id.
    defineReadOnlyFields(this, { attempts: message.attempts, body: message.body });
    const self = withFreshFields(this, { timestamp: () => inCodeRealm(new Date(message.timestamp)) });
    defineReadOnlyFields(this, { id: message.id });
    messageDecisions.set(self, decisions);
    return self;
  }

  retry(options?: QueueRetryOptions): void {
    const decisions = messageDecisions.get(this)!;
    const converted = decide(RETRY, decisions, options);
    if (decisions.retryAll) return;
    if (decisions.ackAll) return warnIgnored("retry()", "ackAll()", this.id);
    if (decisions.acks.has(this.id)) return warnIgnored("retry()", "ack()", this.id);
    decisions.retries.set(this.id, converted);
  }

  ack(): void {
    const decisions = messageDecisions.get(this)!;
    checkEvent(decisions);
    if (decisions.ackAll) return;
    if (decisions.retryAll) return warnIgnored("ack()", "retryAll()", this.id);
    if (decisions.retries.has(this.id)) return warnIgnored("ack()", "retry()", this.id);
    decisions.acks.add(this.id);
  }

  static {
    defineInterface(this, "QueueMessage", (value) => typeof value === "object" && value !== null && messageDecisions.has(value));
  }
}

export class MessageBatch {
  declare readonly metadata: object;
  declare readonly queue: string;
  declare readonly messages: readonly QueueMessage[];

  constructor(flag: unknown, queue: string, messages: QueueMessageInit[], metadata: object) {
    if (flag !== CONSTRUCT) throw new TypeError("Illegal constructor");
    const decisions: Decisions = { event: currentIoContext(), ackAll: false, retryAll: undefined, acks: new Set(), retries: new Map() };
    defineReadOnlyFields(this, { metadata, queue });
    const made = messages.map((message) => new QueueMessage(CONSTRUCT, decisions, message));
    const self = withFreshFields(this, { messages: () => inCodeRealm([...made]) });
    batchDecisions.set(self, decisions);
    return self;
  }

  retryAll(options?: QueueRetryOptions): void {
    const decisions = batchDecisions.get(this)!;
    const converted = decide(RETRY_ALL, decisions, options);
    if (decisions.ackAll) return warnIgnored("retryAll()", "ackAll()");
    decisions.retryAll = converted;
  }

  ackAll(): void {
    const decisions = batchDecisions.get(this)!;
    checkEvent(decisions);
    if (decisions.retryAll) return warnIgnored("ackAll()", "retryAll()");
    decisions.ackAll = true;
  }

  static {
    defineInterface(this, "QueueController", (value) => typeof value === "object" && value !== null && batchDecisions.has(value));
  }
}

export function newMessageBatch(queue: string, messages: QueueMessageInit[], metadata: object): MessageBatch {
  return new MessageBatch(CONSTRUCT, queue, messages, metadata);
}

export function isMessageBatch(value: unknown): value is MessageBatch {
  return typeof value === "object" && value !== null && batchDecisions.has(value);
}

/** What the caller of a Fetcher's `queue()` receives (and `getQueueResult()` reports). */
export interface QueueResult {
  outcome: "ok" | "exception";
  ackAll: boolean;
  retryBatch: { retry: boolean; delaySeconds: number | undefined };
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds: number | undefined }[];
}

/** The batch's decisions, as workerd reports them (`delaySeconds` present even when unset). */
export function queueResult(batch: MessageBatch, outcome: QueueResult["outcome"]): QueueResult {
  const decisions = batchDecisions.get(batch)!;
  return inCodeRealm({
    outcome,
    ackAll: decisions.ackAll,
    retryBatch: { retry: decisions.retryAll !== undefined, delaySeconds: decisions.retryAll?.delaySeconds },
    explicitAcks: [...decisions.acks],
    retryMessages: [...decisions.retries].map(([msgId, options]) => ({ msgId, delaySeconds: options.delaySeconds })),
  });
}

/**
 * Whether the handler acked or retried the batch as a whole, and which messages it acked and
 * retried, for reports in shapes other than the runtime's (cloudflare:test's getQueueResult()).
 */
export function decisionsOf(batch: MessageBatch): { ackAll: boolean; retryAll: boolean; acked: ReadonlySet<string>; retried: ReadonlySet<string> } {
  const decisions = batchDecisions.get(batch)!;
  return { ackAll: decisions.ackAll, retryAll: decisions.retryAll !== undefined, acked: decisions.acks, retried: new Set(decisions.retries.keys()) };
}

const NO_HANDLER = "Received a QueueEvent but we lack a handler for QueueEvents. Did you remember to export a queue() function?";

/**
 * Runs one queue event: builds the batch (reading serialized bodies), runs `handler` (undefined
 * when the entrypoint has none), then every promise in `waitUntil` (including ones added
 * meanwhile), into the runtime's result. `worker` names the Worker in the log line of a failure.
 */
export async function runQueueEvent(
  worker: string,
  sent: ReturnType<typeof messagesFromArguments>,
  handler: ((batch: MessageBatch) => unknown) | undefined,
  waitUntil: readonly unknown[],
): Promise<QueueResult> {
  let messages: QueueMessageInit[];
  // The handler's copies are of its realm (util/code-realm.ts).
  inCodeRealm(sent.metadata);
  try {
    messages = sent.messages.map(({ init, body }) => ({ ...init, body: inCodeRealm("value" in body ? body.value : deserialize(body.serialized)) }));
  } catch (error) {
    console.error(`durasim: uncaught exception in Worker "${worker}" queue handler: a serializedBody could not be read:`, error);
    return queueResult(newMessageBatch(sent.queue, [], sent.metadata), "exception");
  }
  const batch = newMessageBatch(sent.queue, messages, sent.metadata);
  if (handler === undefined) {
    console.error(NO_HANDLER);
    return queueResult(batch, "exception");
  }
  const failed = await eventFailed(worker, "queue", () => handler(batch), waitUntil);
  return queueResult(batch, failed ? "exception" : "ok");
}
