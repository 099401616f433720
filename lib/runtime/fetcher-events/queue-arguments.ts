import { types } from "node:util";
import { isIdlObject, isRuntimeArray, missingDictionary, notOfType, requireArgument, site, toDate, toIdlString, toUnsignedInteger } from "../../util/webidl.js";

/**
 * What a Fetcher's `queue(queueName, messages, metadata?)` sends, checked and converted as the
 * runtime does before any event runs: its TypeErrors come from here, for service bindings and
 * (with service_binding_extra_handlers) Durable Object stubs alike. Running the event is
 * entrypoints/queue.ts's.
 */

const QUEUE = site("Fetcher", "queue");

/** A message as the batch is built from: checked, its body already a copy. */
export interface QueueMessageInit {
  id: string;
  timestamp: number;
  attempts: number;
  body: unknown;
}

/** A message to send, as `queue()` takes it: `body`, or `serializedBody` (V8-serialized bytes). */
export interface OutgoingMessage {
  init: Omit<QueueMessageInit, "body">;
  body: { value: unknown } | { serialized: Uint8Array };
}

/** A Fetcher's `queue()` arguments, checked as the runtime checks them; throws its TypeErrors. */
export function messagesFromArguments(count: number, queueName: unknown, messages: unknown, metadata: unknown): {
  queue: string;
  messages: OutgoingMessage[];
  metadata: object;
} {
  requireArgument(QUEUE, count, 1, "string");
  const queue = toIdlString(queueName);
  if (!isRuntimeArray(messages)) throw notOfType(QUEUE, 2, "Array");
  const outgoing = messages.map((message: unknown, index: number) => {
    // Each element is a dictionary with required members: none at all is refused, as anything not an object.
    if (message === undefined || message === null) throw missingDictionary("Fetcher", "ServiceBindingQueueMessage");
    if (!isIdlObject(message)) throw new TypeError(`Incorrect type for array element ${index}: the provided value is not of type 'ServiceBindingQueueMessage'.`);
    const given = message as Record<string, unknown>;
    // Dictionary members in WebIDL order: attempts, body, id, serializedBody, timestamp.
    // An `unsigned short`: "3" is 3, 1.5 is 1, null is 0; negative, past 65535 or NaN is refused.
    const attempts = toUnsignedInteger(given.attempts, 65535);
    const id = toIdlString(given.id);
    const timestamp = dateMember(given.timestamp, "timestamp", "ServiceBindingQueueMessage");
    const hasBody = given.body !== undefined;
    const serialized = given.serializedBody;
    if (hasBody === (serialized !== undefined)) throw new TypeError("Expected one of body or serializedBody for each message");
    let body: OutgoingMessage["body"];
    if (hasBody) body = { value: structuredClone(given.body) };
    else if (types.isArrayBuffer(serialized)) body = { serialized: new Uint8Array(serialized.slice(0)) };
    else if (ArrayBuffer.isView(serialized)) body = { serialized: new Uint8Array(serialized.buffer.slice(serialized.byteOffset, serialized.byteOffset + serialized.byteLength)) };
    else throw notOfType(QUEUE, 2, "ServiceBindingQueueMessage");
    return { init: { id, timestamp, attempts }, body };
  });
  return { queue, messages: outgoing, metadata: metadataFromArgument(metadata) };
}

/** A Date member of a dictionary argument: a number or a Date, valid, in whole milliseconds. */
function dateMember(value: unknown, member: string, dictionary: string): number {
  if (typeof value !== "number" && !types.isDate(value)) {
    throw new TypeError(`Incorrect type for the '${member}' field on '${dictionary}': the provided value is not of type 'date'.`);
  }
  return toDate(QUEUE, value, 2);
}

/**
 * queue()'s `metadata` (WebIDL's MessageBatchMetadata, whose `metrics` is required), converted:
 * its metrics' counts are doubles (a missing one is NaN), the oldest timestamp an optional Date,
 * and members it does not know are dropped. None at all gives zero counts.
 */
function metadataFromArgument(metadata: unknown): object {
  if (metadata === undefined) return { metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: undefined } };
  if (metadata === null) throw missingDictionary("MessageBatchMetadata");
  if (!isIdlObject(metadata)) throw notOfType(QUEUE, 3, "MessageBatchMetadata");
  const metrics = (metadata as { metrics?: unknown }).metrics;
  if (metrics === undefined || metrics === null) throw missingDictionary("MessageBatchMetrics");
  if (!isIdlObject(metrics)) {
    throw new TypeError("Incorrect type for the 'metrics' field on 'MessageBatchMetadata': the provided value is not of type 'MessageBatchMetrics'.");
  }
  // Members in WebIDL order: backlogBytes, backlogCount, oldestMessageTimestamp.
  const given = metrics as Record<string, unknown>;
  const backlogBytes = +(given.backlogBytes as number);
  const backlogCount = +(given.backlogCount as number);
  const oldest = given.oldestMessageTimestamp;
  const oldestMessageTimestamp = oldest === undefined ? undefined : new Date(dateMember(oldest, "oldestMessageTimestamp", "MessageBatchMetrics"));
  return { metrics: { backlogCount, backlogBytes, oldestMessageTimestamp } };
}
