// Memory per object: RSS and heap growth after 10,000 new objects each store 10 keys, with
// durasim and with the smallest thing that still hosts objects in-process (a Map of instances,
// each keeping a Map of structured-cloned values), each in its own process. This is the
// peers' W6 workload (see README: Benchmarks): one request per object that puts 10 strings in
// one call, 50 requests in flight. Also the heap of an idle object that stores nothing, and
// where RSS growth goes: V8's young generation (its semi-spaces grow with the bytes that survive
// scavenges, and stay committed after a full GC), the rest of the heap, and memory outside it;
// where in the fill the young generation grew; and the growth again once the process has
// allocated on, when both hosts' young generations have committed the size V8 chose (see churn).
// Two controls separate V8's sizing from durasim's own cost: the baseline again, keeping and
// allocating per object what a durasim object does (see BareObject), and durasim in a child with
// Maglev off, whose compile jobs' freed memory is most of what grows outside the heap.
import { GCProfiler, getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { inChildProcess, printTable } from "./harness.js";

const OBJECTS = Number(process.env.BENCH_MEMORY_OBJECTS ?? 10_000);
const KEYS = 10;
const IN_FLIGHT = 50;

function entries(i) {
  const entries = {};
  for (let j = 0; j < KEYS; j++) entries[`key-${j}`] = `value-${j}-${i}`;
  return entries;
}

class Filled extends DurableObject {
  async fill(i) {
    await this.ctx.storage.put(entries(i));
    return KEYS;
  }
  touch() {
    return 0;
  }
}

/**
 * Padding an object keeps: a plain class instance, as what a Durable Object keeps mostly is. V8
 * may allocate an array made by a literal or `new Array` straight into the old generation once
 * most of its site's arrays survive (allocation-site pretenuring, from 16 MiB semi-spaces on),
 * and bytes allocated there never count towards growing the young generation; it allocates
 * class instances young.
 */
class Kept {
  value = 0;
  next;
  constructor(next) {
    this.next = next;
  }
}

/** `length` Kept instances, each holding the one made before it. */
function keptChain(length) {
  let chain;
  for (let i = 0; i < length; i++) chain = new Kept(chain);
  return chain;
}

/** The bytes of a field on V8's heap (Node's builds keep full pointers; V8's own may compress them). */
const WORD = Number(process.config.variables.v8_enable_pointer_compression) ? 4 : 8;

/**
 * The heap one Kept takes: its map, properties and elements words and its two fields (known, not
 * measured: measuring would leave survivors that count towards the young generation's growth).
 */
const KEPT_SIZE = 5 * WORD;

/** The control's padding per object (see BareObject): Kept instances kept, words dropped. */
let pad = { kept: 0, droppedWords: 0 };

/** The last padding dropped (held so that no compiler may leave it unallocated). */
let dropped;

/**
 * The baseline: instances in a Map, each with a Map of copied values. As a control, an object
 * also keeps `keep` bytes of padding (Kept instances, made with it) and each fill allocates and
 * drops about `drop` bytes, so that it keeps and allocates what a durasim object does.
 */
class BareObject {
  storage = new Map();
  constructor() {
    // A field of the control's objects only: the plain baseline keeps what it always kept.
    if (pad.kept > 0) this.padding = keptChain(pad.kept);
  }
  async fill(i) {
    for (const [key, value] of Object.entries(entries(i))) this.storage.set(key, structuredClone(value));
    if (pad.droppedWords > 0) dropped = new Array(pad.droppedWords).fill(i);
    return KEYS;
  }
}

function bareHost(keep, drop) {
  pad = { kept: Math.round(keep / KEPT_SIZE), droppedWords: Math.round(drop / WORD) };
  const objects = new Map();
  return (name) => {
    let object = objects.get(name);
    if (object === undefined) objects.set(name, (object = new BareObject()));
    return object;
  };
}

function durasimHost() {
  const emu = new Emulator({ module: { Filled }, durableObjects: { NS: "Filled" } });
  return (name) => emu.env.NS.getByName(name);
}

/**
 * In a child process: memory growth (after forced GCs) from filling OBJECTS objects ("durasim",
 * "bare", the latter padded by `keep` and `drop` bytes an object, see BareObject), or from calling
 * as many objects once ("idle"); and the bytes the fill allocated on V8's heap.
 */
async function measure(kind, keep = 0, drop = 0) {
  const object = kind === "bare" ? bareHost(keep, drop) : durasimHost();
  await object("warm-up").fill(0);
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
    global.gc();
    let young = 0;
    let heap = 0;
    for (const space of getHeapSpaceStatistics()) {
      if (space.space_name === "new_space") young += space.physical_space_size;
      else heap += space.physical_space_size;
    }
    return { ...process.memoryUsage(), young, heapSpaces: heap };
  };
  const before = await settle();
  const steps = youngGenerationSteps();
  let next = 0;
  const caller = async () => {
    while (next < OBJECTS) {
      const i = next++;
      if (kind === "idle") await object(`object-${i}`).touch();
      else await object(`object-${i}`).fill(i);
      if (i % STEP_SAMPLE === 0) steps.sample(i);
    }
  };
  const allocated = await allocatedDuring(() => Promise.all(Array.from({ length: IN_FLIGHT }, caller)));
  steps.sample(OBJECTS);
  const after = await settle();
  // The forced GCs promote what the young generation holds, which counts as surviving too.
  steps.sample(OBJECTS);
  churn();
  const goingOn = await settle();
  return { ...growth(before, after), allocated, steps: steps.seen, goingOn: growth(before, goingOn) };
}

