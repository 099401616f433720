/**
 * Options of Miniflare 2 that Miniflare 3 dropped, with what replaces them here. A test written
 * for Miniflare 2 still passes them; Miniflare 4 would ignore them silently, and durasim names
 * them, so the migration is one message away instead of a behaviour that quietly went missing.
 */
const REMOVE = "Remove it";
const BUILD_FIRST = "build the Worker before the test and give scriptPath the output";
const READ_WRANGLER = 'durasim reads a wrangler file itself: build the emulator with Emulator.fromWrangler(path, { environment }) from "durasim", or give its settings here as options';

const REPLACEMENTS: Record<string, string> = {
  wranglerConfigPath: READ_WRANGLER,
  wranglerConfigEnv: READ_WRANGLER,
  packagePath: "give the module's file in scriptPath",
  mounts: 'give each mounted Worker (with its name) in "workers" and bind it through serviceBindings',
  globals: 'Workers run in this Node process: set the values on globalThis in the test, or give them to the Worker in "bindings"',
  envPath: 'read the .env file in the test (process.loadEnvFile() or util.parseEnv()) and give its values in "bindings"',
  buildCommand: BUILD_FIRST,
  buildBasePath: BUILD_FIRST,
  buildWatchPaths: BUILD_FIRST,
  watch: BUILD_FIRST,
  crons: 'call the scheduled handler with (await mf.getWorker()).scheduled({ cron })',
  queueBindings: 'Miniflare 4 names them queueProducers, a service durasim does not emulate: put a stand-in value in "bindings"',
  sourceMap: "Workers run in this Node process: run Node with --enable-source-maps",
  durableObjectsAlarms: `alarms always run. ${REMOVE}`,
  scriptRequired: REMOVE,
  usageModel: REMOVE,
  updateCheck: REMOVE,
  debug: REMOVE,
  logUnhandledRejections: REMOVE,
  globalAsyncIO: REMOVE,
  globalTimers: REMOVE,
  globalRandom: REMOVE,
  actualTime: REMOVE,
  inaccurateCpu: REMOVE,
  disableCache: REMOVE,
};

/** What replaces a Miniflare 2 option, or undefined when the name is not one of them. */
export function miniflare2Replacement(option: string): string | undefined {
  return Object.hasOwn(REPLACEMENTS, option) ? REPLACEMENTS[option] : undefined;
}
