/**
 * An Analytics Engine dataset binding (wrangler's `analytics_engine_datasets`, Miniflare's
 * `analyticsEngineDatasets`) as wrangler dev and Miniflare 4 give it locally: `writeDataPoint()`
 * takes a data point and drops it, since nothing can query a dataset locally. Worker code that
 * records a point then runs as it does under Cloudflare's Vitest integration; a test that wants
 * to see the points spies on the method. Like Miniflare's, it checks nothing of the point.
 */
export class AnalyticsEngineDataset {
  writeDataPoint(_point?: unknown): void {}
}
