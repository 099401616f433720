/**
 * Worker code's global `unhandledrejection` and `rejectionhandled` events (conformance "events:
 * unhandledrejection and rejectionhandled reach the global listeners" checks their shape against
 * workerd): which rejections reach them, that a listener that throws is reported rather than
 * ending Node, that preventDefault() leaves the log alone, and that removing a listener works.
 * One child process, as a rejection nobody listens for is about the process's fate.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT } from "../timeouts.js";

const dir = mkdtempSync(join(tmpdir(), "durasim-global-events-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dist = pathToFileURL(resolve(import.meta.dirname, "../../dist/index.js")).href;

const WORKER = `
import { DurableObject } from "cloudflare:workers";
const heard = [];
const onUnhandled = (event) => {
  heard.push(event.type + ": " + event.reason.message);
  event.preventDefault();
};
const onHandled = (event) => heard.push(event.type + ": " + String(event.reason) + " " + (event.promise === late));
let late;
export class Leaky extends DurableObject {
  leak(what) {
    if (what === "plain") Promise.reject(new RangeError("left by the object"));
    if (what === "late") {
      late = Promise.reject(new Error("handled late"));
      setTimeout(() => late.catch(() => {}), 5);
    }
    if (what === "throwing listener") Promise.reject(new Error("heard by a listener that throws"));
  }
}
export default {
  async fetch(request) {
    const step = new URL(request.url).pathname.slice(1);
    if (step === "listen") {
      addEventListener("unhandledrejection", onUnhandled);
      addEventListener("rejectionhandled", onHandled);
    }
    if (step === "throwing") addEventListener("unhandledrejection", () => { throw new Error("the listener failed"); }, { once: true });
    if (step === "unlisten") {
      removeEventListener("unhandledrejection", onUnhandled);
      removeEventListener("rejectionhandled", onHandled);
    }
    if (step === "heard") return Response.json(heard.splice(0));
    if (step === "construct") {
      try { new PromiseRejectionEvent("unhandledrejection", { promise: late, reason: 1 }); } catch (error) { return new Response(error.message); }
    }
    return new Response("ok");
  },
};
`;

describe("the global unhandledrejection and rejectionhandled events", () => {
  it("reach Worker code's listeners, which neither end Node nor silence the log", () => {
    const file = join(dir, "events.mjs");
    writeFileSync(
      file,
      `import { Emulator } from ${JSON.stringify(dist)};
const emu = new Emulator({ script: ${JSON.stringify(WORKER)}, durableObjects: { LEAKY: "Leaky" } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const step = async (name) => (await emu.dispatchFetch("http://x/" + name)).text();
const leaky = emu.env.LEAKY.getByName("a");
const out = {};
await step("listen");
await leaky.leak("plain");
await settle();
await leaky.leak("late");
await settle();
out.heard = JSON.parse(await step("heard"));
await step("throwing");
await leaky.leak("throwing listener");
await settle();
out.besideThrowing = JSON.parse(await step("heard"));
await step("unlisten");
await leaky.leak("plain");
await settle();
out.afterRemoval = JSON.parse(await step("heard"));
out.construct = await step("construct");
// A rejection of code outside the emulator is no Worker's: its listeners never hear it.
await step("listen");
process.on("unhandledRejection", () => {});
Promise.reject(new Error("test code's own"));
await settle();
out.outside = JSON.parse(await step("heard"));
await emu.dispose();
console.log(JSON.stringify(out));`,
    );
    const child = spawnSync(process.execPath, [file], { encoding: "utf8" });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({
      heard: ["unhandledrejection: left by the object", "unhandledrejection: handled late", "rejectionhandled: undefined true"],
      besideThrowing: ["unhandledrejection: heard by a listener that throws"],
      afterRemoval: [],
      construct: "Illegal constructor",
      outside: [],
    });
    // preventDefault() silences nothing (the event is not cancelable, as the runtime's).
    expect(child.stderr).toContain("Uncaught (in promise) RangeError: left by the object");
    expect(child.stderr).toContain("Uncaught (in promise) Error: heard by a listener that throws");
    // The listener's own exception is reported as the runtime logs it.
    expect(child.stderr).toContain("Uncaught Error: the listener failed");
  }, CHILD_PROCESS_TIMEOUT);
});
