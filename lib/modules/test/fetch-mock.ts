/**
 * `fetchMock` of `cloudflare:test`. Cloudflare's integration (before 0.13) gave each test file an
 * undici `MockAgent`, deactivated until `activate()`, that the tests' and the Worker's `fetch()`
 * went through. Here it is a `MockAgent` of the project's `undici` package (loaded on first use,
 * so suites that never touch fetchMock need no such package), one per emulator, so every test
 * file starts with a fresh one: deactivated, net connect enabled, no interceptors. The global
 * fetch() hands Node's fetch the current emulator's agent (runtime/outbound-dispatcher.ts).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { setOutboundDispatcher } from "../../runtime/outbound-dispatcher.js";
import { currentTarget, currentTargetIfAny, type TestTarget } from "./target.js";

/** The member of undici's MockAgent this module uses; the tests use the rest. */
interface MockAgent {
  deactivate(): void;
}

const agents = new WeakMap<TestTarget, MockAgent>();

function loadUndici(): { MockAgent: new () => MockAgent } {
  for (const from of [join(process.cwd(), "package.json"), import.meta.url]) {
    try {
      return createRequire(from)("undici");
    } catch {
      // Not installed there: try the next place.
    }
  }
  throw new Error(
    "durasim: fetchMock is an undici MockAgent, and the undici package is not installed (Cloudflare's integration bundled it): " +
      'npm i -D undici, or mock fetch with vi.spyOn(globalThis, "fetch").',
  );
}

/** The emulator's agent, made (deactivated, as Cloudflare's started) on first use. */
function agentOf(target: TestTarget): MockAgent {
  let agent = agents.get(target);
  if (agent === undefined) {
    agent = new (loadUndici().MockAgent)();
    agent.deactivate();
    agents.set(target, agent);
    setOutboundDispatcher(() => {
      const current = currentTargetIfAny();
      return current === undefined ? undefined : agents.get(current);
    });
  }
  return agent;
}

export const fetchMock: object = new Proxy(
  {},
  {
    get(_target, prop) {
      // Awaiting or printing it must not load undici.
      if (typeof prop === "symbol" || prop === "then") return undefined;
      const agent = agentOf(currentTarget(`fetchMock.${prop}`)) as unknown as Record<string, unknown>;
      const value = agent[prop];
      return typeof value === "function" ? value.bind(agent) : value;
    },
  },
);
