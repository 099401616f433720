import { nodeStreamState } from "./node-stream-state.js";

/**
 * The ReadableStreams Worker and object code construct (through its `ReadableStream`,
 * stream-constructors.ts), by their controllers: where the runtime's JavaScript-backed streams
 * behave otherwise than its own native ones, which durasim makes itself from Node's classes.
 */
const codeMadeControllers = new WeakSet<object>();

export function markCodeMadeStream(stream: ReadableStream): void {
  const controller = nodeStreamState(stream)?.controller;
  if (typeof controller === "object" && controller !== null) codeMadeControllers.add(controller);
}

/** Whether `controller` is that of a ReadableStream Worker or object code constructed. */
export function isCodeMadeController(controller: unknown): boolean {
  return typeof controller === "object" && controller !== null && codeMadeControllers.has(controller);
}

/** Whether `stream` is a byte stream Worker or object code constructed. */
export function isCodeMadeByteStream(stream: ReadableStream): boolean {
  const controller = nodeStreamState(stream)?.controller;
  return controller instanceof ReadableByteStreamController && codeMadeControllers.has(controller);
}
