/**
 * `fetchMock` of `cloudflare:test`. Cloudflare's integration (before 0.13) gave each test file an
 * undici `MockAgent`, deactivated until `activate()`, that the tests' and the Worker's `fetch()`
 * went through. Here it is a `MockAgent` of the project's `undici` package (loaded on first use,
 * so suites that never touch fetchMock need no such package), one per emulator, so every test
 * file starts with a fresh one: deactivated, net connect enabled, no interceptors. The global
 * fetch() offers each request to the current emulator's agent (runtime/outbound-dispatcher.ts),
 * which answers it as Cloudflare's integration did (mock-agent-fetch.ts).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { setOutboundAnswerer } from "../../runtime/outbound-dispatcher.js";
import { type MockAgent, MockedNetwork } from "./mock-agent-fetch.js";
import { currentTarget, currentTargetIfAny, type TestTarget } from "./target.js";

const networks = new WeakMap<TestTarget, MockedNetwork>();

/** The agent's members that go through its MockedNetwork, which keeps the setting they change. */
const NET_CONNECT_MEMBERS = new Set<string | symbol>(["enableNetConnect", "disableNetConnect"]);

function loadUndici(): { MockAgent: new (options: object) => MockAgent & { deactivate(): void } } {
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
function networkOf(target: TestTarget): MockedNetwork {
  let network = networks.get(target);
  if (network === undefined) {
    // One connection per origin, as Cloudflare's: `get(origin)` is a MockClient, not a MockPool.
    const agent = new (loadUndici().MockAgent)({ connections: 1 });
    agent.deactivate();
    network = new MockedNetwork(agent);
    networks.set(target, network);
    setOutboundAnswerer((input, init, send) => {
      const current = currentTargetIfAny();
      return current === undefined ? undefined : networks.get(current)?.answer(input, init, send);
    });
  }
  return network;
}

export const fetchMock: object = new Proxy(
  {},
  {
    get(_target, prop) {
      // Awaiting or printing it must not load undici.
      if (typeof prop === "symbol" || prop === "then") return undefined;
      const network = networkOf(currentTarget(`fetchMock.${prop}`));
      const owner = (NET_CONNECT_MEMBERS.has(prop) ? network : network.agent) as unknown as Record<string, unknown>;
      const value = owner[prop];
      return typeof value === "function" ? value.bind(owner) : value;
    },
  },
);
