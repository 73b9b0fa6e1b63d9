// Runs the probe in a child process (the bundled dist/probeWorker.js), so the extension
// host and the CLI never block on tfjs: cancellable, with a timeout and a memory cap, and
// a clear message when the worker dies.
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import type { ModelGraph } from '../core/graph';
import type { FromWorker, ProbeFileOptions, ProbeProgress, ToWorker } from './protocol';
import type { BackendName, ProbeFileResult } from '../core/gradientResult';

export interface RunProbeOptions {
  /** Aborting kills the worker at once. */
  signal?: AbortSignal;
  onProgress?: (progress: ProbeProgress) => void;
  /** The worker process started (its pid, for logs). */
  onStart?: (pid: number) => void;
  /** The worker process ended, on its own or killed (after a result, a cancel, a timeout or a crash). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Which backend the worker started, and why better ones were skipped. */
  onBackend?: (backend: BackendName, notes: string[]) => void;
  /** Things a person should know about the run (backend fallbacks, defaults used for unknowns); called before the result. */
  onNotes?: (notes: string[]) => void;
  /** Default 120 000 ms. */
  timeoutMs?: number;
  /** The worker's V8 heap cap (--max-old-space-size), in MB. */
  maxOldSpaceMb?: number;
  /** Inside VS Code: process.execPath, with ELECTRON_RUN_AS_NODE=1 in `env`. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** The workspace's node_modules, searched first for tfjs-node (pass it for trusted workspaces only). */
  workspaceNodeModules?: string;
  /** runProbeOnGraphs: the text the graphs were read from (model.json models are then loaded by tfjs from it). */
  sourceText?: string;
  /** The worker script; default: probeWorker.js next to this bundle, or worker.ts via tsx when run from source. */
  workerPath?: string;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

/** The probe stopped without a result: cancelled, timed out, crashed or failed. */
export class ProbeRunError extends Error {
  constructor(
    message: string,
    readonly reason: 'cancelled' | 'timeout' | 'crashed' | 'failed',
  ) {
    super(message);
  }
}

interface WorkerScript {
  script: string;
  execArgv: string[];
}

/**
 * TypeScript workers (tests, tsx-run code) need tsx's loader in the child; resolved at run
 * time (createRequire) so bundles, which never fork .ts workers, do not look for tsx.
 */
const scriptArgs = (script: string): WorkerScript => ({
  script,
  execArgv: script.endsWith('.ts') ? ['--require', createRequire(__filename).resolve('tsx/cjs')] : [],
});

function workerScript(explicit?: string): WorkerScript {
  if (explicit) return scriptArgs(explicit);
  const bundled = path.join(__dirname, 'probeWorker.js');
  if (fs.existsSync(bundled)) return scriptArgs(bundled);
  const source = path.join(__dirname, 'worker.ts');
  if (fs.existsSync(source)) return scriptArgs(source);
  throw new ProbeRunError(`the probe worker is missing (looked for ${bundled}); run the build`, 'failed');
}

/** Keeps the last few KB of the worker's stderr, for crash messages. */
function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return () => tail;
}

function crashMessage(code: number | null, signal: NodeJS.Signals | null, stderr: string, heapMb?: number): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) {
    const limit = heapMb ? ` (limit ${heapMb} MB; setting gradlint.probe.maxMemoryMb)` : '';
    return `the probe worker ran out of memory${limit}`;
  }
  const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
  const lastLine = stderr.trim().split('\n').filter((l) => !/^=+$|Hi, looks like/.test(l)).pop();
  return `the probe worker ${how} before it finished${lastLine ? `: ${lastLine}` : ''}`;
}

/** Probes a file's models in a worker process. Rejects with ProbeRunError. */
export function runProbe(
  file: string,
  text: string,
  options: ProbeFileOptions,
  run: RunProbeOptions = {},
): Promise<ProbeFileResult> {
  return inWorker({ type: 'start', file, text, options, workspaceNodeModules: run.workspaceNodeModules }, run);
}

/** Probes model graphs already read from `file` (all of them; `options.model` is not consulted). */
export function runProbeOnGraphs(
  file: string,
  graphs: ModelGraph[],
  options: ProbeFileOptions,
  run: RunProbeOptions = {},
): Promise<ProbeFileResult> {
  const text = run.sourceText ?? '';
  return inWorker({ type: 'start', file, text, graphs, options, workspaceNodeModules: run.workspaceNodeModules }, run);
}

function inWorker(start: ToWorker, run: RunProbeOptions): Promise<ProbeFileResult> {
  const { script, execArgv } = workerScript(run.workerPath);
  const heap = run.maxOldSpaceMb ? [`--max-old-space-size=${Math.round(run.maxOldSpaceMb)}`] : [];
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(new ProbeRunError('the probe was cancelled', 'cancelled'));
      return;
    }
    const child = fork(script, [], {
      execPath: run.execPath,
      execArgv: [...execArgv, ...heap],
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const stderr = stderrTail(child);
    if (child.pid !== undefined) run.onStart?.(child.pid);
    if (run.onExit) child.on('exit', run.onExit);
    let settled = false;
    const finish = (outcome: { result: ProbeFileResult } | { error: ProbeRunError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const onAbort = () => finish({ error: new ProbeRunError('the probe was cancelled', 'cancelled') });
    run.signal?.addEventListener('abort', onAbort);
    const timeoutMs = run.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 100) / 10;
      finish({ error: new ProbeRunError(`the probe took longer than ${seconds} s and was stopped (setting gradlint.probe.timeoutSeconds, flag --timeout)`, 'timeout') });
    }, timeoutMs);

    child.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'started':
          run.onBackend?.(message.backend, message.notes);
          break;
        case 'progress':
          run.onProgress?.(message);
          break;
        case 'result':
          if (message.notes.length) run.onNotes?.(message.notes);
          finish({ result: message.result });
          break;
        case 'error':
          finish({ error: new ProbeRunError(message.message, 'failed') });
          break;
      }
    });
    child.on('error', (err) => finish({ error: new ProbeRunError(`the probe worker could not start: ${err.message}`, 'crashed') }));
    // 'close' comes after the IPC channel is drained, so a result sent just before exiting is never lost.
    child.on('close', (code, signal) =>
      finish({ error: new ProbeRunError(crashMessage(code, signal, stderr(), run.maxOldSpaceMb), 'crashed') }),
    );
    // The worker refuses a model that cannot finish in time before running it (./time.ts).
    child.send({ ...start, options: { ...start.options, timeoutSeconds: timeoutMs / 1000 } });
  });
}
