/**
 * A file in a persistence directory that durasim cannot read as what it should be (a database
 * cut short by a copy, a foreign file in its place, hand-edited JSON). durasim never repairs or
 * overwrites such a file: writing over it would destroy what a backup or a closer look could
 * still recover, and reading it as empty would lose the data silently. So every use of the
 * state it holds fails with this error, which names the file, what is wrong and the way out.
 */
export class DamagedFileError extends Error {
  override name = "DamagedFileError";
  /** The damaged file. */
  readonly path: string;
  /** What is wrong with it. */
  readonly problem: string;

  constructor(path: string, what: string, problem: string, remedy: string, options?: ErrorOptions) {
    super(`durasim: ${what} ${path} is damaged: ${problem}. durasim leaves it untouched; ${remedy}`, options);
    this.path = path;
    this.problem = problem;
  }
}
