// The probe worker: a child process (forked by ./run.ts) that receives one 'start'
// message, chooses the backend, probes the file and answers with progress, then a
// result or an error, and exits. Heavy tfjs work never runs in the extension host.
import { chooseBackend } from './backend';
import { probeGraphs, selectModels } from './probeFile';
import type { FromWorker, ToWorker } from './protocol';

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function run(message: ToWorker): Promise<void> {
  const { backend, notes } = await chooseBackend({
    backend: message.options.backend,
    workspaceNodeModules: message.workspaceNodeModules,
  });
  await send({ type: 'started', backend, notes });
  const graphs = message.graphs ?? selectModels(message.file, message.text, message.options);
  const buildNotes: string[] = [];
  const result = await probeGraphs(
    message.file,
    graphs,
    message.options,
    (p) => void send({ type: 'progress', ...p }),
    (note) => buildNotes.push(note),
    message.text || undefined,
  );
  await send({ type: 'result', result, notes: [...notes, ...buildNotes] });
}

if (!process.send) {
  console.error('the probe worker must be started by runProbe (it talks over IPC)');
  process.exit(2);
}

process.once('message', (message: ToWorker) => {
  run(message)
    .catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
    // Everything is sent (send() waits for delivery): leave without waiting for timers tfjs may hold.
    .finally(() => process.exit(0));
});
