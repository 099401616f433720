/**
 * The names a JavaScript module binds in its own scope, for worker-prelude.ts, which imports the
 * Workers globals a module uses and must never import one the module declares: the import would
 * be a redeclaration ("Identifier 'URL' has already been declared") and the valid module a
 * SyntaxError.
 *
 * Which names it binds comes from a real parse (acorn, ECMAScript's latest edition, as a module),
 * never from a guess at the text: no keyword at a line's end, a `/` after `{}`, a string import name
 * (`import { "a-b" as URL }`), an escaped or astral identifier or a CRLF line continuation can hide
 * a declaration. A module's scope holds its imports' local names, its top-level `let`, `const`,
 * `using`, `class` and `function` declarations (exported or not, `export default function f`
 * included) and every `var` outside a function, however deep in blocks, loops, `try` and `switch`
 * (it is hoisted to the module); of a destructuring pattern, every name it binds. Nothing inside a
 * function, class body or expression reaches it. The module must be JavaScript: TypeScript is
 * checked once its types are stripped (worker-prelude.ts).
 *
 * A parse of a few megabytes costs a second or more of CPU, so a look at the text comes first:
 * where no mention of a name can be a binding identifier, the module cannot bind it, whatever
 * the rest says (mayBind). That look errs towards "can": it only rules out a mention whose token
 * before is none that a binding follows (a declaring keyword, `as`, `*`, or in a pattern or an
 * import's braces `,`, `{`, `[`, `...`, `:`, there only where the next token on its line may follow
 * a binding: not `:` as in an object key, `(`, `.`, or a word but `of` and `in`), and it sends
 * anything it cannot see past (a comment before the name) to the parse.
 *
 * Where the text does not parse (a module with a syntax error, which fails to load anyway, or
 * syntax newer than the parser's), the answer is "unknown" and the prelude leaves the module
 * untouched: it then loads with Node's globals, never with an error the prelude made.
 * This file stays free of durasim's runtime imports: Node's module-hooks thread loads it.
 */
import { parse, type Pattern, type Statement, type ModuleDeclaration } from "acorn";

/** The names `javascript` (an ES module's text) binds in its module scope, or undefined where it does not parse. */
export function moduleScopeNames(javascript: string): Set<string> | undefined {
  let body: Array<Statement | ModuleDeclaration>;
  try {
    body = parse(javascript, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true }).body;
  } catch {
    return undefined;
  }
  const names = new Set<string>();
  for (const statement of body) topLevel(statement, names);
  return names;
}

/** What one statement of the module's body binds in the module's scope. */
function topLevel(statement: Statement | ModuleDeclaration, names: Set<string>): void {
  switch (statement.type) {
    case "ImportDeclaration":
      for (const specifier of statement.specifiers) names.add(specifier.local.name);
      return;
    case "ExportNamedDeclaration":
      if (statement.declaration) topLevel(statement.declaration, names);
      return;
    case "ExportDefaultDeclaration": {
      const declaration = statement.declaration;
      if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) names.add(declaration.id.name);
      return;
    }
    case "VariableDeclaration":
      for (const declarator of statement.declarations) bound(declarator.id, names);
      return;
    case "FunctionDeclaration":
    case "ClassDeclaration":
      names.add(statement.id.name);
      return;
    default:
      if (statement.type !== "ExportAllDeclaration") hoistedVars(statement, names);
  }
}

/** The `var` declarations inside a statement that are no function's: hoisted to the module. */
function hoistedVars(statement: Statement | null | undefined, names: Set<string>): void {
  if (!statement) return;
  switch (statement.type) {
    case "VariableDeclaration":
      if (statement.kind === "var") for (const declarator of statement.declarations) bound(declarator.id, names);
      return;
    case "BlockStatement":
      for (const inner of statement.body) hoistedVars(inner, names);
      return;
    case "IfStatement":
      hoistedVars(statement.consequent, names);
      hoistedVars(statement.alternate, names);
      return;
    case "ForStatement":
      if (statement.init?.type === "VariableDeclaration") hoistedVars(statement.init, names);
      hoistedVars(statement.body, names);
      return;
    case "ForInStatement":
    case "ForOfStatement":
      if (statement.left.type === "VariableDeclaration") hoistedVars(statement.left, names);
      hoistedVars(statement.body, names);
      return;
    case "WhileStatement":
    case "DoWhileStatement":
    case "LabeledStatement":
    case "WithStatement":
      hoistedVars(statement.body, names);
      return;
    case "TryStatement":
      hoistedVars(statement.block, names);
      hoistedVars(statement.handler?.body, names);
      hoistedVars(statement.finalizer, names);
      return;
    case "SwitchStatement":
      for (const branch of statement.cases) for (const inner of branch.consequent) hoistedVars(inner, names);
      return;
    default:
    // Expressions, functions and classes (their own scopes) and the rest declare nothing here.
  }
}

