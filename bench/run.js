// `npm run bench`: every benchmark, one after another (never two at once on a 2-core machine).
import { runBindingBenchmarks } from "./bindings.js";
import { runChurnBenchmarks } from "./churn.js";
import { runCoreBenchmarks } from "./core.js";
import { runLifecycleBenchmarks } from "./lifecycle.js";
import { runMemoryBenchmarks } from "./memory.js";
import { runSqlBenchmarks } from "./sql.js";
import { runTestingBenchmarks } from "./testing.js";
import { runUsageBenchmarks } from "./usage.js";
import { runWebSocketBenchmarks } from "./websockets.js";

await runCoreBenchmarks();
await runSqlBenchmarks();
await runMemoryBenchmarks();
await runLifecycleBenchmarks();
await runBindingBenchmarks();
await runChurnBenchmarks();
await runUsageBenchmarks();
await runTestingBenchmarks();
await runWebSocketBenchmarks();