/**
 * Bytes allocated on V8's heap while `run` runs: what each collection found in use less what the
 * one before it left, and at the end what is in use less what the last one left.
 */
async function allocatedDuring(run) {
  const profiler = new GCProfiler();
  let left = getHeapStatistics().used_heap_size;
  profiler.start();
  await run();
  const end = getHeapStatistics().used_heap_size;
  let allocated = 0;
  for (const gc of profiler.stop().statistics) {
    allocated += gc.beforeGC.heapStatistics.usedHeapSize - left;
    left = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return allocated + end - left;
}

/** What grew from `before` to `after` (see settle). */
function growth(before, after) {
  return {
    rss: after.rss - before.rss,
    heap: after.heapUsed - before.heapUsed,
    young: after.young - before.young,
    heapSpaces: after.heapSpaces - before.heapSpaces,
    external: after.external - before.external,
  };
}

/**
 * Short-lived garbage, twice the young generation's size, which keeps nothing: what any process
 * that goes on running allocates. A young generation that V8 grew near the end of the fill
 * (or in the forced GCs after it) has committed few of its new pages yet; its scavenges commit
 * them, as the scavenges after an earlier step did during the fill. Measuring after this puts
 * both hosts' young generations at the size V8 chose for them, wherever the step fell.
 */
function churn() {
  const size = youngGenerationSize();
  let last;
  for (let allocated = 0; allocated < 2 * size; allocated += 1024) last = new Array(124).fill(allocated);
  // Returned so that no compiler may drop the arrays as unused.
  return last.length;
}

/** The young generation's size, both semi-spaces (what V8 grew it to, committed or not). */
function youngGenerationSize() {
  return getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size;
}

/** How often the fill looks at the young generation's capacity (in objects filled). */
const STEP_SAMPLE = 100;

/**
 * Where in the fill V8 grew the young generation (both semi-spaces): it doubles them once the
 * bytes that survived scavenges since they last grew (copied or promoted: a kept object counts
 * up to twice, at the two scavenges after its allocation) exceed one semi-space. What an object
 * keeps decides the step; its garbage brings it forward a little (scavenges come sooner, so
 * fewer kept objects wait uncounted) and, after it, commits the new pages (the scavenges that
 * follow use them). Each step is a jump in RSS, so the growth at OBJECTS depends on which side
 * of a step each host stops: this says where each one met it. Sampled alike for durasim and
 * the baseline (a few objects every STEP_SAMPLE fills).
 */
function youngGenerationSteps() {
  let last = youngGenerationSize();
  const seen = [];
  return {
    seen,
    sample(filled) {
      const now = youngGenerationSize();
      if (now !== last) seen.push({ from: last, to: now, atObject: filled });
      last = now;
    },
  };
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kibEach = (bytes) => `${(bytes / OBJECTS / 1024).toFixed(2)} KiB`;

/** RSS growth by where it went (committed pages; "other" is malloc, code and the rest outside V8's heap). */
const split = (m) =>
  `young gen ${mib(m.young)}, old gen ${mib(m.heapSpaces)}, external ${mib(m.external)}, other ${mib(m.rss - m.young - m.heapSpaces - m.external)}`;

/** Where the young generation grew (see youngGenerationSteps). */
function grownAt(m) {
  if (m.steps.length === 0) return "not grown";
  const where = (step) => (step.atObject < OBJECTS ? `at ${step.atObject.toLocaleString("en")}` : "at the end (its last objects or the GCs after it)");
  return m.steps.map((step) => `${mib(step.from)} → ${mib(step.to)} ${where(step)}`).join(", ");
}

export async function runMemoryBenchmarks() {
  const script = fileURLToPath(import.meta.url);
  const durasim = await inChildProcess(script, ["durasim"]);
  const bare = await inChildProcess(script, ["bare"]);
  const idle = await inChildProcess(script, ["idle"]);
  // The controls: the baseline padded to durasim's heap and allocation per object, and durasim
  // with Maglev off (a flag of this child alone, never of a process using durasim).
  const keep = Math.max(0, (durasim.heap - bare.heap) / OBJECTS);
  // What an object keeps was allocated too.
  const drop = Math.max(0, (durasim.allocated - bare.allocated) / OBJECTS - keep);
  const matched = await inChildProcess(script, ["bare", String(keep), String(drop)]);
  const noMaglev = await inChildProcess(script, ["durasim"], ["--no-maglev"]);
  const perObject = (m) => `heap ${kibEach(m.heap)}, allocated ${kibEach(m.allocated)} an object`;
  printTable(`Memory per object (node ${process.version})`, [
    {
      workload: `RSS growth, ${OBJECTS.toLocaleString("en")} objects × ${KEYS} keys (heap growth)`,
      durasim: `${mib(durasim.rss)} (heap ${mib(durasim.heap)})`,
      baseline: `${mib(bare.rss)} (heap ${mib(bare.heap)}) bare Map of instances, values structured-cloned`,
      ratio: `${(durasim.rss / bare.rss).toFixed(1)}x RSS`,
      target: "≤ 40 MiB RSS",
    },
    {
      workload: "where that RSS growth goes",
      durasim: split(durasim),
      baseline: split(bare),
      ratio: "—",
      target: "—",
    },
    {
      workload: "the same, once the process allocates on (young generation at the size V8 chose)",
      durasim: `${mib(durasim.goingOn.rss)}: ${split(durasim.goingOn)}`,
      baseline: `${mib(bare.goingOn.rss)}: ${split(bare.goingOn)}`,
      ratio: `${(durasim.goingOn.rss / bare.goingOn.rss).toFixed(1)}x RSS`,
      target: "—",
    },
    {
      workload: `young generation grown during the fill (at about object n of ${OBJECTS.toLocaleString("en")})`,
      durasim: grownAt(durasim),
      baseline: grownAt(bare),
      ratio: "—",
      target: "—",
    },
    {
      workload: "control: the baseline padded to keep and allocate what a durasim object does (V8's sizing alone)",
      durasim: `${mib(durasim.rss)} (${perObject(durasim)})`,
      baseline: `${mib(matched.rss)} (${perObject(matched)}): ${split(matched)}; young generation: ${grownAt(matched)}`,
      ratio: `${(durasim.rss / matched.rss).toFixed(1)}x RSS`,
      target: "—",
    },
    {
      workload: "control: durasim in a child with Maglev off (what its compile jobs' freed memory adds)",
      durasim: `${mib(noMaglev.rss)}: ${split(noMaglev)}`,
      baseline: `durasim as above: ${mib(durasim.rss)}`,
      ratio: "—",
      target: "—",
    },
    {
      workload: "heap per object with 10 keys",
      durasim: kibEach(durasim.heap),
      baseline: `${kibEach(bare.heap)} bare`,
      ratio: `${(durasim.heap / bare.heap).toFixed(1)}x`,
      target: "—",
    },
    {
      workload: "heap per idle object (one call, no data)",
      durasim: kibEach(idle.heap),
      baseline: "—",
      ratio: "—",
      target: "< 4 KiB",
    },
  ]);
}

if (process.argv[2] === "--child") {
  process.stdout.write(JSON.stringify(await measure(process.argv[3], Number(process.argv[4] ?? 0), Number(process.argv[5] ?? 0))));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runMemoryBenchmarks();
}
