import { newRequired } from "../../util/construct-only.js";
import { acceptedBy, isIdlObject, isRuntimeArray, isSequence, notOfTypeInConstructor, toIdlString, toPairs } from "../../util/webidl.js";
import { headerError } from "./runtime-words.js";
import { inByobReaderWords } from "./stream-words.js";
import { convertHeaders } from "../init-conversion.js";
import { carryValues } from "../../util/header-values.js";
import { readsNative } from "../../util/native-names.js";
import { replaceGetter, wrapGetter } from "../replace-method.js";
import { hasRuntimeShape, withRuntimeShape } from "../../util/dom-exception.js";
import { runsEmulatedCode } from "../code-context.js";
import { calledByProjectModule } from "../project-scope.js";

/**
 * Node's classes as Worker modules see them where only the constructor's conversions and words
 * differ from the runtime's: a proxy of the class itself (so its prototype, the one Node's own
 * instances have, and its subclasses stay Node's) whose `new` converts the arguments first
 * (`convert`) and words Node's refusals as the runtime does (`words`), and whose call without
 * `new` says the runtime's "Please use the 'new' operator".
 */
export function withRuntimeConstructor<C extends new (...args: never[]) => object>(
  Class: C,
  name: string,
  {
    convert = (args) => args,
    words = (error) => error,
    made = () => undefined,
    called = () => newRequired(name),
  }: {
    convert?: (args: unknown[]) => unknown[];
    words?: (error: unknown) => unknown;
    made?: (instance: object, converted: unknown[]) => void;
    /** The refusal of a call without `new` (the runtime's "Please use the 'new' operator" by default). */
    called?: () => TypeError;
  },
): C {
  const proxy: C = new Proxy(Class, {
    construct(target, args, newTarget): object {
      const converted = convert(args);
      let instance: object;
      try {
        instance = Reflect.construct(target, converted, newTarget === proxy ? target : newTarget) as object;
      } catch (error) {
        throw words(error);
      }
      made(instance, converted);
      return instance;
    },
    apply() {
      throw called();
    },
  });
  constructorSeenAs(Class.prototype, Class, proxy);
  return readsNative(proxy, name);
}

/**
 * An instance's `constructor` (its prototype's, Node's class) as the code reading it knows the
 * class: Worker and object code get `proxy`, the constructor they see (so that
 * `new TransformStream().constructor === TransformStream` there, as in the runtime), and so
 * does test code in a project module that sees it (a test file under the Vitest plugin:
 * project-scope.ts); other test code, Node's and the packages' Node's class. Setting it on an
 * instance or a subclass's prototype makes an own property, as assigning to the data property would.
 */
function constructorSeenAs(prototype: object, Class: Function, proxy: Function): void {
  Object.defineProperty(prototype, "constructor", {
    get: function constructor() {
      return runsEmulatedCode() || calledByProjectModule(constructor) ? proxy : Class;
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, "constructor", { value, writable: true, enumerable: false, configurable: true });
    },
    enumerable: false,
    configurable: true,
  });
}

/**
 * A Blob's or File's parts and options as the runtime converts them, before Node sees them: the
 * parts an Array (none at all too; Node takes any iterable), the options any object (Node only
 * a dictionary-like one) whose `endings` the runtime does not implement, a File's name passed
 * (undefined too, as "undefined").
 */
function blobParts(name: string, parts: unknown, options: unknown, optionsPosition: number): void {
  if (parts !== undefined && !isRuntimeArray(parts)) throw notOfTypeInConstructor(name, 1, "Array");
  if (options === undefined || options === null) return;
  if (!isIdlObject(options)) throw notOfTypeInConstructor(name, optionsPosition, "Options");
  if ((options as { endings?: unknown }).endings !== undefined) throw new Error("The 'endings' field on 'Options' is not implemented.");
}

export const Blob = withRuntimeConstructor(globalThis.Blob, "Blob", {
  convert: (args) => {
    blobParts("Blob", args[0], args[1], 2);
    return args;
  },
});

