/**
 * The Durable Object lifecycle of every Worker at once: each Worker's `migrations` (or its
 * declarative `exports`) planned against what its stored state has had applied, in Worker
 * order, so a transfer sees the state the Workers before it left. Then production's check
 * that every class a Worker binds as its own exists.
 */
import { type DurableObjectExports, planExports } from "./exports.js";
import { checkBoundClassesExist, cloneState, emptyScriptState, type Migration, type MigrationState, type MigrationStep, planMigrations } from "./migrations.js";
import type { BoundNamespace } from "./namespaces.js";

export interface LifecycleWorker {
  name: string;
  migrations: readonly Migration[];
  exports: DurableObjectExports;
  durableObjects: readonly BoundNamespace[];
}

export interface LifecyclePlan<W extends LifecycleWorker> {
  state: MigrationState;
  steps: MigrationStep[];
  /** The Workers, their own bindings to a class renamed by these steps pointing at its new name. */
  workers: W[];
}

/**
 * Plans every Worker's lifecycle. With `forwardRenames`, a Worker's own bindings to a class the
 * plan renames follow it (as an in-place `emu.migrate()` cannot change the bindings); otherwise
 * they must name the class as it is after the migrations, as production requires of a deploy.
 */
export function planLifecycles<W extends LifecycleWorker>(workers: readonly W[], applied: MigrationState, forwardRenames = false): LifecyclePlan<W> {
  const knownScripts = workers.map((worker) => worker.name);
  let state = cloneState(applied);
  const steps: MigrationStep[] = [];
  const declaring = workers.filter((worker) => worker.migrations.length > 0 || Object.values(worker.exports).some((entry) => entry.type === "durable-object"));
  for (const worker of declaring) {
    const context = { boundClasses: worker.durableObjects.map((binding) => binding.className), knownScripts };
    const plan =
      worker.migrations.length > 0
        ? planMigrations(state, worker.name, worker.migrations, context)
        : planExports(state, worker.name, worker.exports, context);
    state = plan.state;
    steps.push(...plan.steps);
  }
  const renamed = (script: string, className: string) =>
    steps.reduce((name, step) => (step.op === "rename" && step.script === script && step.from === name ? step.to : name), className);
  const forwarded = forwardRenames
    ? workers.map((worker) => ({
        ...worker,
        durableObjects: worker.durableObjects.map((binding) => ({ ...binding, className: renamed(binding.scriptName ?? worker.name, binding.className) })),
      }))
    : [...workers];
  for (const worker of forwarded.filter((candidate) => declaring.some((d) => d.name === candidate.name))) {
    const own = worker.durableObjects.filter((binding) => binding.scriptName === undefined && binding.declaration === undefined);
    checkBoundClassesExist(worker.name, state[worker.name] ?? emptyScriptState(), own.map((binding) => binding.className));
  }
  return { state, steps, workers: forwarded };
}
