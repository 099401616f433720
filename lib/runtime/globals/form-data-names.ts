import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { toIdlString } from "../../util/webidl.js";

/**
 * File names of FormData entries as the runtime gives them to Worker and object code (test
 * code keeps Node's):
 * - A Blob that is no File, put in a FormData without a file name, is named after its entry
 *   (`form.append("photo", blob)` holds a File named "photo", and a FormData body sends
 *   `filename="photo"`); Node names it "blob". A File keeps its own name, and a name given is
 *   used, as in both.
 * - A file name given beside a value that is no Blob is ignored (Node refuses the call).
 * - A multipart part whose file name is empty (`filename=""`) is parsed by `formData()` as a
 *   string entry, as the runtime's parser reads it; Node's makes a File named "".
 */
export function installFormDataNames(): void {
  const prototype = FormData.prototype as unknown as Record<string, unknown>;
  for (const name of ["append", "set"]) {
    replaceMethod(prototype, name, (original, self, args) => {
      if (!runsEmulatedCode() || args.length < 2) return Reflect.apply(original, self, args);
      // A file name beside a string value is ignored, as the runtime ignores it (Node refuses it).
      if (!(args[1] instanceof Blob)) return Reflect.apply(original, self, args.slice(0, 2));
      if (args[2] !== undefined || args[1] instanceof File) return Reflect.apply(original, self, args);
      // Converted once, as the runtime converts it, and given as both the entry's name and the file's.
      const entry = toIdlString(args[0]);
      return Reflect.apply(original, self, [entry, args[1], entry]);
    });
  }
}

/** `form` as the runtime's parser would have made it (see above): parts with an empty file name as strings. */
export async function withNamelessFilesAsText(form: FormData): Promise<FormData> {
  const entries = [...form];
  if (!entries.some(([, value]) => typeof value !== "string" && value.name === "")) return form;
  const parsed = new FormData();
  for (const [name, value] of entries) parsed.append(name, typeof value !== "string" && value.name === "" ? await value.text() : value);
  return parsed;
}
