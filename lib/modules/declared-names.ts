/**
 * The names a JavaScript module might bind at its top level, for worker-prelude.ts: a minimal
 * lexer (strings, comments, template literals and regular expressions are no names) and a scan
 * that errs towards "declared". Every `let`, `const`, `using`, `class`, `function` and `import`
 * at brace depth 0 counts, and `var` at any depth (it is hoisted out of blocks); of a
 * destructuring pattern every name but a property key (`x` in `{ x: y }`) counts, defaults'
 * names included. A wrong "declared" only costs a Worker global (the module sees Node's); a
 * missed declaration would make the prepended import a redeclaration, so nothing is missed.
 * This file stays free of runtime imports: Node's module-hooks thread loads it.
 */

interface Token {
  readonly kind: "name" | "punct" | "string" | "template" | "regex" | "number";
  readonly text: string;
  /** A line break comes between this token and the one before. */
  readonly newlineBefore: boolean;
  /** How many `{` (and template `${`) enclose it. */
  readonly depth: number;
}

const ID_START = /[\p{ID_Start}$_\\#]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d\\]/u;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** Keywords after which `/` starts a regular expression. */
const BEFORE_EXPRESSION = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await", "extends",
]);
/** Keywords after whose `(...)` a `/` starts a regular expression. */
const BEFORE_CONDITION = new Set(["if", "while", "for", "with"]);
/** The punctuators of more than one character, longest first, then any one character. */
const PUNCTUATOR = />>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|&&=|\|\|=|\?\?=|=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|<<|>>|\*\*|[^]/y;

/** Whether the character code `c` is an ASCII letter, digit, `$` or `_`. */
function isAsciiNamePart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** The module's tokens, or undefined where the lexer cannot follow the text. */
function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  if (source.startsWith("#!")) {
    const end = source.search(LINE_BREAK);
    i = end < 0 ? n : end;
  }
  let newline = false;
  let depth = 0;
  /** Per open `{`: whether it is a template's `${`. */
  const braces: boolean[] = [];
  /** Per open `(`: the token before it. */
  const parens: Array<Token | undefined> = [];
  /** Per `)` token: the token before its `(`. */
  const parenOwner = new Map<Token, Token | undefined>();
  const push = (kind: Token["kind"], text: string): Token => {
    const token = { kind, text, newlineBefore: newline, depth };
    tokens.push(token);
    newline = false;
    return token;
  };
  /** The rest of a template from `start` (after "`" or "}"): its text up to "`" or "${". */
  const template = (start: number): number | undefined => {
    for (let j = start; j < n; j++) {
      if (source[j] === "\\") j++;
      else if (source[j] === "`") {
        push("template", source.slice(start, j));
        return j + 1;
      } else if (source[j] === "$" && source[j + 1] === "{") {
        push("template", source.slice(start, j));
        push("punct", "{");
        braces.push(true);
        depth++;
        return j + 2;
      }
    }
    return undefined;
  };
  while (i < n) {
    const code = source.charCodeAt(i);
    const c = source[i]!;
    if (isLineBreak(code)) {
      newline = true;
      i++;
    } else if (code === 32 || code === 9 || (code > 127 && /\s/.test(c))) {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < n && !isLineBreak(source.charCodeAt(i))) i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) return undefined;
      if (LINE_BREAK.test(source.slice(i, end))) newline = true;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      for (; j < n && source[j] !== c; j++) {
        if (source[j] === "\\") j++;
        else if (source[j] === "\n" || source[j] === "\r") return undefined;
      }
      if (j >= n) return undefined;
      push("string", source.slice(i, j + 1));
      i = j + 1;
    } else if (c === "`") {
      const next = template(i + 1);
      if (next === undefined) return undefined;
      i = next;
    } else if ((isAsciiNamePart(code) && !(code >= 48 && code <= 57)) || (code > 127 || c === "\\" || c === "#" ? ID_START.test(c) : false)) {
      let j = i;
      while (j < n) {
        const part = source.charCodeAt(j);
        if (part === 92) j = source[j + 2] === "{" ? source.indexOf("}", j) + 1 || n : j + 6;
        else if (j === i || isAsciiNamePart(part) || (part > 127 && ID_PART.test(source[j]!))) j++;
        else break;
      }
      push("name", unescapeName(source.slice(i, j)));
      i = j;
    } else if ((code >= 48 && code <= 57) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < n && (isAsciiNamePart(source.charCodeAt(j)) || source[j] === ".")) j++;
      push("number", source.slice(i, j));
      i = j;
    } else if (c === "/" && startsRegex(tokens, parenOwner)) {
      const end = regexEnd(source, i);
      if (end === undefined) {
        push("punct", source[i + 1] === "=" ? "/=" : "/");
        i += source[i + 1] === "=" ? 2 : 1;
      } else {
        push("regex", source.slice(i, end));
        i = end;
      }
    } else if (c === "{") {
      push("punct", "{");
      braces.push(false);
      depth++;
      i++;
    } else if (c === "}") {
      if (braces.length === 0) return undefined;
      const inTemplate = braces.pop()!;
      depth--;
      push("punct", "}");
      if (inTemplate) {
        const next = template(i + 1);
        if (next === undefined) return undefined;
        i = next;
      } else {
        i++;
      }
    } else if (c === "(") {
      parens.push(tokens.at(-1));
      push("punct", "(");
      i++;
    } else if (c === ")") {
      parenOwner.set(push("punct", ")"), parens.pop());
      i++;
    } else {
      PUNCTUATOR.lastIndex = i;
      const punctuator = PUNCTUATOR.exec(source)![0];
      push("punct", punctuator);
      i += punctuator.length;
    }
  }
  return braces.length === 0 ? tokens : undefined;
}

