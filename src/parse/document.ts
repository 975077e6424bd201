import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { LineIndex, type Location, type NodePath, type SourceFile } from '../model/location.js';
import { BAIL, type Positions, rangeAt, readPositions } from './fast-yaml.js';

/**
 * One YAML (or JSON) document of a file.
 *
 * The value comes from the fast reader (src/parse/fast-yaml.ts) or, for documents it leaves, from
 * js-yaml. Positions come from a second read of this document's text only, done lazily the first
 * time `locate` is called (most documents never have a finding, so most never pay for positions):
 * the fast reader in positions mode, or the exact parser `yaml` for documents the reader leaves.
 */
export class ParsedDocument {
  private positions: { contents: YamlNode | null } | null | undefined;
  private fastPositions: Positions | typeof BAIL | undefined;

  constructor(
    readonly file: SourceFile,
    readonly lines: LineIndex,
    /** 0-based index of the document in its file. */
    readonly index: number,
    readonly value: unknown,
    /** Offsets of the document's text in the file. */
    readonly start: number,
    readonly end: number,
    /** `# Source: <chart>/templates/<file>` from `helm template` output, when present. */
    readonly helmSource: string | undefined,
    /**
     * The value is a tree: read by the fast reader, which knows no aliases. js-yaml and `yaml`
     * turn aliases into shared references, so their values may hold exponentially many paths.
     */
    readonly tree: boolean = false,
  ) {}

  /** Location of the document's first content line (used when nothing better exists). */
  get startLocation(): Location {
    const text = this.file.text;
    let offset = this.start;
    // Skip the `---` marker line, comments and blank lines, so the location lands on content.
    const re = /^(?:---[^\n]*|\s*#[^\n]*|\s*)$/;
    while (offset < this.end) {
      const nl = text.indexOf('\n', offset);
      const lineEnd = nl === -1 || nl > this.end ? this.end : nl;
      const line = text.slice(offset, lineEnd);
      if (!re.test(line)) break;
      if (lineEnd >= this.end) break;
      offset = lineEnd + 1;
    }
    const p = this.lines.position(offset);
    const lineText = this.lines.lineText(p.line);
    return { file: this.file.path, line: p.line, column: 1, endLine: p.line, endColumn: lineText.length + 1 };
  }

  private exactTree(): { contents: YamlNode | null } | null {
    if (this.positions !== undefined) return this.positions;
    try {
      const text = this.file.text.slice(this.start, this.end);
      const doc = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'silent' });
      this.positions = { contents: (doc.contents as YamlNode | null) ?? null };
    } catch {
      this.positions = null;
    }
    return this.positions;
  }

  /**
   * Location of the node at `path` (map keys and sequence indexes). For a map entry the range
   * spans key and value. A path that does not exist resolves to its nearest existing parent.
   */
  locate(path: NodePath): Location {
    const loc = this.locateExact(path).location;
    return this.helmSource ? { ...loc, template: this.helmSource } : loc;
  }

  /** Like `locate`, and says whether the whole path was found. */
  locateExact(path: NodePath): { location: Location; exact: boolean } {
    this.fastPositions ??= readPositions(this.file.text, this.start, this.end);
    if (this.fastPositions !== BAIL) {
      const { range, exact } = rangeAt(this.fastPositions, path);
      return { location: trimLocation(this.lines.range(this.file.path, range[0], range[1]), this.lines), exact };
    }
    return this.locateWithYaml(path);
  }

  /**
   * `locateExact` with the exact parser, for documents the fast reader leaves (public for the test
   * that holds both to the same ranges). The one difference: a node's range here also spans comment
   * lines after its last entry, the fast reader ends it at its last entry.
   */
  locateWithYaml(path: NodePath): { location: Location; exact: boolean } {
    const tree = this.exactTree();
    if (!tree || !tree.contents) return { location: this.startLocation, exact: path.length === 0 };
    const walked = yamlRangeAt(tree.contents, path);
    const range = walked.range ?? rangeOf(tree.contents);
    const found = walked.found;
    if (!range) return { location: this.startLocation, exact: false };
    const loc = this.lines.range(this.file.path, this.start + range[0], this.start + range[1]);
    return { location: trimLocation(loc, this.lines), exact: found === path.length };
  }
}

/**
 * Walks a `yaml` node tree along a path (map keys, sequence indexes). `range`: the offsets of the
 * deepest node found (for a map entry, key and value), undefined when no step had a range;
 * `found`: how many steps of the path exist.
 */
export function yamlRangeAt(root: unknown, path: NodePath): { range: [number, number] | undefined; found: number } {
  let node = root;
  let range: [number, number] | undefined;
  let found = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const k = rangeOf(pair.key);
      const v = pair.value ? rangeOf(pair.value) : undefined;
      if (k) range = [k[0], v ? v[1] : k[1]];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      range = rangeOf(item) ?? range;
      node = item;
    } else break;
    found++;
  }
  return { range, found };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** A range that ends at column 1 of a line really ends at the end of the previous line. */
function trimLocation(loc: Location, lines: LineIndex): Location {
  if (loc.endColumn === 1 && loc.endLine > loc.line) {
    const endLine = loc.endLine - 1;
    return { ...loc, endLine, endColumn: lines.lineText(endLine).length + 1 };
  }
  return loc;
}
