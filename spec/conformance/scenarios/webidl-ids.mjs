// WebIDL argument conversion of namespaces (idFromName, idFromString, newUniqueId, get,
// getByName, jurisdiction) and ids (equals, toString, read-only properties). Driven from
// outside any object, like test code.
import { cls } from "../scenario.mjs";
import { CALL_HELPERS } from "./webidl-helpers.mjs";

const source = `${CALL_HELPERS}\n${cls(`  async hello() { return "hi " + (this.ctx.id.name ?? "(no name)"); }
  async fetch(req) { return new Response(req.method + " " + req.url + " " + (await req.text())); }`)}`;
const twoClasses = {
  source: `${source}\nexport class Other extends DurableObject { async hello() { return "other"; } }\n`,
  classes: { DO: "DO", OTHER: "Other" },
};
const scenario = (name, drive, rest = {}) => ({ name: `webidl: ${name}`, backend: "sqlite", source, drive, ...rest });

export default [
  scenario("idFromName arguments", async (env) => {
    const hexOf = (f) => () => f().toString();
    const plain = env.DO.idFromName("x").toString();
    return {
      sameAsX: await howAll({ toStringObject: () => env.DO.idFromName({ toString: () => "x" }).toString() === plain,
        boxed: () => env.DO.idFromName(new String("x")).toString() === plain, array: () => env.DO.idFromName(["x"]).toString() === plain,
        extraArgs: () => env.DO.idFromName("x", 5, {}).toString() === plain }),
      errors: await howAll({ symbol: hexOf(() => env.DO.idFromName(Symbol())), toStringThrows: hexOf(() => env.DO.idFromName({ toString() { throw new RangeError("no name"); } })),
        bigintName: () => env.DO.idFromName(10n).name, fnName: () => env.DO.idFromName(function f() {}).name, emptyName: () => env.DO.idFromName("").name }),
    };
  }),
  scenario("idFromString arguments", async (env) => {
    const hex = env.DO.idFromName("s").toString();
    return howAll({
      toStringObject: () => env.DO.idFromString({ toString: () => hex }).toString() === hex,
      boxed: () => env.DO.idFromString(new String(hex)).toString() === hex, extraArgs: () => env.DO.idFromString(hex, 5).toString() === hex,
      noArgs: () => env.DO.idFromString(), nul: () => env.DO.idFromString(null), symbol: () => env.DO.idFromString(Symbol()),
      object: () => env.DO.idFromString({}), idObject: () => env.DO.idFromString(env.DO.idFromName("s")).toString() === hex,
      nameOfParsed: () => env.DO.idFromString(hex).name ?? "no name",
    });
  }),
  scenario("newUniqueId and jurisdiction arguments", async (env) => {
    const len = (f) => () => f().toString().length;
    return howAll({
      none: len(() => env.DO.newUniqueId()), undef: len(() => env.DO.newUniqueId(undefined)), nul: len(() => env.DO.newUniqueId(null)),
      empty: len(() => env.DO.newUniqueId({})), jurisdictionUndefined: len(() => env.DO.newUniqueId({ jurisdiction: undefined })),
      string: len(() => env.DO.newUniqueId("eu")), number: len(() => env.DO.newUniqueId(5)), array: len(() => env.DO.newUniqueId([])),
      jurisdictionNull: len(() => env.DO.newUniqueId({ jurisdiction: null })),
      jurisdictionSymbol: len(() => env.DO.newUniqueId({ jurisdiction: Symbol() })), extraArgs: len(() => env.DO.newUniqueId({}, 5)),
      subNoArgs: () => typeof env.DO.jurisdiction(), subNull: () => typeof env.DO.jurisdiction(null), subSymbol: () => typeof env.DO.jurisdiction(Symbol()),
      subUndefinedThenGet: () => env.DO.jurisdiction(undefined).getByName("j").hello(),
    });
  }),
  scenario("get arguments", async (env) => {
    const id = env.DO.idFromName("g");
    const call = (f) => () => f().hello();
    return howAll({
      noArgs: call(() => env.DO.get()), nul: call(() => env.DO.get(null)), hexString: call(() => env.DO.get(id.toString())),
      plainObject: call(() => env.DO.get({})), idLike: call(() => env.DO.get({ toString: () => id.toString(), equals: () => true, name: "g" })),
      stub: call(() => env.DO.get(env.DO.getByName("g"))), stubId: call(() => env.DO.get(env.DO.getByName("g").id)),
      optionsNumber: call(() => env.DO.get(id, 5)), optionsString: call(() => env.DO.get(id, "x")), optionsNull: call(() => env.DO.get(id, null)),
      optionsArray: call(() => env.DO.get(id, [])), locationHintNumber: call(() => env.DO.get(id, { locationHint: 5 })),
      locationHintSymbol: call(() => env.DO.get(id, { locationHint: Symbol() })), routingModeNull: call(() => env.DO.get(id, { routingMode: null })),
      routingModeNumber: call(() => env.DO.get(id, { routingMode: 5 })), routingModeUndefined: call(() => env.DO.get(id, { routingMode: undefined })),
      extraArgs: call(() => env.DO.get(id, {}, 5)),
    });
  }),
  scenario("getByName arguments", async (env) => {
    const call = (f) => () => f().hello();
    return howAll({
      noArgs: call(() => env.DO.getByName()), undef: call(() => env.DO.getByName(undefined)), nul: call(() => env.DO.getByName(null)),
      number: call(() => env.DO.getByName(5)), symbol: call(() => env.DO.getByName(Symbol())), object: call(() => env.DO.getByName({})),
      toStringObject: call(() => env.DO.getByName({ toString: () => "named" })), empty: call(() => env.DO.getByName("")),
      optionsNumber: call(() => env.DO.getByName("o", 5)), optionsString: call(() => env.DO.getByName("o", "x")),
      locationHintNumber: call(() => env.DO.getByName("o", { locationHint: 5 })), routingModeBad: call(() => env.DO.getByName("o", { routingMode: "any" })),
      extraArgs: call(() => env.DO.getByName("o", {}, 5)), nameOfStub: () => env.DO.getByName({ toString: () => "named" }).name,
    });
  }),
  {
    name: "webidl: id equals and toString",
    backend: "sqlite",
    ...twoClasses,
    drive: async (env) => {
      const a = env.DO.idFromName("e");
      return howAll({
        sameName: () => a.equals(env.DO.idFromName("e")), viaString: () => a.equals(env.DO.idFromString(a.toString())),
        otherNamespace: () => a.equals(env.OTHER.idFromName("e")), otherName: () => a.equals(env.DO.idFromName("f")),
        noArgs: () => a.equals(), string: () => a.equals(a.toString()), nul: () => a.equals(null), undef: () => a.equals(undefined),
        plainObject: () => a.equals({ toString: () => a.toString() }), stub: () => a.equals(env.DO.getByName("e")),
        extraArgs: () => a.equals(env.DO.idFromName("e"), 5), toStringExtra: () => a.toString(5) === a.toString(),
        equalsDetached: () => { const f = a.equals; return f(a); }, toStringOnOther: () => a.toString.call({}),
        stringTag: () => String(a) === a.toString() && `${a}` === a.toString(), plusEmpty: () => a + "" === a.toString(),
      });
    },
  },
  scenario("ids are read-only but extensible", async (env) => {
    const id = env.DO.idFromName("ro");
    return howAll({
      assignIdName: () => { id.name = "other"; return id.name; }, deleteIdName: () => delete id.name,
      defineOnId: () => { id.extra = 1; return id.extra; }, frozenId: () => [Object.isFrozen(id), Object.isExtensible(id)],
      afterwards: () => env.DO.get(id).hello(),
    });
  }),
];
