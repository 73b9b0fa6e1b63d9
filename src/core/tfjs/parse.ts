// How the tfjs front end parses JS/TS: one set of options (the benches parse with the same),
// and the parse function a caller may replace with one that reuses its earlier parses
// (src/lint's cache parses an edited file again only where it changed: reparse.ts).
import * as path from 'path';
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/**
 * The parse options gradlint uses. `loc` stays on although only ranges are read:
 * typescript-estree removes it afterwards with a walk that `delete`s it from every node,
 * which costs more than keeping it and leaves the nodes slow to read.
 */
export function parseOptions(file: string): { range: true; loc: true; jsx: boolean; comment: false; tokens: false } {
  // TypeScript files may use `<T>x` casts, which JSX parsing would reject.
  return { range: true, loc: true, jsx: !TS_EXTENSIONS.has(path.extname(file).toLowerCase()), comment: false, tokens: false };
}

/** The program of a file's text; throws the parser's error on a syntax error. */
export type ParseProgram = (file: string, text: string) => TSESTree.Program;

export const parseProgram: ParseProgram = (file, text) => parse(text, parseOptions(file));
