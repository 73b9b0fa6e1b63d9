import type { ExtractResult } from '../graph';

// Placeholder until this front end lands.
export function extractYaml(file: string, _text: string, _options: { scale?: string } = {}): ExtractResult {
  return { file, models: [], problems: [] };
}
