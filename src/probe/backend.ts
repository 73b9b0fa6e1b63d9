// Chooses and initialises the tfjs backend the probe runs on: tfjs-node (native, fastest)
// when it can be loaded, else wasm (with the backprop kernels it lacks registered by
// ./wasmKernels), else the pure-JS cpu backend.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../core/gradientResult';
import { registerWasmGradientKernels } from './wasmKernels';

export interface BackendRequest {
  /** Force one backend; failing to start it is then an error instead of a fallback. */
  backend?: BackendName;
  /** The workspace's node_modules folder, searched first for tfjs-node (only pass it for trusted workspaces). */
  workspaceNodeModules?: string;
  /** Further node_modules folders to search (the extension's own). Default: the one this code resolves from. */
  ownNodeModules?: string[];
}

export interface BackendChoice {
  backend: BackendName;
  /** Why better backends were skipped, for people reading the result. */
  notes: string[];
}

const TFJS_NODE = '@tensorflow/tfjs-node';

/** node_modules folders holding tfjs-node, in the order they should be tried. */
export function tfjsNodeCandidates(request: BackendRequest): string[] {
  const folders = [request.workspaceNodeModules, ...(request.ownNodeModules ?? ownNodeModules())];
  return folders.filter(
    (dir): dir is string => !!dir && fs.existsSync(path.join(dir, TFJS_NODE, 'package.json')),
  );
}

/** The node_modules folders enclosing this file (the extension's or the CLI's own packages). */
function ownNodeModules(): string[] {
  const found: string[] = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    if (fs.existsSync(nm)) found.push(nm);
    if (path.dirname(dir) === dir) return found;
  }
}

/** Loads tfjs-node from a node_modules folder; it registers the 'tensorflow' backend in tfjs's global registry. */
function loadTfjsNode(nodeModules: string): void {
  createRequire(path.join(nodeModules, 'package.json'))(TFJS_NODE);
}

/** Where the .wasm binaries are: next to the bundle (dist/), or in the package when run from source. */
function wasmBinaryFolder(): string | undefined {
  const candidates = [__dirname];
  try {
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // Bundled without node_modules: only the copies next to the bundle exist.
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm')));
}

async function startTfjsNode(request: BackendRequest, notes: string[]): Promise<boolean> {
  const candidates = tfjsNodeCandidates(request);
  if (candidates.length === 0) {
    notes.push('tfjs-node is not installed');
    return false;
  }
  for (const nm of candidates) {
    try {
      loadTfjsNode(nm);
      if (await tf.setBackend('tensorflow')) return true;
      notes.push(`tfjs-node from ${nm} did not start`);
    } catch (err) {
      notes.push(`tfjs-node from ${nm} could not be loaded: ${firstLine(err)}`);
    }
  }
  return false;
}

async function startWasm(notes: string[]): Promise<boolean> {
  const folder = wasmBinaryFolder();
  if (!folder) {
    notes.push('the wasm binaries were not found');
    return false;
  }
  try {
    setWasmPaths(folder.endsWith(path.sep) ? folder : folder + path.sep);
    if (!(await tf.setBackend('wasm'))) {
      notes.push('the wasm backend did not start');
      return false;
    }
    registerWasmGradientKernels();
    return true;
  } catch (err) {
    notes.push(`the wasm backend failed: ${firstLine(err)}`);
    return false;
  }
}

const starters: Record<BackendName, (request: BackendRequest, notes: string[]) => Promise<boolean>> = {
  'tfjs-node': startTfjsNode,
  wasm: (_request, notes) => startWasm(notes),
  cpu: async () => tf.setBackend('cpu'),
};

let active: BackendChoice | undefined;

/**
 * The backend to run on: the one already chosen in this process unless another is forced,
 * else the best available.
 */
export async function ensureBackend(request: BackendRequest = {}): Promise<BackendChoice> {
  if (active && (!request.backend || request.backend === active.backend)) return active;
  return chooseBackend(request);
}

/** Activates the best available backend (or the forced one) and says which one runs. */
export async function chooseBackend(request: BackendRequest = {}): Promise<BackendChoice> {
  const notes: string[] = [];
  const order: BackendName[] = request.backend ? [request.backend] : ['tfjs-node', 'wasm', 'cpu'];
  for (const backend of order) {
    if (await starters[backend](request, notes)) {
      await tf.ready();
      active = { backend, notes };
      return active;
    }
  }
  throw new Error(`the ${request.backend} backend is not available: ${notes.join('; ')}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
