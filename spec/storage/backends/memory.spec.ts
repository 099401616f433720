import { describe, expect, it } from "vitest";
import { MemoryBackend } from "../../../lib/storage/backends/memory.js";

const everyByte = () => Uint8Array.from({ length: 256 }, (_, i) => i);

function backendWith(entries: Record<string, Uint8Array>) {
  const backend = new MemoryBackend();
  backend.begin();
  for (const [key, value] of Object.entries(entries)) backend.put(key, value);
  backend.commit();
  return backend;
}

describe("MemoryBackend: values", () => {
  it("gives back every byte value as written, by get() and list(), from any view of a buffer", () => {
    const whole = everyByte();
    const backend = backendWith({ a: whole, b: whole.subarray(250, 256), empty: new Uint8Array(0) });
    expect([...backend.get("a")!]).toEqual([...everyByte()]);
    expect([...backend.get("b")!]).toEqual([250, 251, 252, 253, 254, 255]);
    expect(backend.get("empty")!.byteLength).toBe(0);
    expect(backend.list({}).map(([key, value]) => [key, [...value].length])).toEqual([
      ["a", 256],
      ["b", 6],
      ["empty", 0],
    ]);
  });

  it("hands out copies: changing what was written or read changes nothing stored", () => {
    const written = everyByte();
    const backend = backendWith({ k: written });
    written.fill(0);
    backend.get("k")!.fill(0);
    backend.list({})[0]![1].fill(0);
    expect([...backend.get("k")!]).toEqual([...everyByte()]);
  });

  it("puts back the bytes a rolled-back batch replaced or deleted", () => {
    const backend = backendWith({ k: Uint8Array.of(1, 2, 255), gone: Uint8Array.of(0) });
    backend.begin();
    backend.put("k", Uint8Array.of(9));
    backend.put("k", Uint8Array.of(8));
    backend.delete("gone");
    backend.rollback();
    expect([...backend.get("k")!]).toEqual([1, 2, 255]);
    expect([...backend.get("gone")!]).toEqual([0]);
  });
});