export const File = withRuntimeConstructor(globalThis.File, "File", {
  convert: (args) => {
    blobParts("File", args[0], undefined, 3);
    if (args.length < 2) throw notOfTypeInConstructor("File", 2, "string");
    blobParts("File", undefined, args[2], 3);
    return args;
  },
});

/** The runtime's FormData takes no form element, and ignores whatever it is given (Node refuses anything). */
export const FormData = withRuntimeConstructor(globalThis.FormData, "FormData", { convert: () => [] });

/**
 * Headers: an init that is an object (a function too) converted as the runtime converts it
 * (convertHeaders: a record's enumerable keys only, a pair that is no sequence refused in its
 * words); Node's refusals of anything else in the runtime's words (its methods: runtime-words.ts).
 * The headers made keep the empty values Node joins away (util/header-values.ts).
 */
export const Headers = withRuntimeConstructor(globalThis.Headers, "Headers", {
  convert: ([init, ...rest]) => (isIdlObject(init) ? [convertHeaders(init), ...rest] : [init, ...rest]),
  words: headerError,
  made: (headers, [init]) => carryValues(headers as globalThis.Headers, isIdlObject(init) ? init : undefined),
});

/**
 * URLSearchParams' init: a sequence of pairs is read here first, so that an element that is no
 * sequence and a pair of other than two strings each get the runtime's words (Node says "Each
 * query pair must be an iterable [name, value] tuple" of both); a record is its enumerable
 * string keys' pairs (the runtime skips symbol keys, which Node refuses); null is the string
 * "null" (a query of one name, as the runtime converts it; Node reads none); anything else is Node's.
 */
function searchParamsInit(args: unknown[]): unknown[] {
  const init = args[0];
  if (init === null) return ["null"];
  if (isSequence(init)) return [toPairs(init, "Invalid URL search params sequence.")];
  if (typeof init === "object" && init !== null) return [Object.keys(init).map((key) => [key, toIdlString((init as Record<string, unknown>)[key])])];
  return args;
}

export const URLSearchParams = withRuntimeConstructor(globalThis.URLSearchParams, "URLSearchParams", { convert: searchParamsInit });

/**
 * An event constructor's arguments as the runtime checks them: the type is required and the init
 * an object (or none), refused in its words naming the init's dictionary (Node: "The "type"
 * argument must be specified", "The "options" argument must be of type object"). (Event itself
 * stays Node's class for Worker code: a binding of its own would cost its instances V8's
 * "#<Event>" in the message of an assignment to a phase constant, which the runtime's have.)
 */
function eventArguments(name: string, init: string): (args: unknown[]) => unknown[] {
  return (args) => {
    if (args.length < 1) throw notOfTypeInConstructor(name, 1, "string");
    if (args[1] !== undefined && args[1] !== null && !isIdlObject(args[1])) throw notOfTypeInConstructor(name, 2, init);
    return args;
  };
}

/** CustomEvents Worker code made without a `detail` (or with an undefined one). */
const withoutDetail = new WeakSet<object>();

/**
 * CustomEvent: a `detail` not given reads as undefined, as the runtime's does (Node's reads null:
 * see installCustomEventDetail); a missing type and an init that is no object are refused in its words.
 */
export const CustomEvent: typeof globalThis.CustomEvent = withRuntimeConstructor(globalThis.CustomEvent, "CustomEvent", {
  convert: eventArguments("CustomEvent", "CustomEventInit"),
  made: (event, [, init]) => {
    if (init === undefined || init === null || (init as { detail?: unknown }).detail === undefined) withoutDetail.add(event);
  },
});

/** Has Node's `detail` getter (installHostApis: once an emulator runs, not on import) read
 * undefined for the events Worker code made without one; every other event (test code's, and
 * those given a detail) keeps Node's value. */
export function installCustomEventDetail(): void {
  replaceGetter(globalThis.CustomEvent.prototype, "detail", (value, event) => (withoutDetail.has(event as object) ? undefined : value));
}

/**
 * DOMException: Worker code's own have the runtime's shape (code, name and message as own
 * properties: util/dom-exception.ts), while staying instances of Node's class, as those Node
 * raises (an abort's reason, a DataCloneError) are, so `instanceof DOMException` holds for both
 * in Worker and in test code. The runtime's constructor takes its name as a string only (Node's
 * also takes an options object, `{ name, cause }`, which the runtime reads as "[object Object]").
 */
