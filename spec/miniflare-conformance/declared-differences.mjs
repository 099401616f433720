// Differences from Miniflare that hold for every scenario, applied to Miniflare's records
// before comparing (each is also in the README's "Differences from production"):
//
// - storageClass: production reports "Standard" for an object written without a storage
//   class (Cloudflare's R2 docs: Standard is the default class); Miniflare's R2 simulator
//   leaves the field empty.
export const GLOBAL_DIFFERENCES = ["R2 storageClass: Miniflare reports \"\" where production reports \"Standard\""];

export function asProductionWouldRecord(record) {
  return JSON.parse(JSON.stringify(record), (key, value) => (key === "storageClass" && value === "" ? "Standard" : value));
}
