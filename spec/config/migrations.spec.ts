import { describe, expect, it } from "vitest";
import { checkExports, planExports } from "../../lib/config/exports.js";
import { checkBoundClassesExist, checkMigrations, type Migration, type MigrationState, planMigrations } from "../../lib/config/migrations.js";
import { configError } from "./config-error.js";

const alone = { boundClasses: [], knownScripts: ["w"] };


describe("checking a migrations list as wrangler does", () => {
  it.each([
    [{ tag: "v1", new_classes: "A" }, '"migrations[0].new_classes" must be an array of class names'],
    [{ new_classes: ["A"] }, '"migrations[0].tag" is a required field'],
    [{ tag: "v1", new_sqllite_classes: ["A"] }, 'unknown field "new_sqllite_classes"'],
    [{ tag: "v1", renamed_classes: [{ from: "A" }] }, 'Expected "migrations[0].renamed_classes" to be an array of "{from: string, to: string}" objects'],
    [{ tag: "v1", transferred_classes: [{ from: "A", to: "B" }] }, '"{from: string, from_script: string, to: string}"'],
    [{ tag: "v1", new_classes: ["A"], renamed_classes: [{ from: "B", to: "A" }] }, "names class 'A' twice (new_classes and renamed_classes.to)"],
    [{ tag: "v1", new_classes: ["A"], new_sqlite_classes: ["A"] }, "names class 'A' twice"],
  ])("%j", (migration, text) => {
    expect(configError(() => checkMigrations([migration], "migrations"))).toContain(text);
  });

  it("tags are unique", () => {
    const list = [
      { tag: "v1", new_classes: ["A"] },
      { tag: "v1", new_classes: ["B"] },
    ];
    expect(configError(() => checkMigrations(list, "migrations"))).toContain('repeats the tag "v1"');
  });
});

