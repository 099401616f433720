/**
 * Reads a wrangler configuration file (wrangler.json, wrangler.jsonc or wrangler.toml) and the
 * local secrets beside it (.dev.vars or .env files), with maintained parsers: jsonc-parser for
 * JSON with comments and trailing commas, smol-toml for TOML; secrets by the dotenv package's rules (./dotenv.ts).
 * This is the only file of the config layer that touches the file system, and it only reads.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError } from "../../util/config-error.js";
import { setOwn } from "../../util/own-property.js";
import { parseDotenv } from "./dotenv.js";

/** The names wrangler looks for in a directory, in its order of preference. */
export const WRANGLER_FILE_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

export interface WranglerFile {
  /** Absolute path of the file read. */
  path: string;
  /** The parsed document, before environments are applied. */
  raw: Record<string, unknown>;
}

/** Reads `path`: a wrangler file, or a directory holding one. */
export function readWranglerFile(path: string): WranglerFile {
  const file = locate(resolve(path));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`durasim: cannot read wrangler config ${file}: ${(error as Error).message}`);
  }
  const raw = extname(file) === ".toml" ? parseTomlFile(text, file) : parseJsonFile(text, file);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`durasim: ${file} must hold an object of configuration keys at the top level.`);
  }
  return { path: file, raw: raw as Record<string, unknown> };
}

function locate(path: string): string {
  if (!existsSync(path)) {
    throw new ConfigError(`durasim: no wrangler config at ${path}. Pass the path of wrangler.json, wrangler.jsonc or wrangler.toml, or of the directory holding it.`);
  }
  if (!statSync(path).isDirectory()) {
    const extension = extname(path);
    if (![".json", ".jsonc", ".toml"].includes(extension)) {
      throw new ConfigError(`durasim: ${path} is not a wrangler config: expected a .json, .jsonc or .toml file.`);
    }
    return path;
  }
  const found = WRANGLER_FILE_NAMES.map((name) => join(path, name)).find((candidate) => existsSync(candidate));
  if (found === undefined) throw new ConfigError(`durasim: no ${WRANGLER_FILE_NAMES.join(", ")} in ${path}.`);
  return found;
}

/** wrangler reads .json and .jsonc files alike: comments and trailing commas are allowed in both. */
function parseJsonFile(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = position(text, first.offset);
    throw new ConfigError(`durasim: ${file}:${line}:${column}: ${printParseErrorCode(first.error)}. Fix the JSON syntax there.`);
  }
  return tree === undefined ? undefined : jsonValue(tree);
}

/**
 * The value of a parsed JSON node. Built here rather than by the parser's own value builder,
 * which assigns keys: a key "__proto__" would set the object's prototype instead of being a
 * key. As in JSON.parse, a repeated key takes its last value.
 */
function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case "object": {
      const object: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key !== undefined && value !== undefined) setOwn(object, key.value as string, jsonValue(value));
      }
      return object;
    }
    case "array":
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

function parseTomlFile(text: string, file: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new ConfigError(`durasim: ${file}:${error.line}:${error.column}: ${error.message.split("\n")[0]}`);
    }
    throw error;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Local secrets as wrangler dev loads them from beside the config file: `.dev.vars.<env>` or
 * else `.dev.vars`; without either, the `.env` files merged (`.env.<env>.local` over
 * `.env.local` over `.env.<env>` over `.env`). Undefined when there is none.
 */
export function readLocalSecrets(configPath: string, environment: string | undefined): Record<string, string> | undefined {
  const dir = dirname(configPath);
  const devVars = [environment && `.dev.vars.${environment}`, ".dev.vars"]
    .filter((name): name is string => Boolean(name))
    .map((name) => join(dir, name))
    .find((file) => existsSync(file));
  if (devVars !== undefined) return readDotenv(devVars);
  const dotenvFiles = [".env", environment && `.env.${environment}`, ".env.local", environment && `.env.${environment}.local`]
    .filter((name): name is string => Boolean(name))
    .map((name) => join(dir, name))
    .filter((file) => existsSync(file));
  if (dotenvFiles.length === 0) return undefined;
  const merged: Record<string, string> = {};
  for (const file of dotenvFiles) for (const [key, value] of Object.entries(readDotenv(file))) setOwn(merged, key, value);
  return merged;
}

function readDotenv(file: string): Record<string, string> {
  return parseDotenv(readFileSync(file, "utf8"));
}
