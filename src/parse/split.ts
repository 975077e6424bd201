/**
 * The text work done on a file before any document is read: where its documents are, and which
 * of them hold a character that sends them to js-yaml.
 */

export interface Segment {
  start: number;
  end: number;
}

const TRIVIAL = /^\s*(?:#.*)?$/;
const DIRECTIVE = /^%/;

/**
 * Splits a YAML stream into documents by its `---` / `...` lines. A marker at column 0 always
 * ends the previous document in YAML (even inside a block scalar), so each segment can be
 * parsed on its own: a syntax error stays in its document, and positions are cheap to map.
 */
export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  const begin = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Offsets of the lines that start with `---` or `...` (found with indexOf, not per line).
  const markers: { at: number; end: boolean; next: number }[] = [];
  for (const token of ['---', '...']) {
    let i = text.startsWith(token, begin) ? begin : text.indexOf(`\n${token}`, begin);
    while (i !== -1) {
      const at = text[i] === '\n' ? i + 1 : i;
      const c = text.charCodeAt(at + 3);
      if (Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        const nl = text.indexOf('\n', at);
        markers.push({ at, end: token === '...', next: nl === -1 ? text.length : nl + 1 });
      }
      i = text.indexOf(`\n${token}`, at + 3);
    }
  }
  markers.sort((a, b) => a.at - b.at);
  let segStart = begin;
  let explicit = false;
  const close = (end: number) => {
    if (explicit || hasContent(text, segStart, end)) segments.push({ start: segStart, end });
  };
  for (const m of markers) {
    if (m.end) {
      close(m.at);
      segStart = m.next;
      explicit = false;
    } else {
      // Directives before `---` belong to the document the marker starts.
      if (!explicit && onlyDirectives(text, segStart, m.at)) {
        explicit = true;
        continue;
      }
      close(m.at);
      segStart = m.at;
      explicit = true; // an explicit document, even an empty one, is a document
    }
  }
  close(text.length);
  return segments;
}

/** Does the text hold anything but blank lines and comments? (Line by line, without splitting the segment.) */
function hasContent(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    let nl = text.indexOf('\n', i);
    if (nl === -1 || nl > end) nl = end;
    if (!TRIVIAL.test(text.slice(i, nl))) return true;
    i = nl + 1;
  }
  return false;
}

/** Only directives (`%YAML`, `%TAG`), blank lines and comments? Stops at the first other line. */
function onlyDirectives(text: string, start: number, end: number): boolean {
  let any = false;
  let i = start;
  while (i < end) {
    let nl = text.indexOf('\n', i);
    if (nl === -1 || nl > end) nl = end;
    const line = text.slice(i, nl);
    if (DIRECTIVE.test(line)) any = true;
    else if (!TRIVIAL.test(line)) return false;
    i = nl + 1;
  }
  return any;
}

/**
 * What sends a segment to js-yaml before reading: tabs and CRs (legal in places, subtle), and the
 * characters js-yaml rejects or treats specially (NUL, other control characters, DEL, C1 controls
 * but NEL, U+FFFE/U+FFFF, and surrogates: a lone one is an error, and pairs are rare in manifests).
 */
const HAZARD = /[\t\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Says whether a range of a file's text holds a hazard (see HAZARD). */
export interface HazardCheck {
  /** Does `text[start, end)` hold a hazard? Call with non-decreasing `start`. */
  in(start: number, end: number): boolean;
}

/**
 * Finds, for consecutive segments of one file, whether a segment holds a hazard. Amortized
 * linear: each character is scanned once however many segments the file has.
 */
export class Hazards implements HazardCheck {
  /** Offset of the next hazard at or after the last asked start; -1: none left; -2: not searched yet. */
  private nextAt = -2;
  private readonly re = new RegExp(HAZARD.source, 'g');

  constructor(private readonly text: string) {}

  in(start: number, end: number): boolean {
    if (this.nextAt !== -1 && this.nextAt < start) {
      this.re.lastIndex = start;
      const m = this.re.exec(this.text);
      this.nextAt = m ? m.index : -1;
    }
    return this.nextAt !== -1 && this.nextAt < end;
  }
}

/**
 * Does `text[start, end)` hold a hazard? For one range of a text (a document located again, an
 * embedded configuration): scans that range only, where Hazards, built for a file's consecutive
 * segments, scans on to the next hazard, possibly the end of the file.
 */
export function hazardIn(text: string, start: number, end: number): boolean {
  return HAZARD.test(start === 0 && end === text.length ? text : text.slice(start, end));
}

/** A HazardCheck for one range (see hazardIn). */
export const rangeHazards = (text: string): HazardCheck => ({ in: (start, end) => hazardIn(text, start, end) });

