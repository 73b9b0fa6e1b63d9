import * as fs from 'fs';
import * as path from 'path';
import { Option, type Command } from 'commander';
import { extractModels } from '../../core/extract';
import { fileKind } from '../../core/modelFiles';
import type { ExtractResult } from '../../core/graph';
import { LineIndex } from '../../core/text';
import { graphJson, graphText, type GraphFileJson } from '../format/graph';
import { collectFiles } from './lint';
import { budgetOption, dialectOption, scaleOption } from '../options';
import type { Dialect } from '../../core/yaml/dialect';

export interface GraphFlags {
  format: 'text' | 'json';
  scale?: string;
  dialect?: Dialect;
  detail?: boolean;
  analysisBudget?: number;
}

export interface Output {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Output = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

interface FileToRead {
  abs: string;
  /** As typed for named files; relative to the working directory for walked ones. */
  display: string;
  /** Named on the command line (reported even without models) rather than found by walking. */
  explicit: boolean;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The files the arguments name: files as given, directories walked. Unusable arguments are reported. */
function filesToRead(args: string[], cwd: string, io: Output): { files: FileToRead[]; usable: boolean } {
  const files: FileToRead[] = [];
  let usable = true;
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) {
      io.err(`gradlint graph: cannot read ${arg}: no such file or directory\n`);
      usable = false;
    } else if (stat.isDirectory()) {
      files.push(...collectFiles([abs], cwd).files.map((f) => ({ abs: f, display: displayPath(f, cwd), explicit: false })));
    } else if (!fileKind(abs)) {
      io.err(`gradlint graph: ${arg} is not a tfjs source file, a model.json or a YAML file\n`);
      usable = false;
    } else {
      files.push({ abs, display: arg, explicit: true });
    }
  }
  return { files, usable };
}

function reportProblems(display: string, text: string, result: ExtractResult, io: Output): void {
  const index = new LineIndex(text);
  for (const p of result.problems) {
    const at = index.positionAt(p.range.start);
    io.err(`${display}:${at.line + 1}:${at.character + 1}: ${p.severity}: ${p.message}\n`);
  }
}

/** Runs `gradlint graph`; returns the exit code (0, or 2 for usage errors and unreadable files). */
export function runGraph(args: string[], flags: GraphFlags, cwd = process.cwd(), io: Output = stdio): number {
  const { files, usable } = filesToRead(args, cwd, io);
  let status = usable ? 0 : 2;
  const results: GraphFileJson[] = [];
  for (const { abs, display, explicit } of files) {
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (err) {
      io.err(`gradlint graph: cannot read ${display}: ${err instanceof Error ? err.message : String(err)}\n`);
      status = 2;
      continue;
    }
    const result = extractModels(abs, text, { yoloScale: flags.scale, yoloDialect: flags.dialect, analysisBudget: flags.analysisBudget });
    reportProblems(display, text, result, io);
    // Walked directories hold many files without models; only named files say so.
    if (!explicit && result.models.length === 0) continue;
    if (flags.format === 'json') results.push(graphJson(result, display, !!flags.detail));
    else io.out(graphText(result, display, !!flags.detail));
  }
  if (flags.format === 'json') {
    const single = args.length === 1 && files.length === 1 && files[0].explicit && results.length === 1;
    io.out(JSON.stringify(single ? results[0] : results, null, 2) + '\n');
  }
  return status;
}

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('List the models found in files, with their layers in topological order and resolved configuration.')
    .argument('<files...>', 'tfjs source files, model.json files, YOLO YAML files or directories to walk')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(scaleOption())
    .addOption(dialectOption())
    .addOption(budgetOption())
    .option('--detail', 'YOLO YAML: list the inner layers of every row')
    .action((files: string[], flags: GraphFlags) => {
      process.exitCode = runGraph(files, flags);
    });
}
