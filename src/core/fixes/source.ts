// The analysed file's syntax tree, parsed only when a fix needs it: fixes are text edits on
// AST ranges, never regex matches on text.

import { AST_NODE_TYPES, parse, simpleTraverse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { Range } from '../graph';
import { fileKind } from '../modelFiles';
import { parseOptions } from '../tfjs/parse';

export class FixSource {
  private ast: TSESTree.Program | null | undefined;
  private byRange = new Map<string, TSESTree.Node[]>();
  /** Every node by type, in source order: each fix asks, and a file can hold 100,000 nodes. */
  private byType = new Map<string, TSESTree.Node[]>();
  private quoteChar?: string;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** True for JS/TS code, the only files whose layers fixes can edit. */
  get editable(): boolean {
    return fileKind(this.file) === 'tfjs' && this.program() !== null;
  }

  program(): TSESTree.Program | null {
    if (this.ast !== undefined) return this.ast;
    try {
      // The front end's options, so that fixes see the same tree the model was read from.
      this.ast = parse(this.text, parseOptions(this.file));
      simpleTraverse(
        this.ast,
        {
          enter: (node) => {
            const key = `${node.range[0]}:${node.range[1]}`;
            const list = this.byRange.get(key);
            if (list) list.push(node);
            else this.byRange.set(key, [node]);
            const ofType = this.byType.get(node.type);
            if (ofType) ofType.push(node);
            else this.byType.set(node.type, [node]);
          },
        },
        true,
      );
      for (const list of this.byType.values()) list.sort((a, b) => a.range[0] - b.range[0]);
    } catch {
      // A file that does not parse gets no fixes; the front end reports the syntax error.
      this.ast = null;
    }
    return this.ast;
  }

  /** The node of `type` spanning exactly `range`, if any. */
  nodeAt<T extends AST_NODE_TYPES>(range: Range, type: T): Extract<TSESTree.Node, { type: T }> | undefined {
    if (!this.program()) return undefined;
    const found = this.byRange.get(`${range.start}:${range.end}`)?.find((n) => n.type === type);
    return found as Extract<TSESTree.Node, { type: T }> | undefined;
  }

  /** Every node of `type`, in source order. */
  nodesOfType<T extends AST_NODE_TYPES>(type: T): readonly Extract<TSESTree.Node, { type: T }>[] {
    if (!this.program()) return [];
    return (this.byType.get(type) ?? []) as Extract<TSESTree.Node, { type: T }>[];
  }

  slice(node: TSESTree.Node): string {
    return this.text.slice(node.range[0], node.range[1]);
  }

  /** The whitespace a line starts with, for edits that add lines. */
  indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    let end = lineStart;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(lineStart, end);
  }

  /** The quote character the file's string literals use (single by default). */
  quote(): string {
    if (this.quoteChar === undefined) {
      const literal = this.nodesOfType(AST_NODE_TYPES.Literal).find((n) => typeof n.value === 'string');
      this.quoteChar = literal && this.text[literal.range[0]] === '"' ? '"' : "'";
    }
    return this.quoteChar;
  }
}
