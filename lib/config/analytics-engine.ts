import { AnalyticsEngineDataset } from "../bindings/analytics-engine.js";
import { madeBinding } from "./made-bindings.js";

/**
 * The value of an Analytics Engine dataset binding, one per binding of each Worker: a dataset
 * that drops its points, as Miniflare's (bindings/analytics-engine.ts). Marked as made by
 * durasim, so it is no JSON var (workerd leaves it out of `process.env`).
 */
export function localAnalyticsEngineDataset(): AnalyticsEngineDataset {
  return madeBinding(new AnalyticsEngineDataset());
}
