/**
 * Locations are 1-based (line and column) everywhere inside scrapelint.
 * `endColumn` is exclusive, as in SARIF: the column just after the last character.
 */
export interface Location {
  /** Path relative to the lint root, with forward slashes (what users and SARIF see). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** For `helm template` output: the chart template the document was rendered from. */
  template?: string;
}

export type PathSegment = string | number;
export type NodePath = readonly PathSegment[];

/** A file as loaded: its text and where it lives. */
export interface SourceFile {
  /** Relative to the lint root, forward slashes; `<stdin>` for standard input. */
  path: string;
  /** Absolute path on disk, or undefined for stdin. */
  absPath?: string;
  text: string;
}

/** Maps offsets in a text to 1-based line/column. Built lazily, once per file. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const t = this.text;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
    return starts;
  }

  private lines: number | undefined;

  /** Number of lines in the text (a trailing newline does not open a new line). */
  get lineCount(): number {
    if (this.lines !== undefined) return this.lines;
    // Counted without building the line table: most files never need positions. Kept: every
    // reported location is checked against it, and a file may have thousands of findings.
    let n = 1;
    if (this.starts) n = this.starts.length;
    else for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) n++;
    return (this.lines = this.text.endsWith('\n') ? n - 1 : n);
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  offsetOfLine(line: number): number {
    const starts = this.lineStarts();
    return starts[Math.min(Math.max(line - 1, 0), starts.length - 1)]!;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineStarts();
    if (line < 1 || line > starts.length) return '';
    const start = starts[line - 1]!;
    const next = line < starts.length ? starts[line]! - 1 : this.text.length;
    return this.text.slice(start, next).replace(/\r$/, '');
  }

  range(file: string, start: number, end: number): Location {
    // An offset at the very end (an error at end of input) belongs to the last character.
    const last = this.text.endsWith('\n') ? this.text.length - 1 : this.text.length;
    if (start > last) start = Math.max(0, last - (this.text.endsWith('\n') ? 0 : 1));
    if (end > last + 1) end = last + 1;
    const a = this.position(start);
    const b = this.position(Math.max(end, start));
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}
