import { pushAll } from '../model/arrays.js';
import { load as loadYaml } from 'js-yaml';
import { parseDocument } from 'yaml';
import { LineIndex, type SourceFile } from '../model/location.js';
import type { InputProblem } from '../model/finding.js';
import { ParsedDocument } from './document.js';
import { BAIL, readFastYaml } from './fast-yaml.js';
import { Hazards, type Segment, splitDocuments } from './split.js';

export { type Segment, splitDocuments } from './split.js';

export interface ParsedFile {
  file: SourceFile;
  lines: LineIndex;
  documents: ParsedDocument[];
  problems: InputProblem[];
  /** Offsets of every document of the file (also the ones that failed to parse). */
  segments: Segment[];
}

/** Deeper documents are refused before any parser sees them (parsers recurse; one exhausts V8). */
const MAX_DEPTH = 256;

/**
 * An upper bound of a document's nesting: flow brackets outside quotes, and block indentation
 * (two columns a level). Cheap: one pass over the text.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      quote = quote === "'" || quote === '"' ? quote : '';
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      lineStart = false;
      if (indent / 2 > max) max = indent / 2;
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl - 1;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > max) max = depth;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

const HELM_SOURCE = /^# Source: (\S.*)$/m;

/** Parse every document of a file. Never throws. */
export function parseFile(file: SourceFile): ParsedFile {
  const lines = new LineIndex(file.text);
  const documents: ParsedDocument[] = [];
  const problems: InputProblem[] = [];
  const segments = splitDocuments(file.text);
  const hazards = new Hazards(file.text);
  let index = 0;
  const helmOutput = file.text.includes('# Source: '); // one scan per file, not a slice and a regex per document
  for (const seg of segments) {
    const headEnd = Math.min(seg.end, seg.start + 400);
    const helmSource = helmOutput ? HELM_SOURCE.exec(file.text.slice(seg.start, headEnd))?.[1]?.trim() : undefined;
    // The fast reader takes the documents it can read exactly; js-yaml the rest.
    let value: unknown = readFastYaml(file.text, seg.start, seg.end, hazards);
    if (value !== BAIL) {
      documents.push(new ParsedDocument(file, lines, index++, value, seg.start, seg.end, helmSource, true));
      continue;
    }
    const text = file.text.slice(seg.start, seg.end);
    const depth = nestingDepth(text);
    if (depth > MAX_DEPTH) {
      const p = lines.position(seg.start);
      problems.push({
        ruleId: 'yaml-syntax',
        at: { file: file.path, line: p.line, column: 1, endLine: p.line, endColumn: lines.lineText(p.line).length + 1 },
        message: `Document nests more than ${MAX_DEPTH} levels deep; it was not parsed. The rest of the file is still linted.`,
      });
      continue;
    }
    try {
      value = loadYaml(text, { filename: file.path });
    } catch (err) {
      // Two parsers must agree before a document is called broken: js-yaml is fast but stricter
      // than Kubernetes' own parser in places (e.g. a flow sequence closed at the key's indentation).
      const slow = slowParse(text, file, lines, seg.start, err);
      pushAll(problems, slow.problems);
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
    documents.push(new ParsedDocument(file, lines, index++, value, seg.start, seg.end, helmSource, false));
  }
  return { file, lines, documents, problems, segments };
}

/**
 * The exact parser (`yaml`), used when the fast one fails: it decides whether the document is
 * really broken, and reports every duplicate key and the first syntax error with positions.
 */
function slowParse(text: string, file: SourceFile, lines: LineIndex, base: number, fastError: unknown): { ok: boolean; value?: unknown; problems: InputProblem[] } {
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
    const p0 = e.pos?.[0] ?? 0;
    const key = /^["']?([^"':\n]+?)["']?\s*:/.exec(text.slice(p0, p0 + 200))?.[1]?.trim();
    const loc = at(e.pos);
    const keyLoc = key ? { ...loc, endColumn: loc.column + text.slice(p0).indexOf(key) + key.length } : loc;
    const first = key ? firstOccurrence(text, p0, key) : undefined;
    problems.push({
      ruleId: 'yaml-duplicate-key',
      at: keyLoc,
      message:
        `Duplicate key${key ? ` "${key}"` : ''}: it appears twice in the same mapping. \`kubectl apply\` rejects the object ` +
        '("mapping key already defined"); Helm silently keeps the last value, which is what scrapelint lints. Remove one of them.',
      ...(first !== undefined ? { related: [{ at: at([first, first + key!.length]), message: `first "${key}"` }] } : {}),
    });
  }
  if (others.length) {
    const e = others[0]!;
    let reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    // Both parsers reject the document: js-yaml's wording and position are usually the clearer ones.
    const fast = fastError as { name?: string; reason?: string; mark?: { position: number } } | undefined;
    if (fast?.name === 'YAMLException' && fast.reason && fast.mark && fast.reason !== 'duplicated mapping key') {
      reason = fast.reason;
      e.pos = [fast.mark.position, fast.mark.position + 1];
    }
    if (/call stack/i.test(reason)) reason = 'the document nests too deeply to be parsed';
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

/** Offset of the earlier `key:` at the same indentation in the same mapping (block style), if any. */
function firstOccurrence(text: string, dupOffset: number, key: string): number | undefined {
  const lineStart = text.lastIndexOf('\n', dupOffset - 1) + 1;
  const indent = dupOffset - lineStart;
  const lines = text.slice(0, lineStart).split('\n');
  let offset = lineStart;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    offset -= line.length + 1;
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const lead = line.length - line.trimStart().length;
    const item = /^(\s*)- /.exec(line);
    if (lead < indent && !(item && item[0].length === indent)) return undefined; // left the mapping
    const m = /^(\s*(?:- )?)["']?([^"':]+?)["']?\s*:/.exec(line);
    if (m && m[1]!.length === indent && m[2]!.trim() === key) return offset + 1 + m[1]!.length;
  }
  return undefined;
}
