import { defineMissing, describeValue, isCallable, isObject, type Realm } from "./define.js";

/**
 * `Promise.try(callback, ...args)` (ES2025): a promise of `this` constructor settled by calling
 * `callback` at once: fulfilled with (or following) what it returns, rejected with what it
 * throws. Node has it from 22.10; the runtime's V8 has it.
 */
export function installPromiseTry(realm: Realm): void {
  defineMissing(realm.Promise, {
    try(this: unknown, callback: unknown, ...args: unknown[]) {
      if (!isObject(this)) throw new realm.TypeError("Promise.try called on non-object");
      let resolve: unknown;
      let reject: unknown;
      const promise: unknown = Reflect.construct(this as Function, [(res: unknown, rej: unknown) => {
        resolve = res;
        reject = rej;
      }]);
      if (typeof resolve !== "function" || typeof reject !== "function") throw new realm.TypeError("Promise resolve or reject function is not callable");
      try {
        if (!isCallable(callback)) throw new realm.TypeError(`${describeValue(callback)} is not a function`);
        resolve(Reflect.apply(callback, undefined, args));
      } catch (error) {
        reject(error);
      }
      return promise;
    },
  });
}
