/**
 * Driving one of the runtime's byte TransformStreams (IdentityTransformStream, FixedLengthStream,
 * CompressionStream, ...) as Worker code does, for the specs of each.
 */

/** The runtime's words for a chunk that is no bytes, written to such a stream's writable side. */
export const NOT_BYTES =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

/**
 * Writes `chunks` then closes, while reading the readable side to its end: each step's outcome
 * ("ok" or the failure's message), and what was read, shown by `shown` (or the read's failure).
 */
export async function writtenThrough<T>(
  stream: TransformStream,
  chunks: unknown[],
  shown: (bytes: ArrayBuffer) => T,
  writerOf = (writable: WritableStream) => writable.getWriter(),
): Promise<{ read: T | string; steps: string[] }> {
  const writer = writerOf(stream.writable);
  const steps: string[] = [];
  const step = (p: Promise<void>) => p.then(() => "ok", (e: Error) => e.message);
  const writing = (async () => {
    for (const chunk of chunks) steps.push(await step(writer.write(chunk)));
    steps.push(await step(writer.close()));
  })();
  const read = await new Response(stream.readable).arrayBuffer().then(shown, (e: Error) => e.message);
  await writing;
  return { read, steps };
}
