import { load as loadYaml } from 'js-yaml';
import { parseDocument } from 'yaml';
import { LineIndex, type SourceFile } from '../model/location.js';
import type { InputProblem } from '../model/finding.js';
import { ParsedDocument } from './document.js';

export interface ParsedFile {
  file: SourceFile;
  lines: LineIndex;
  documents: ParsedDocument[];
  problems: InputProblem[];
}

interface Segment {
  start: number;
  end: number;
}

const DOC_START = /^---(?:[ \t]|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|$)/;
const TRIVIAL = /^\s*(?:#.*)?$/;
const DIRECTIVE = /^%/;

/**
 * Splits a YAML stream into documents by its `---` / `...` lines. A marker at column 0 always
 * ends the previous document in YAML (even inside a block scalar), so each segment can be
 * parsed on its own: a syntax error stays in its document, and positions are cheap to map.
 */
export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let offset = segStart;
  let meaningful = false; // does the current segment hold anything but comments/blank lines?
  let directivesOnly = false;
  const push = (end: number) => {
    if (meaningful) segments.push({ start: segStart, end });
  };
  while (offset <= text.length) {
    let nl = text.indexOf('\n', offset);
    if (nl === -1) nl = text.length;
    const line = text.slice(offset, nl).replace(/\r$/, '');
    if (DOC_START.test(line)) {
      if (!directivesOnly) {
        push(offset);
        segStart = offset;
      }
      directivesOnly = false;
      meaningful = true; // an explicit document, even an empty one, is a document
    } else if (DOC_END.test(line)) {
      push(offset);
      segStart = nl + 1;
      meaningful = false;
    } else if (DIRECTIVE.test(line) && !meaningful) {
      directivesOnly = true;
    } else if (!TRIVIAL.test(line)) {
      meaningful = true;
    }
    if (nl >= text.length) break;
    offset = nl + 1;
  }
  push(text.length);
  return segments;
}

const HELM_SOURCE = /^# Source: (\S.*)$/m;

/** Parse every document of a file. Never throws. */
export function parseFile(file: SourceFile): ParsedFile {
  const lines = new LineIndex(file.text);
  const documents: ParsedDocument[] = [];
  const problems: InputProblem[] = [];
  const segments = splitDocuments(file.text);
  let index = 0;
  for (const seg of segments) {
    const text = file.text.slice(seg.start, seg.end);
    const head = text.length > 400 ? text.slice(0, 400) : text;
    const helmSource = HELM_SOURCE.exec(head)?.[1]?.trim();
    let value: unknown;
    try {
      value = loadYaml(text, { filename: file.path });
    } catch (err) {
      // Two parsers must agree before a document is called broken: js-yaml is fast but stricter
      // than Kubernetes' own parser in places (e.g. a flow sequence closed at the key's indentation).
      const slow = slowParse(text, file, lines, seg.start);
      problems.push(...slow.problems);
      if (!slow.ok) {
        if (err instanceof RangeError && slow.problems.length === 0) {
          const p = lines.position(seg.start);
          problems.push({
            ruleId: 'yaml-syntax',
            at: { file: file.path, line: p.line, column: 1, endLine: p.line, endColumn: lines.lineText(p.line).length + 1 },
            message: 'Document nests too deeply to be parsed; it was skipped. The rest of the file is still linted.',
          });
        }
        continue;
      }
      value = slow.value;
    }
    documents.push(new ParsedDocument(file, lines, index++, value, seg.start, seg.end, helmSource));
  }
  return { file, lines, documents, problems };
}

/**
 * The exact parser (`yaml`), used when the fast one fails: it decides whether the document is
 * really broken, and reports every duplicate key and the first syntax error with positions.
 */
function slowParse(text: string, file: SourceFile, lines: LineIndex, base: number): { ok: boolean; value?: unknown; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'silent' });
  } catch {
    return { ok: false, problems };
  }
  const trimmed = text.replace(/\s+$/, '').length; // errors at end of input belong to its last character
  const at = (pos: [number, number] | undefined) => {
    const p0 = Math.min(pos?.[0] ?? 0, Math.max(trimmed - 1, 0));
    const start = base + p0;
    const end = base + Math.min(Math.max(pos?.[1] ?? 0, p0 + 1), Math.max(trimmed, p0 + 1));
    const loc = lines.range(file.path, start, end);
    return loc.endLine > loc.line ? { ...loc, endLine: loc.line, endColumn: lines.lineText(loc.line).length + 1 } : loc;
  };
  const dupes = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const others = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  for (const e of dupes) {
    problems.push({
      ruleId: 'yaml-duplicate-key',
      at: at(e.pos),
      message:
        'Duplicate mapping key: this key appears twice in the same mapping. `kubectl apply` rejects the object ' +
        '("mapping key already defined"); Helm silently keeps the last value. Remove one of them.',
    });
  }
  if (others.length) {
    const e = others[0]!;
    const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (text.includes('{{')) {
      problems.push({
        ruleId: 'file-skipped',
        severity: 'note',
        at: at(e.pos),
        message:
          `Document does not parse as YAML (${reason}) and contains "{{": it looks like an unrendered Go/Helm template ` +
          'and was skipped. Lint the rendered output instead: `helm template ... | scrapelint lint -`.',
      });
    } else {
      problems.push({
        ruleId: 'yaml-syntax',
        at: at(e.pos),
        message: `YAML syntax error: ${reason}. kubectl and Helm reject this document; the file's other documents are still linted.`,
      });
    }
    return { ok: false, problems };
  }
  try {
    const value = dupes.length ? parseDocument(text, { uniqueKeys: false, logLevel: 'silent' }).toJS({ maxAliasCount: 10_000 }) : doc.toJS({ maxAliasCount: 10_000 });
    return { ok: true, value, problems };
  } catch (err) {
    problems.push({
      ruleId: 'yaml-syntax',
      at: at([0, 1]),
      message: `Document cannot be expanded (${(err as Error).message}); it was skipped. The rest of the file is still linted.`,
    });
    return { ok: false, problems };
  }
}
