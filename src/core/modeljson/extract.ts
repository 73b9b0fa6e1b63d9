import type { ExtractResult } from '../graph';

// Placeholder until this front end lands.
export function extractModelJson(file: string, _text: string): ExtractResult {
  return { file, models: [], problems: [] };
}
