/**
 * EventTargets that object and Worker code uses (conformance "web apis: a listener that throws,
 * ..." checks the same against workerd): a listener that throws is the runtime's to log, never
 * Node's uncaught exception (which ends the process), and compatibility flag
 * spec_compliant_dispatch_exceptions decides whether the other listeners still run or the
 * exception reaches the code that dispatched (or aborted). AbortController#abort() without a
 * reason aborts with the runtime's AbortError. Test code keeps Node's EventTarget.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { emulator, type AnyStub } from "../helpers.js";

afterEach(() => vi.restoreAllMocks());

class Dispatcher extends DurableObject {
  dispatch(): unknown {
    const ran: string[] = [];
    const target = new EventTarget();
    target.addEventListener("ping", () => {
      ran.push("first");
      throw new RangeError("listener threw");
    });
    target.addEventListener("ping", () => void ran.push("second"));
    try {
      return { returned: target.dispatchEvent(new Event("ping")), ran };
    } catch (error) {
      return { threw: (error as Error).message, ran };
    }
  }

  abort(): unknown {
    const ran: string[] = [];
    const controller = new AbortController();
    controller.signal.addEventListener("abort", () => {
      ran.push("first");
      throw new TypeError("abort listener threw");
    });
    controller.signal.addEventListener("abort", () => void ran.push("second"));
    try {
      controller.abort();
      return { returned: true, ran, aborted: controller.signal.aborted };
    } catch (error) {
      return { threw: (error as Error).message, ran, aborted: controller.signal.aborted };
    }
  }

  reason(): unknown {
    const controller = new AbortController();
    controller.abort();
    const reason = controller.signal.reason as DOMException & { retryable?: boolean };
    let thrown: unknown;
    try {
      AbortSignal.abort().throwIfAborted();
    } catch (error) {
      thrown = (error as Error).message;
    }
    return { name: reason.name, message: reason.message, retryable: reason.retryable, keys: Object.keys(reason), thrown };
  }

  /** Whether a passive listener's preventDefault(), then a true return, cancels the event. */
  passive(): unknown {
    return [(event: Event) => void event.preventDefault(), () => true].map((listener) => {
      const target = new EventTarget();
      target.addEventListener("x", listener, { passive: true });
      const event = new Event("x", { cancelable: true });
      return [target.dispatchEvent(event), event.defaultPrevented];
    });
  }

  anyReason(): unknown {
    const [first, second] = [new AbortController(), new AbortController()];
    const composite = AbortSignal.any([first.signal, second.signal]);
    second.abort("second");
    first.abort("first");
    return composite.reason;
  }
}

function dispatcher(compatibilityDate?: string): AnyStub {
  const emu = emulator({ module: { Dispatcher }, durableObjects: { NS: "Dispatcher" }, ...(compatibilityDate === undefined ? {} : { compatibilityDate }) });
  return emu.env.NS.getByName("a");
}

describe("a listener that throws, in object code", () => {
  it("with spec_compliant_dispatch_exceptions (the default): every listener runs, the exception is logged as uncaught, dispatchEvent() and abort() return", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const stub = dispatcher();
    expect(await stub.dispatch()).toEqual({ returned: true, ran: ["first", "second"] });
    expect(await stub.abort()).toEqual({ returned: true, ran: ["first", "second"], aborted: true });
    const uncaught = logged.mock.calls.filter(([word]) => word === "Uncaught").map(([, error]) => (error as Error).message);
    expect(uncaught).toEqual(["listener threw", "abort listener threw"]);
  });

  it("dated before the flag (2026-09-14): the first exception ends the dispatch and is thrown by dispatchEvent() and abort()", async () => {
    const stub = dispatcher("2026-09-14");
    expect(await stub.dispatch()).toEqual({ threw: "listener threw", ran: ["first"] });
    expect(await stub.abort()).toEqual({ threw: "abort listener threw", ran: ["first"], aborted: true });
  });

  it("an AbortSignal.timeout() listener that throws is logged, whatever the date", async () => {
    for (const compatibilityDate of [undefined, "2026-09-14"]) {
      const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const emu = emulator({
        ...(compatibilityDate === undefined ? {} : { compatibilityDate }),
        module: {
          default: {
            async fetch() {
              const signal = AbortSignal.timeout(1);
              signal.addEventListener("abort", () => {
                throw new Error("timeout listener threw");
              });
              await new Promise((resolve) => setTimeout(resolve, 20));
              return new Response(String(signal.aborted));
            },
          },
        },
      });
      expect(await (await emu.dispatchFetch("http://x/")).text()).toBe("true");
      expect(logged.mock.calls.some(([word, error]) => word === "Uncaught" && (error as Error).message === "timeout listener threw")).toBe(true);
      logged.mockRestore();
    }
  });
});

describe("AbortController and AbortSignal in object code", () => {
  it("abort without a reason: the runtime's AbortError, 'The operation was aborted', flagged retryable", async () => {
    expect(await dispatcher().reason()).toEqual({
      name: "AbortError",
      message: "The operation was aborted",
      retryable: true,
      keys: ["code", "name", "message", "stack", "retryable"],
      thrown: "The operation was aborted",
    });
  });

  it("AbortSignal.any() keeps the reason of the first signal to abort, not the first listed (Node 24's, unobserved)", async () => {
    expect(await dispatcher().anyReason()).toBe("second");
  });

  it("test code keeps Node's reason and Node's EventTarget checks", () => {
    dispatcher();
    const controller = new AbortController();
    controller.abort();
    expect((controller.signal.reason as Error).message).toBe("This operation was aborted");
    expect(() => (new EventTarget().addEventListener as (...args: unknown[]) => void)("x")).toThrow(/must be specified/);
  });
});

describe("passive listeners in object code", () => {
  it("cannot cancel the event (preventDefault() or a true return), as the runtime's, on every Node", async () => {
    expect(await dispatcher().passive()).toEqual([[true, false], [true, false]]);
  });

  it("test code keeps Node's EventTarget: a listener returning true cancels nothing", () => {
    dispatcher();
    const target = new EventTarget();
    target.addEventListener("x", () => true, { passive: true });
    const event = new Event("x", { cancelable: true });
    expect([target.dispatchEvent(event), event.defaultPrevented]).toEqual([true, false]);
  });
});
