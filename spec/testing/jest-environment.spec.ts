/**
 * The Jest environment gives each test file's global object the Workers globals (Worker code
 * loaded through Jest has no other way to see them); the process's own globals stay Node's.
 */
import { resolve } from "node:path";
import { runInContext } from "node:vm";
import { expect, it } from "vitest";

const dist = resolve(import.meta.dirname, "../../dist");

it("puts WebSocketPair, the Workers Response, the caches stand-in and the missing built-ins on the test file's global, not on the process's", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const globals = await import(resolve(dist, "modules/worker-globals.js"));
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: {}, globals: {} } },
    { console, docblockPragmas: {}, testPath: "chat.test.js" },
  );
  await environment.setup();
  try {
    const sandbox = environment.global;
    for (const name of Object.keys(globals)) expect(sandbox[name], name).toBe(globals[name]);
    const [client] = Object.values(new sandbox.WebSocketPair()) as object[];
    expect(new sandbox.Response(null, { status: 101, webSocket: client }).status).toBe(101);
    expect(await sandbox.caches.default.match("https://x/")).toBeUndefined();
    // The JavaScript built-ins Node 20 lacks, in the file's own realm (modules/builtins/).
    const builtins = "[typeof Promise.withResolvers, typeof Iterator, typeof new Set().union, typeof Array.fromAsync, typeof [].values().map].join()";
    expect(runInContext(builtins, environment.getVmContext())).toBe("function,function,function,function,function");
    expect("WebSocketPair" in globalThis).toBe(false);
    expect(globalThis.Response).not.toBe(globals.Response);
  } finally {
    await environment.teardown();
  }
});
