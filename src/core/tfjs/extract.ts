import type { ExtractResult } from '../graph';

// Placeholder until this front end lands.
export function extractTfjs(file: string, _text: string): ExtractResult {
  return { file, models: [], problems: [] };
}