export const DOMException: typeof globalThis.DOMException = withRuntimeConstructor(globalThis.DOMException, "DOMException", {
  convert: (args) => (args.length > 1 && isIdlObject(args[1]) ? [args[0], toIdlString(args[1])] : args),
  made: (instance) => void withRuntimeShape(instance as DOMException),
});

/**
 * The runtime's DOMException prototype has no `code`, `name` or `message` (its instances own
 * them), where Node's has getters: so a DOMException of the runtime's shape whose own one was
 * deleted, and for Worker and object code anything else that reaches the getters (the prototype
 * itself, an object made from it), reads on past it, on Error.prototype: "Error", "" and no code.
 * A DOMException of Node's own shape (test code's) keeps Node's getters.
 */
export function installDomExceptionPrototype(): void {
  const prototype = globalThis.DOMException.prototype;
  const above = Object.getPrototypeOf(prototype) as object;
  const isDomException = acceptedBy(Object.getOwnPropertyDescriptor(prototype, "name")!.get!);
  const readsPast = (self: unknown) => hasRuntimeShape(self) || (runsEmulatedCode() && !isDomException(self));
  for (const key of ["code", "name", "message"]) {
    wrapGetter(prototype, key, (get, self) => (readsPast(self) ? Reflect.get(above, key, self) : Reflect.apply(get, self, [])));
  }
}

/** Node's classes the runtime constructs with no argument it checks: only a call without `new` is refused in its words. */
export const EventTarget = withRuntimeConstructor(globalThis.EventTarget, "EventTarget", {});
export const AbortController = withRuntimeConstructor(globalThis.AbortController, "AbortController", {});
export const TextEncoder = withRuntimeConstructor(globalThis.TextEncoder, "TextEncoder", {});

/** A reader's or writer's stream, which the runtime checks before Node sees it (Node: "The "stream" argument must be an instance of ReadableStream"). */
function streamArgument(name: string, Stream: Function, type: string): (args: unknown[]) => unknown[] {
  return (args) => {
    if (!(args[0] instanceof Stream)) throw notOfTypeInConstructor(name, 1, type);
    return args;
  };
}

export const ReadableStreamDefaultReader = withRuntimeConstructor(globalThis.ReadableStreamDefaultReader, "ReadableStreamDefaultReader", {
  convert: streamArgument("ReadableStreamDefaultReader", globalThis.ReadableStream, "ReadableStream"),
});
export const ReadableStreamBYOBReader = withRuntimeConstructor(globalThis.ReadableStreamBYOBReader, "ReadableStreamBYOBReader", {
  convert: streamArgument("ReadableStreamBYOBReader", globalThis.ReadableStream, "ReadableStream"),
  words: inByobReaderWords,
});
export const WritableStreamDefaultWriter = withRuntimeConstructor(globalThis.WritableStreamDefaultWriter, "WritableStreamDefaultWriter", {
  convert: streamArgument("WritableStreamDefaultWriter", globalThis.WritableStream, "WritableStream"),
});

/**
 * Node's classes Worker code cannot construct: `new` is Node's "Illegal constructor" already, and
 * so is a call without it in the runtime (V8 would say "Class constructor X cannot be invoked without 'new'").
 */
const illegal = (name: string): new () => object =>
  withRuntimeConstructor((globalThis as unknown as Record<string, new () => object>)[name]!, name, { called: () => new TypeError("Illegal constructor") });

export const AbortSignal = illegal("AbortSignal");
export const Crypto = illegal("Crypto");
export const CryptoKey = illegal("CryptoKey");
export const SubtleCrypto = illegal("SubtleCrypto");
export const ReadableStreamDefaultController = illegal("ReadableStreamDefaultController");
export const ReadableByteStreamController = illegal("ReadableByteStreamController");
export const ReadableStreamBYOBRequest = illegal("ReadableStreamBYOBRequest");
export const WritableStreamDefaultController = illegal("WritableStreamDefaultController");
export const TransformStreamDefaultController = illegal("TransformStreamDefaultController");
