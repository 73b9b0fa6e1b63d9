// SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules with help links,
// results with file locations relative to %SRCROOT% (the directory gradlint ran in).

import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import type { Range } from '../../core/graph';
import type { Severity } from '../../core/diagnostic';
import { LineIndex } from '../../core/text';
import { PARSE_ERROR_RULE } from '../../core/rule';
import { RULES } from '../../rules/index';
import type { FileReport } from './json';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: FileReport[], root: string, version: string): string {
  const rules = [...RULES, PARSE_ERROR_RULE];
  const results: Sarif.Result[] = [];
  for (const report of reports) {
    const index = new LineIndex(report.text);
    const uri = path.relative(root, report.filePath).split(path.sep).join('/');
    const location = (range: Range): Sarif.PhysicalLocation => {
      const start = index.positionAt(range.start);
      const end = index.positionAt(Math.max(range.end, range.start + 1));
      return {
        artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
        region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
      };
    };
    for (const d of report.diagnostics) {
      // A notebook's region is in its JSON text (what a viewer of the file shows); the cell goes alongside.
      const inCell = report.cellAt?.(d.range.start);
      results.push({
        ruleId: d.ruleId,
        ruleIndex: rules.findIndex((r) => r.id === d.ruleId),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: location(d.range) }],
        relatedLocations: d.related.length
          ? d.related.map((r, i) => ({ id: i + 1, physicalLocation: location(r.range), message: { text: r.message } }))
          : undefined,
        properties: inCell && { notebookCell: inCell.cell, cellLine: inCell.line + 1, cellColumn: inCell.character + 1 },
      });
    }
  }
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gradlint',
            version,
            informationUri: 'https://github.com/gradlint/gradlint',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              helpUri: r.docsUrl,
              help: { text: `${r.description} See ${r.docsUrl}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root + path.sep).href } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
