// `npm run fuzz -- [--seed N] [--count N | --seconds S] [--out DIR] [--only REGEX] [--slow-ms MS]`: mutates the repo's
// fixtures and examples (./mutate.ts), runs lint, graph and estimate on each mutant in a
// worker with a time and memory limit (./sandbox.ts), and writes the smallest reproducer of
// each distinct failure (a hang, a crash, running out of memory, an internal error) to DIR.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { mutate, rng } from './mutate';
import { Sandbox, type Outcome } from './sandbox';

const ROOT = path.join(__dirname, '../..');
const MODEL_FILE = /\.(js|mjs|ts|tsx|json|ya?ml|py|ipynb)$/;
const MAX_MUTANT_LENGTH = 512 * 1024;

export interface FuzzOptions {
  seed: number;
  /** Stop after this many mutants, or at the deadline, whichever comes first. */
  count: number;
  /** The whole round's time, minimising included: at the deadline a reproducer is kept as far as it got. */
  seconds: number;
  out: string;
  timeoutMs: number;
  memoryMb: number;
  /** A mutant that took longer than this (and did not fail) is kept under DIR/slow, to profile. */
  slowMs?: number;
  /** Mutate only the corpus files whose path matches (`--only '\.py$'`). */
  only?: RegExp;
  log?: (line: string) => void;
}

export interface Failure {
  key: string;
  outcome: Outcome;
  file: string;
  mutators: string[];
  reproducer: string;
}

/** The corpus: model files under test/fixtures and examples, in a stable order. */
export function corpus(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      return MODEL_FILE.test(e.name) && fs.statSync(p).size < 200_000 ? [p] : [];
    });
  return ['test/fixtures', 'examples'].flatMap((d) => walk(path.join(ROOT, d))).sort();
}

/** What makes two failures the same: their kind and message with numbers and quoted parts blanked. */
function failureKey(outcome: Outcome, file: string): string | undefined {
  if (outcome.kind === 'ok') return undefined;
  const message = outcome.kind === 'hang' ? '' : outcome.message.replace(/\d+/g, 'N').replace(/`[^`]*`|'[^']*'|"[^"]*"/g, 'Q').slice(0, 120);
  return `${outcome.kind} ${path.extname(file)} ${message}`;
}

/**
 * Line-based delta debugging, then characters within what is left: removes chunks while the
 * same failure reproduces. Bounded by `runs` analyses (a hang costs a whole timeout) and by
 * the round's deadline.
 */
async function minimize(sandbox: Sandbox, name: string, text: string, key: string, runs: number, deadline: number): Promise<string> {
  let best = text;
  const reproduces = async (candidate: string): Promise<boolean> => {
    runs--;
    return failureKey(await sandbox.run(name, candidate), name) === key;
  };
  const more = (): boolean => runs > 0 && Date.now() < deadline;
  for (const sep of ['\n', '']) {
    let chunks = best.split(sep);
    let size = Math.ceil(chunks.length / 2);
    while (size >= 1 && more()) {
      let removed = false;
      for (let i = 0; i < chunks.length && more(); i += size) {
        const candidate = [...chunks.slice(0, i), ...chunks.slice(i + size)];
        if (candidate.length < chunks.length && (await reproduces(candidate.join(sep)))) {
          chunks = candidate;
          removed = true;
          i -= size;
        }
      }
      best = chunks.join(sep);
      if (!removed) size = Math.floor(size / 2);
      // Characters: only once the text is small, or this would take a run per character.
      if (sep === '' && chunks.length > 2000) break;
    }
  }
  return best;
}

/** A slow but finite mutant: not a failure, but what a long round spends its time on. */
function keepSlow(out: string, n: number, name: string, text: string, about: { ms: number } & Record<string, unknown>, log: (line: string) => void): void {
  const dir = path.join(out, 'slow');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${n}-${name}`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(`${file}.slow.json`, JSON.stringify(about, null, 2) + '\n');
  log(`mutant ${n} took ${about.ms} ms${about.firstRun ? ' (over the timeout the first time)' : ''} (kept in ${path.relative(ROOT, file)})`);
}

export async function fuzz(options: FuzzOptions): Promise<Failure[]> {
  const log = options.log ?? (() => undefined);
  const files = corpus().filter((f) => !options.only || options.only.test(f));
  const random = rng(options.seed);
  const sandbox = new Sandbox({ timeoutMs: options.timeoutMs, memoryMb: options.memoryMb });
  const failures = new Map<string, Failure>();
  const deadline = Date.now() + options.seconds * 1000;
  let n = 0;
  try {
    for (; n < options.count && Date.now() < deadline; n++) {
      const file = files[Math.floor(random() * files.length)];
      const { text, applied } = mutate(fs.readFileSync(file, 'utf8'), random, file);
      // Past the editor's size limit (256 KiB by default) a slow parse is not a hang; the budget covers the CLI.
      if (text.length > MAX_MUTANT_LENGTH) continue;
      const name = path.basename(file);
      let started = Date.now();
      let outcome = await sandbox.run(name, text);
      // A hang that does not happen again was the machine's load (a loaded 2-core machine can
      // take 10 s over a 1 s file): it is kept as slow, with the time of the second run.
      const hungOnce = outcome.kind === 'hang';
      if (hungOnce) {
        started = Date.now();
        outcome = await sandbox.run(name, text);
      }
      const ms = Date.now() - started;
      const key = failureKey(outcome, name);
      if (!key && (hungOnce || ms > (options.slowMs ?? Infinity))) {
        keepSlow(options.out, n, name, text, { ms, ...(hungOnce ? { firstRun: 'hang' } : {}), from: path.relative(ROOT, file), seed: options.seed, mutant: n, mutators: applied }, log);
      }
      if ((n + 1) % 500 === 0) log(`${n + 1} mutants, ${failures.size} distinct failures`);
      if (!key || failures.has(key)) continue;
      log(`mutant ${n} of ${path.relative(ROOT, file)} (${applied.join(', ')}): ${key}`);
      const small = await minimize(sandbox, name, text, key, outcome.kind === 'hang' ? 12 : 200, deadline);
      fs.mkdirSync(options.out, { recursive: true });
      const id = crypto.createHash('sha1').update(key).digest('hex').slice(0, 10);
      const reproducer = path.join(options.out, `${id}-${name}`);
      fs.writeFileSync(reproducer, small);
      const about = { key, outcome, from: path.relative(ROOT, file), seed: options.seed, mutant: n, mutators: applied };
      fs.writeFileSync(`${reproducer}.failure.json`, JSON.stringify(about, null, 2) + '\n');
      failures.set(key, { key, outcome, file, mutators: applied, reproducer });
    }
  } finally {
    await sandbox.close();
  }
  log(`${n} mutants, ${failures.size} distinct failures${failures.size ? ` (reproducers in ${options.out})` : ''}`);
  return [...failures.values()];
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const seed = flag(args, '--seed', 1);
  fuzz({
    seed,
    count: flag(args, '--count', Infinity),
    seconds: flag(args, '--seconds', args.includes('--count') ? Infinity : 60),
    out: outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(ROOT, '.artifacts/fuzz', `seed-${seed}`),
    timeoutMs: flag(args, '--timeout-ms', 10_000),
    memoryMb: flag(args, '--memory-mb', 512),
    slowMs: args.includes('--slow-ms') ? flag(args, '--slow-ms', 2000) : undefined,
    only: args.includes('--only') ? new RegExp(args[args.indexOf('--only') + 1]) : undefined,
    log: (line) => console.log(line),
  }).then((failures) => {
    process.exitCode = failures.length ? 1 : 0;
  });
}
