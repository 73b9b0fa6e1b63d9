// Linting one file again and again as it is edited (the language server keeps one per open
// document): the JS/TS it reads is parsed again only where it changed (core/tfjs/reparse.ts),
// and the models the edit left alone keep their analysis (modelReuse.ts). The findings are
// those of a lint from scratch; only the time differs.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ResolvedConfig } from '../core/config';
import type { SourceContext } from '../core/extract';
import { lintText, type LintResult } from '../core/lint';
import { parseProgram, type ParseProgram } from '../core/tfjs/parse';
import { reparse, type Parsed } from '../core/tfjs/reparse';
import { RULES } from '../rules/index';
import { ModelReuse } from './modelReuse';

export class LintCache {
  /** The last program parsed of each file read (the linted one and those it imports). */
  private readonly parses = new Map<string, Parsed>();
  readonly models = new ModelReuse();

  /** As `lint` (src/lint/index.ts), reusing what this cache holds of earlier lints. */
  lint(file: string, text: string, config: ResolvedConfig, context: SourceContext = {}): LintResult {
    this.models.begin(text, JSON.stringify(config));
    try {
      return lintText(file, text, config, RULES, { ...context, parseProgram: this.parse }, this.models);
    } finally {
      this.models.end();
    }
  }

  private readonly parse: ParseProgram = (file, text) => {
    const before = this.parses.get(file);
    if (before?.text === text) return before.program;
    let program: TSESTree.Program | undefined;
    try {
      program = before && reparse(file, before, text);
    } catch {
      // A syntax error: the full parse below reports it as it is.
    }
    // On a syntax error this throws, and the last program parsed stays for the next edit.
    program ??= parseProgram(file, text);
    this.parses.set(file, { text, program });
    return program;
  };
}