/** Every name a binding pattern binds (not a property key, nor a default's expression). */
function bound(pattern: Pattern, names: Set<string>): void {
  switch (pattern.type) {
    case "Identifier":
      names.add(pattern.name);
      return;
    case "ObjectPattern":
      for (const property of pattern.properties) bound(property.type === "RestElement" ? property.argument : property.value, names);
      return;
    case "ArrayPattern":
      for (const element of pattern.elements) if (element) bound(element, names);
      return;
    case "AssignmentPattern":
      bound(pattern.left, names);
      return;
    case "RestElement":
      bound(pattern.argument, names);
      return;
    default:
    // A MemberExpression is an assignment target, never a declaration's.
  }
}

/** Keywords a binding identifier may follow. */
const BINDING_KEYWORDS = new Set(["var", "let", "const", "using", "class", "function", "as", "import"]);
/** Words that may follow a binding identifier of a pattern on its line (`for (const [x] of`). */
const KEYWORDS_AFTER_BINDING = new Set(["of", "in"]);
/** An ASCII letter spelled as an escape (`\u0055`, `\u{55}`), as identifiers may be spelled. */
const ESCAPED_LETTER = /\\u(?:00([46][1-9a-fA-F]|[57][0-9aA])|\{0*([46][1-9a-fA-F]|[57][0-9aA])\})/g;

/** The text with its escaped ASCII letters spelled out, so that `\u0055RL` reads as the `URL` it names. */
export function lettersSpelledOut(javascript: string): string {
  if (!javascript.includes("\\u")) return javascript;
  return javascript.replace(ESCAPED_LETTER, (_, short: string | undefined, long: string | undefined) => String.fromCharCode(parseInt(short ?? long!, 16)));
}

/**
 * Whether some mention of `name` in `javascript` (its letters spelled out) may be an identifier a
 * declaration binds; false only where none can be (then the module does not bind it at all).
 */
export function mayBind(javascript: string, name: string): boolean {
  for (let at = javascript.indexOf(name); at >= 0; at = javascript.indexOf(name, at + 1)) {
    const before = javascript.charCodeAt(at - 1);
    const after = javascript.charCodeAt(at + name.length);
    // Part of a longer ASCII name: another identifier. A non-ASCII neighbour may be either: look closer.
    if (isAsciiNamePart(before) || isAsciiNamePart(after)) continue;
    if (before > 127 || after > 127 || mayBindAt(javascript, at, at + name.length)) return true;
  }
  return false;
}

function isAsciiNamePart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95;
}

function isLineBreak(c: string): boolean {
  return c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029";
}

/** Whether the mention from `start` to `end` may be a binding identifier, by the tokens around it. */
function mayBindAt(text: string, start: number, end: number): boolean {
  let i = start - 1;
  let lineBroken = false;
  while (i >= 0 && /\s/.test(text[i]!)) lineBroken ||= isLineBreak(text[i--]!);
  // A line comment may end the line before, and a block comment may come just before: either hides the real token before the name.
  if (lineBroken && text.slice(Math.max(text.lastIndexOf("\n", i), text.lastIndexOf("\r", i)) + 1, i + 1).includes("//")) return true;
  const c = text[i];
  if (c === "*") return true; // `function* name`
  let word = i + 1;
  while (word > 0 && isAsciiNamePart(text.charCodeAt(word - 1))) word--;
  if (BINDING_KEYWORDS.has(text.slice(word, i + 1))) return true;
  if (c === "/" && text[i - 1] === "*") return true;
  // In a pattern or an import's braces: a binding unless what follows is no binding's.
  if (c === "," || c === "{" || c === "[" || c === ":" || (c === "." && text.startsWith("...", i - 2))) return mayFollowBinding(text, end);
  return false;
}

/** Whether the text from `end` on may follow a binding identifier in a pattern, by the next token on its line. */
function mayFollowBinding(text: string, end: number): boolean {
  let next = end;
  while (text[next] === " " || text[next] === "\t") next++;
  const following = text[next];
  if (following === ":" || following === "(" || (following === "." && text[next + 1] !== ".")) return false;
  if (!isAsciiNamePart(text.charCodeAt(next))) return true;
  let word = next;
  while (isAsciiNamePart(text.charCodeAt(word))) word++;
  return KEYWORDS_AFTER_BINDING.has(text.slice(next, word));
}
