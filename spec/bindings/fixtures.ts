import type { EmulatorOptions } from "../../lib/index.js";
import { emulator } from "../helpers.js";

/** An emulator with one KV namespace (KV) and one R2 bucket (BUCKET), and its env. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function bindingsEnv(extra: Partial<EmulatorOptions> = {}): { emu: ReturnType<typeof emulator>; env: Record<string, any> } {
  const emu = emulator({ module: {}, kvNamespaces: ["KV"], r2Buckets: ["BUCKET"], ...extra });
  return { emu, env: emu.env };
}

export const MiB = 1024 * 1024;

export function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

export async function text(stream: ReadableStream): Promise<string> {
  return new Response(stream).text();
}

/** A ReadableStream of the given chunks, built in JavaScript (length unknown). */
export function streamOf(...chunks: Array<Uint8Array | string>): ReadableStream {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}
