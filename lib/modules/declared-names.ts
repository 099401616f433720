/**
 * The names a JavaScript module binds in its own scope, for worker-prelude.ts, which imports the
 * Workers globals a module uses and must never import one the module declares: the import would
 * be a redeclaration ("Identifier 'URL' has already been declared") and the valid module a
 * SyntaxError.
 *
 * The answer comes from a real parse (acorn, ECMAScript's latest edition, as a module), never from
 * a guess at the text: no keyword at a line's end, a `/` after `{}`, a string import name
 * (`import { "a-b" as URL }`), an escaped or astral identifier or a CRLF line continuation can hide
 * a declaration. A module's scope holds its imports' local names, its top-level `let`, `const`,
 * `using`, `class` and `function` declarations (exported or not, `export default function f`
 * included) and every `var` outside a function, however deep in blocks, loops, `try` and `switch`
 * (it is hoisted to the module); of a destructuring pattern, every name it binds. Nothing inside a
 * function, class body or expression reaches it. The module must be JavaScript: TypeScript is
 * checked once its types are stripped (worker-prelude.ts).
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
