/**
 * What a service function receives second under durasim's test integrations, where Cloudflare's
 * plugin passes its Miniflare instance. There is none to pass: under the Vitest plugin the
 * function runs in Vitest's main process and each test file's emulator in a test worker, so no
 * object here could reach the bindings the tests see. Reading a member of it says so (the throw
 * becomes the function's 500, with this text), rather than failing on `undefined`.
 */

const refusal = (member: string) =>
  new Error(
    `durasim: a service function's second argument has no "${member}": Cloudflare's plugin passes its Miniflare instance there, ` +
      "but under durasim the function runs apart from the test files' emulators (in Vitest's main process), so no Miniflare instance can reach " +
      "the bindings the tests see. Send what the function needs in the request, or bind the service to a Worker in miniflare.workers (its env has the bindings).",
  );

export const NO_MINIFLARE_INSTANCE: object = new Proxy(Object.freeze({}), {
  get(_target, key) {
    // Inspection and promise resolution look for these; they find nothing, as on any plain object.
    if (typeof key === "symbol" || key === "then" || key === "toJSON") return undefined;
    throw refusal(key);
  },
});