describe("planning migrations against stored state", () => {
  const history: Migration[] = [
    { tag: "v1", new_classes: ["Legacy"], new_sqlite_classes: ["Room"] },
    { tag: "v2", renamed_classes: [{ from: "Room", to: "ChatRoom" }] },
    { tag: "v3", deleted_classes: ["Legacy"] },
  ];

  it("a fresh state applies every migration in order; a rename hands the class its key", () => {
    const plan = planMigrations({}, "w", history, alone);
    expect(plan.applied).toEqual(["v1", "v2", "v3"]);
    expect(plan.steps).toEqual([
      { op: "create", script: "w", className: "Legacy", sqlite: false, key: "w-Legacy" },
      { op: "create", script: "w", className: "Room", sqlite: true, key: "w-Room" },
      { op: "rename", script: "w", from: "Room", to: "ChatRoom", key: "w-Room" },
      { op: "delete", script: "w", className: "Legacy", key: "w-Legacy" },
    ]);
    expect(plan.state).toEqual({ w: { tags: ["v1", "v2", "v3"], classes: { ChatRoom: { sqlite: true, key: "w-Room" } } } });
  });

  it("only tags not yet applied are applied, and the input state is left alone", () => {
    const first = planMigrations({}, "w", history.slice(0, 1), alone);
    const before = JSON.stringify(first.state);
    const second = planMigrations(first.state, "w", history, alone);
    expect(second.applied).toEqual(["v2", "v3"]);
    expect(second.steps.map((step) => step.op)).toEqual(["rename", "delete"]);
    expect(JSON.stringify(first.state)).toBe(before);
    expect(planMigrations(second.state, "w", history, alone)).toMatchObject({ applied: [], steps: [] });
  });

  it("applied tags cannot be removed or reordered", () => {
    const { state } = planMigrations({}, "w", history, alone);
    expect(configError(() => planMigrations(state, "w", history.slice(1), alone))).toContain('has migration tag "v1" applied first');
    const reordered = [history[1]!, history[0]!, history[2]!];
    expect(configError(() => planMigrations(state, "w", reordered, alone))).toContain("cannot be removed or reordered");
  });

  it("a key-value class cannot become SQLite", () => {
    const list: Migration[] = [
      { tag: "v1", new_classes: ["Counter"] },
      { tag: "v2", new_sqlite_classes: ["Counter"] },
    ];
    const message = configError(() => planMigrations({}, "w", list, alone));
    expect(message).toContain("Cannot apply new-sqlite-class migration");
    expect(message).toContain("'Counter'");
    expect(message).toContain("cannot be converted to SQLite");
  });

  it("a class is created once, renamed only from an existing class to a new one", () => {
    expect(configError(() => planMigrations({}, "w", [{ tag: "v1", new_classes: ["A"] }, { tag: "v2", new_classes: ["A"] }], alone))).toContain(
      "the class already exists",
    );
    expect(configError(() => planMigrations({}, "w", [{ tag: "v1", renamed_classes: [{ from: "A", to: "B" }] }], alone))).toContain(
      "script 'w' has no class 'A'",
    );
    const toExisting: Migration[] = [
      { tag: "v1", new_classes: ["A", "B"] },
      { tag: "v2", renamed_classes: [{ from: "A", to: "B" }] },
    ];
    expect(configError(() => planMigrations({}, "w", toExisting, alone))).toContain("Do not also create 'B'");
  });

  it("deleting a class still bound is refused with production's message", () => {
    const list: Migration[] = [
      { tag: "v1", new_classes: ["Foo"] },
      { tag: "v2", deleted_classes: ["Foo"] },
    ];
    expect(configError(() => planMigrations({}, "w", list, { boundClasses: ["Foo"], knownScripts: ["w"] }))).toBe(
      "durasim: Cannot apply --delete-class migration to class 'Foo' without also removing the binding that references it.",
    );
    // Bound again after a later migration re-creates it: the history replays.
    const recreated: Migration[] = [...list, { tag: "v3", new_sqlite_classes: ["Foo"] }];
    expect(planMigrations({}, "w", recreated, { boundClasses: ["Foo"], knownScripts: ["w"] }).state.w!.classes.Foo).toEqual({ sqlite: true, key: "w-Foo" });
  });

  it("deleting a class that does not exist is refused with production's message", () => {
    expect(configError(() => planMigrations({}, "w", [{ tag: "v1", deleted_classes: ["Gone"] }], alone))).toContain(
      "Cannot apply delete-class migration to class 'Gone' which was not exported in the previous version of the script",
    );
  });

  it("a transfer takes the class, its key and its backend from the other script", () => {
    const other = planMigrations({}, "old", [{ tag: "v1", new_sqlite_classes: ["Store"] }], alone).state;
    const plan = planMigrations(other, "new", [{ tag: "v1", transferred_classes: [{ from: "Store", from_script: "old", to: "Data" }] }], {
      boundClasses: [],
      knownScripts: ["old", "new"],
    });
    expect(plan.steps).toEqual([{ op: "transfer", script: "new", fromScript: "old", from: "Store", to: "Data", key: "old-Store", sqlite: true }]);
    expect(plan.state.old!.classes).toEqual({});
    expect(plan.state.new!.classes).toEqual({ Data: { sqlite: true, key: "old-Store" } });
  });

  it("a transfer from a script present without that class is refused; from an absent script the class starts empty", () => {
    const transfer: Migration[] = [{ tag: "v1", transferred_classes: [{ from: "X", from_script: "old", to: "Y" }] }];
    expect(configError(() => planMigrations({}, "new", transfer, { boundClasses: [], knownScripts: ["old", "new"] }))).toContain(
      "script 'old' has no class 'X'",
    );
    expect(planMigrations({}, "new", transfer, alone).state.new!.classes).toEqual({ Y: { sqlite: false, key: "new-Y" } });
    expect(configError(() => planMigrations({}, "w", [{ tag: "v1", transferred_classes: [{ from: "X", from_script: "w", to: "Y" }] }], alone))).toContain(
      "use renamed_classes instead",
    );
  });

  it("a binding to an own class that no migration created is refused with production's message", () => {
    const { state } = planMigrations({}, "w", [{ tag: "v1", new_sqlite_classes: ["C"] }], alone);
    checkBoundClassesExist("w", state.w!, ["C"]);
    expect(configError(() => checkBoundClassesExist("w", state.w!, ["C", "B"]))).toContain(
      "Cannot create binding for class 'B' because it is not currently configured to implement Durable Objects. Ensure a --new-class migration has been applied to it.",
    );
  });
});