/** A name spelled with \u escapes, as the name it is. */
function unescapeName(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_, long: string | undefined, short: string | undefined) =>
    String.fromCodePoint(parseInt(long ?? short!, 16)),
  );
}

/** Whether a `/` after these tokens starts a regular expression rather than dividing. */
function startsRegex(tokens: readonly Token[], parenOwner: ReadonlyMap<Token, Token | undefined>): boolean {
  const last = tokens.at(-1);
  if (last === undefined) return true;
  const before = tokens.at(-2);
  const isProperty = before?.kind === "punct" && (before.text === "." || before.text === "?.");
  switch (last.kind) {
    case "name":
      return !isProperty && BEFORE_EXPRESSION.has(last.text);
    case "punct":
      if (last.text === ")") {
        const owner = parenOwner.get(last);
        return owner?.kind === "name" && BEFORE_CONDITION.has(owner.text);
      }
      return last.text !== "]";
    default:
      return false;
  }
}

/** The end of the regular expression at `start`, or undefined where none ends on its line. */
function regexEnd(source: string, start: number): number | undefined {
  let inClass = false;
  for (let j = start + 1; j < source.length; j++) {
    const c = source[j]!;
    if (LINE_BREAK.test(c)) return undefined;
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      let end = j + 1;
      while (end < source.length && /[A-Za-z]/.test(source[end]!)) end++;
      return end;
    }
  }
  return undefined;
}

const OPENERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };
/** Tokens that can end an expression, so that a line break after them may end the statement. */
function endsExpression(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === "punct") return token.text === ")" || token.text === "]" || token.text === "}" || token.text === "++" || token.text === "--";
  return true;
}

/**
 * The names the module may bind at its top level, or undefined where the lexer cannot follow it
 * (then the caller assumes every name is bound).
 */
export function topLevelNames(source: string): { declared: Set<string>; mentioned: Set<string> } | undefined {
  const tokens = tokenize(source);
  if (tokens === undefined) return undefined;
  const declared = new Set<string>();
  const mentioned = new Set<string>();
  const isName = (j: number): boolean => tokens[j]?.kind === "name";
  const textAt = (j: number): string | undefined => tokens[j]?.text;
  const afterDot = (j: number): boolean => tokens[j - 1]?.kind === "punct" && (textAt(j - 1) === "." || textAt(j - 1) === "?.");

  /** The index after the bracket that closes the one at `j` (or the end). */
  const closing = (j: number): number => {
    let nesting = 0;
    for (let k = j; k < tokens.length; k++) {
      const token = tokens[k]!;
      if (token.kind !== "punct") continue;
      if (token.text in OPENERS) nesting++;
      else if (token.text === ")" || token.text === "]" || token.text === "}") {
        nesting--;
        if (nesting === 0) return k + 1;
      }
    }
    return tokens.length;
  };

  /** A binding pattern at `j`: every name in it but property keys; the index after it. */
  const pattern = (j: number): number => {
    if (isName(j)) {
      declared.add(textAt(j)!);
      return j + 1;
    }
    if (textAt(j) !== "[" && textAt(j) !== "{") return j;
    const end = closing(j);
    for (let k = j + 1; k < end; k++) {
      if (isName(k) && textAt(k + 1) !== ":" && !afterDot(k)) declared.add(textAt(k)!);
    }
    return end;
  };

  /** An initializer's expression from `j`: the index of the `,` or `;` or token that ends it. */
  const expression = (j: number): number => {
    let nesting = 0;
    for (let k = j; k < tokens.length; k++) {
      const token = tokens[k]!;
      if (token.kind === "punct") {
        if (token.text in OPENERS) nesting++;
        else if (token.text === ")" || token.text === "]" || token.text === "}") {
          if (nesting === 0) return k;
          nesting--;
        } else if (nesting === 0 && (token.text === "," || token.text === ";")) return k;
      } else if (nesting === 0 && token.newlineBefore && k > j && endsExpression(tokens[k - 1]) && token.kind !== "template" && !/^(?:in|instanceof|of)$/.test(token.text)) {
        return k;
      }
    }
    return tokens.length;
  };

  /** The declarators of a `let`/`const`/`var`/`using` from `j`. */
  const declarations = (j: number): void => {
    for (;;) {
      const after = pattern(j);
      if (after === j) return;
      j = textAt(after) === "=" ? expression(after + 1) : after;
      if (textAt(j) !== ",") return;
      j++;
    }
  };

  /** An import's clause from `j`: every name but one followed by `as` (the exporter's name). */
  const importClause = (j: number): void => {
    let inBraces = false;
    for (let k = j; k < tokens.length; k++) {
      const token = tokens[k]!;
      if (token.kind === "string" || token.text === ";") return;
      if (token.text === "{") inBraces = true;
      else if (token.text === "}") inBraces = false;
      else if (token.kind === "name") {
        if (!inBraces && token.text === "from") return;
        if (textAt(k + 1) !== "as" || token.text === "as") declared.add(token.text);
      }
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "name" || afterDot(i)) continue;
    mentioned.add(token.text);
    const topLevel = token.depth === 0;
    switch (token.text) {
      case "var":
        declarations(i + 1);
        break;
      case "let":
      case "const":
        if (topLevel) declarations(i + 1);
        break;
      case "using":
        if (topLevel && isName(i + 1)) declarations(i + 1);
        break;
      case "function":
      case "class": {
        const at = textAt(i + 1) === "*" ? i + 2 : i + 1;
        if (topLevel && isName(at)) declared.add(textAt(at)!);
        break;
      }
      case "import":
        if (topLevel && textAt(i + 1) !== "(" && textAt(i + 1) !== ".") importClause(i + 1);
        break;
    }
  }
  return { declared, mentioned };
}
