// Runs `analyse` on one file in a worker thread with a memory cap and a timeout, so that a
// hang, a crash or running out of memory is an outcome to report, not the end of the caller.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Analysis } from './analyse';

export type Outcome =
  | { kind: 'ok'; analysis: Analysis }
  /** gradlint threw, or reported an internal error of its own. */
  | { kind: 'error'; message: string; stack?: string }
  | { kind: 'hang' }
  | { kind: 'crash'; message: string };

export interface SandboxOptions {
  timeoutMs: number;
  memoryMb: number;
}

const WORKER_SOURCE = `
require('tsx/cjs');
const { parentPort, workerData } = require('worker_threads');
const { analyse } = require(workerData.analyse);
parentPort.on('message', ({ file, text, budget }) => {
  try {
    parentPort.postMessage({ analysis: analyse(file, text, budget) });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err), stack: err && err.stack });
  }
});
parentPort.postMessage({ ready: true });
`;

/** One worker at a time, reused across files; replaced after a hang or a crash. */
export class Sandbox {
  private worker?: Worker;
  private ready?: Promise<void>;

  constructor(private readonly options: SandboxOptions) {}

  private start(): Promise<void> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { analyse: path.join(__dirname, 'analyse.ts') },
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb, maxYoungGenerationSizeMb: 64 },
    });
    this.worker = worker;
    // Loading the engine takes seconds: not counted against a file's timeout.
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return this.ready;
  }

  async run(file: string, text: string, budget?: number): Promise<Outcome> {
    try {
      if (!this.worker) await this.start();
      else await this.ready;
    } catch (err) {
      // The engine itself did not load (a syntax error in the source being edited): say so, per file.
      this.worker = undefined;
      return { kind: 'crash', message: `the worker did not start: ${err instanceof Error ? err.message : String(err)}` };
    }
    const worker = this.worker!;
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome, restart: boolean): void => {
        clearTimeout(timer);
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        worker.removeAllListeners('exit');
        if (restart) {
          void worker.terminate();
          this.worker = undefined;
        }
        resolve(outcome);
      };
      const timer = setTimeout(() => done({ kind: 'hang' }, true), this.options.timeoutMs);
      worker.on('message', (m: { analysis?: Analysis; error?: string; stack?: string }) =>
        done(m.analysis ? classify(m.analysis) : { kind: 'error', message: m.error ?? '', stack: m.stack }, false),
      );
      worker.on('error', (err) => done({ kind: 'crash', message: err.message }, true));
      worker.on('exit', (code) => done({ kind: 'crash', message: `worker exited with code ${code}` }, true));
      worker.postMessage({ file, text, budget });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** An analysis that reported an internal error of gradlint's is a failure too. */
function classify(analysis: Analysis): Outcome {
  const internal = analysis.diagnostics.find((d) => d.code === 'internal-error');
  return internal ? { kind: 'error', message: internal.message } : { kind: 'ok', analysis };
}