describe("declarative exports", () => {
  const context = { boundClasses: [], knownScripts: ["w"] };

  it("checks entries as wrangler does", () => {
    expect(configError(() => checkExports({ A: { type: "durable-object" } }, "exports"))).toContain('"exports.A.storage" is required for state "created"');
    expect(configError(() => checkExports({ A: { type: "durable-object", state: "gone" } }, "exports"))).toContain('"exports.A.state" must be one of');
    expect(configError(() => checkExports({ A: { type: "durable-object", state: "deleted", storage: "sqlite" } }, "exports"))).toContain(
      '"exports.A.storage" is forbidden on state "deleted"',
    );
    expect(configError(() => checkExports({ A: { type: "durable-object", state: "renamed", renamed_to: "A" } }, "exports"))).toContain("cannot equal the source class name");
    expect(configError(() => checkExports({ A: { type: "durable-object", state: "renamed", renamed_to: "B" } }, "exports"))).toContain("has no live entry for 'B'");
    expect(configError(() => checkExports({ A: { type: "durable-object", storage: "sqlite", container: "box" } }, "exports"))).toContain("does not run containers");
    expect(configError(() => checkExports({ A: { type: "queue" } }, "exports"))).toContain('must be "durable-object" or "worker"');
  });

  it("reconciles stored state to the declaration, and is a no-op the second time", () => {
    const v1 = checkExports({ Room: { type: "durable-object", storage: "sqlite" }, Old: { type: "durable-object", storage: "legacy-kv" } }, "exports");
    const first = planExports({}, "w", v1, context);
    expect(first.steps).toEqual([
      { op: "create", script: "w", className: "Room", sqlite: true, key: "w-Room" },
      { op: "create", script: "w", className: "Old", sqlite: false, key: "w-Old" },
    ]);
    expect(planExports(first.state, "w", v1, context).steps).toEqual([]);

    const v2 = checkExports(
      {
        Room: { type: "durable-object", state: "renamed", renamed_to: "ChatRoom" },
        ChatRoom: { type: "durable-object", storage: "sqlite" },
        Old: { type: "durable-object", state: "deleted" },
      },
      "exports",
    );
    const second = planExports(first.state, "w", v2, context);
    expect(second.steps).toEqual([
      { op: "rename", script: "w", from: "Room", to: "ChatRoom", key: "w-Room" },
      { op: "delete", script: "w", className: "Old", key: "w-Old" },
    ]);
    expect(second.state.w!.classes).toEqual({ ChatRoom: { sqlite: true, key: "w-Room" } });
    expect(planExports(second.state, "w", v2, context).steps).toEqual([]);
  });

  it("a storage change, a class left out, and deleting a bound class are refused", () => {
    const { state } = planExports({}, "w", { A: { type: "durable-object", storage: "legacy-kv" } }, context);
    expect(configError(() => planExports(state, "w", { A: { type: "durable-object", storage: "sqlite" } }, context))).toContain(
      "cannot change",
    );
    expect(configError(() => planExports(state, "w", { B: { type: "durable-object", storage: "sqlite" } }, context))).toContain(
      "Class 'A' of script 'w' exists in stored state but is missing from \"exports\"",
    );
    expect(configError(() => planExports(state, "w", { A: { type: "durable-object", state: "deleted" } }, { boundClasses: ["A"], knownScripts: ["w"] }))).toContain(
      "Cannot apply --delete-class migration to class 'A'",
    );
  });

  it("a transfer moves the class to a Worker of the emulator that expects it", () => {
    const both = { boundClasses: [], knownScripts: ["src", "dst"] };
    const live: MigrationState = planExports({}, "src", { Widget: { type: "durable-object", storage: "sqlite" } }, both).state;
    const expecting = { Widget: { type: "durable-object", state: "expecting-transfer", storage: "sqlite", transfer_from: "src" } } as const;
    // The target waits while the source still holds the class...
    const waiting = planExports(live, "dst", expecting, both);
    expect(waiting.steps).toEqual([]);
    // ...and the source's tombstone hands it over, with its key.
    const handed = planExports(waiting.state, "src", { Widget: { type: "durable-object", state: "transferred", transferred_to: "dst" } }, both);
    expect(handed.steps).toEqual([{ op: "transfer", script: "dst", fromScript: "src", from: "Widget", to: "Widget", key: "src-Widget", sqlite: true }]);
    expect(planExports(handed.state, "dst", expecting, both).steps).toEqual([]);
  });
});
