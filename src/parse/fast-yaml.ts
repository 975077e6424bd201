import { DEFAULT_SCHEMA, type Type } from 'js-yaml';
import { exactSize } from '../model/arrays.js';
import { type HazardCheck, hazardIn, rangeHazards } from './split.js';

export { Hazards } from './split.js';

/**
 * A fast reader for the YAML that Kubernetes manifests are made of: block mappings and
 * sequences, plain/quoted/block scalars, comments and one-line flow collections.
 *
 * It is not a YAML parser. It reads one document (a segment of a file, as split by
 * `splitDocuments`) and returns exactly the value js-yaml 4 `load` returns for it, or `BAIL`
 * as soon as it meets anything outside that subset (anchors, aliases, tags, directives, merge
 * keys, complex keys, multi-line flow or quoted scalars, tabs, CR line ends, duplicate keys,
 * anything odd). The caller then parses that document with js-yaml, so the subset only decides
 * speed, never results: `test/fast-yaml.test.ts` checks "same value as js-yaml, or BAIL" on every
 * YAML file of the fixtures and corpora and on generated documents.
 *
 * Why: js-yaml is a full YAML 1.2 parser and spends most of its time on generality (a state
 * object per scalar, every plain scalar tried against every implicit type). This reader scans
 * lines with `charCodeAt`, builds a scalar's string only the first time its text is seen (an
 * intern table probed with the text's characters) and resolves only scalars that can be something
 * other than a string, which makes it several times faster on manifests (docs/performance.md).
 */
export const BAIL: unique symbol = Symbol('bail');

/** Offsets `[start, end)` in the file's text. */
export type Range = [number, number];

const MAX_DEPTH = 200;

class Bail {}
const bail = new Bail();

// Character codes.
const NL = 10;
const SP = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQ = 34;
const SQ = 39;

const KEYWORDS = new Map<string, unknown>([
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** js-yaml's one-character escapes of double-quoted scalars that the reader handles (others bail). */
const ESCAPES: Record<number, string> = { 110: '\n', 116: '\t', 114: '\r', 92: '\\', 34: '"', 47: '/', 32: ' ', 48: '\0' };

const IMPLICIT: readonly Type[] = (DEFAULT_SCHEMA as unknown as { compiledImplicit: Type[] }).compiledImplicit;

const TIMESTAMP = IMPLICIT.find((t) => (t as unknown as { tag: string }).tag === 'tag:yaml.org,2002:timestamp');
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

/** The value js-yaml gives the plain scalar `text[a, b)` (YAML 1.2 core schema + timestamps, as js-yaml's DEFAULT_SCHEMA). */
function plainAt(text: string, a: number, b: number): unknown {
  const c = text.charCodeAt(a);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126) {
    const s = text.slice(a, b);
    if (DECIMAL.test(s)) return Number(s); // what js-yaml's int type makes of it, without trying every type
    // js-yaml's order (first match wins); timestamps all have a `-` at index 4, so skip that costly regex otherwise.
    const stamp = s.charCodeAt(4) === 45;
    for (const t of IMPLICIT) {
      if (t === TIMESTAMP && !stamp) continue;
      if (t.resolve && t.resolve(s)) return t.construct ? t.construct(s) : s;
    }
    return internRange(text, a, b);
  }
  if ((c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70) && b - a <= 5) {
    const v = KEYWORDS.get(text.slice(a, b));
    if (v !== undefined) return v;
  }
  return internRange(text, a, b);
}

/** The value of a plain scalar already cut out (keys, multi-line scalars). */
function resolvePlain(s: string): unknown {
  return plainAt(s, 0, s.length);
}

/**
 * One string per distinct short scalar: manifests repeat names, labels, ports and images many
 * times, and a repeated value then costs a pointer instead of a string of its own, and reading it
 * allocates nothing (the table is probed with the text's characters). An open-addressing table
 * that starts over when it fills up (a later duplicate then simply gets its own string).
 */
const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const TABLE_LIMIT = (1 << TABLE_BITS) * 0.6;
const MAX_INTERNED_LENGTH = 64;
const MAX_PROBES = 16;
let table: (string | undefined)[] = new Array<string | undefined>(1 << TABLE_BITS);
let hashes = new Int32Array(1 << TABLE_BITS);
let interned = 0;

function internRange(text: string, a: number, b: number): string {
  const len = b - a;
  if (len > MAX_INTERNED_LENGTH || len === 0) return text.slice(a, b);
  let h = 0x811c9dc5 ^ len;
  for (let i = a; i < b; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  let slot = h & TABLE_MASK;
  for (let probes = 0; ; probes++) {
    const e = table[slot];
    if (e === undefined) break;
    if (hashes[slot] === h && e.length === len && text.startsWith(e, a)) return e;
    // Bounded: strings built to collide (the hash is not secret) must not make every lookup walk a chain.
    if (probes === MAX_PROBES) return text.slice(a, b);
    slot = (slot + 1) & TABLE_MASK;
  }
  if (interned >= TABLE_LIMIT) {
    table = new Array<string | undefined>(1 << TABLE_BITS);
    hashes = new Int32Array(1 << TABLE_BITS);
    interned = 0;
    slot = h & TABLE_MASK;
  }
  const str = text.slice(a, b);
  table[slot] = str;
  hashes[slot] = h;
  interned++;
  return str;
}

/** Can a plain scalar start with this character (block context)? */
function plainStart(c: number, next: number): boolean {
  switch (c) {
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
      return false;
    case 45: // -
    case 63: // ?
    case 58: // :
      return !(next === SP || next === NL || Number.isNaN(next));
    default:
      return c !== SP && c !== NL;
  }
}

/** The reader's state for one document. */
class Reader {
  /** Offset of the current line's first character. */
  pos = 0;
  /** Offset of the current line's end (its `\n`, or `end`). */
  eol = 0;
  /** Indentation of the current line. */
  ind = 0;
  depth = 0;
  /**
   * Positions mode (for `locate`, only for documents with findings): the range of every entry,
   * by container. A mapping entry spans key and value; a sequence entry its value (none when null).
   */
  track: Map<object, Map<string, Range> | (Range | undefined)[]> | null = null;
  /** Positions mode: the offset after the last character of the value read last, and where the document starts. */
  last = 0;
  rootStart = 0;
  /** Set by `key`, `quoted` and `flow`: the offset after what they read. */
  after = 0;

  constructor(
    readonly text: string,
    readonly end: number,
  ) {}

  ch(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : NL;
  }

  /** Sets the cursor to the line starting at `pos`. */
  setLine(pos: number): void {
    this.pos = pos;
    const { text, end } = this;
    let i = pos;
    while (i < end && text.charCodeAt(i) === SP) i++;
    this.ind = i - pos;
    const nl = text.indexOf('\n', i);
    this.eol = nl === -1 || nl > end ? end : nl;
  }

  /** Moves to the next line that holds content (not blank, not only a comment); `pos >= end` at the end. */
  skipToContent(): void {
    const { text, end } = this;
    while (this.pos < end) {
      const c = this.pos + this.ind;
      if (c < this.eol && text.charCodeAt(c) !== HASH) return;
      this.setLine(this.eol + 1);
    }
  }

  nextContent(): void {
    this.setLine(this.eol + 1);
    this.skipToContent();
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Positions mode: where the value of the sequence entry whose text starts at `p` begins (on this
   * line, or the next content line when that is deeper than the dash at `n`), or -1 (a null entry).
   */
  entryStart(n: number, p: number): number {
    const { text } = this;
    let i = p;
    while (i < this.eol && text.charCodeAt(i) === SP) i++;
    if (i < this.eol && !(text.charCodeAt(i) === HASH && i > p)) return i;
    const save = [this.pos, this.eol, this.ind] as const;
    this.nextContent();
    const start = !this.atEnd() && this.ind > n ? this.pos + this.ind : -1;
    [this.pos, this.eol, this.ind] = save;
    return start;
  }

  /** The end of the line that holds offset i (its `\n`, or the end). */
  lineEnd(i: number): number {
    const nl = this.text.indexOf('\n', i);
    return nl === -1 || nl > this.end ? this.end : nl;
  }

  /** Does a `---` or `...` document marker start at offset i (then a space or the end of the line)? */
  marker(i: number): boolean {
    const { text } = this;
    if (i + 3 > this.eol || !(text.startsWith('---', i) || text.startsWith('...', i))) return false;
    return i + 3 === this.eol || text.charCodeAt(i + 3) === SP;
  }

  /** Is there a sequence entry (`-` then space or end of line) at offset i? */
  isDash(i: number): boolean {
    if (this.text.charCodeAt(i) !== DASH) return false;
    const n = this.ch(i + 1);
    return n === SP || n === NL || i + 1 >= this.eol;
  }

  /** The document: a block mapping or sequence (anything else bails). */
  document(): unknown {
    const { text } = this;
    this.setLine(this.pos);
    this.skipToContent();
    // An explicit `---` start line, with nothing but a comment after it.
    if (!this.atEnd() && this.ind === 0 && this.pos + 3 <= this.eol && text.startsWith('---', this.pos)) {
      let i = this.pos + 3;
      while (i < this.eol && text.charCodeAt(i) === SP) i++;
      if (i < this.eol && !(text.charCodeAt(i) === HASH && i > this.pos + 3)) throw bail;
      if (i === this.pos + 3 && i < this.eol) throw bail;
      this.nextContent();
      if (this.atEnd()) return null;
    }
    if (this.atEnd()) throw bail;
    const c = text.charCodeAt(this.pos + this.ind);
    if (c === 37 /* % */) throw bail;
    this.rootStart = this.pos + this.ind;
    const value = this.blockNode(this.ind, this.rootStart);
    if (!this.atEnd()) throw bail;
    return value;
  }

  /** A block mapping or sequence whose first entry starts at offset `at`, in column `n`. */
  blockNode(n: number, at: number): unknown {
    if (this.isDash(at)) return this.sequence(n, at);
    return this.mapping(n, at);
  }

  sequence(n: number, at: number): unknown[] {
    if (++this.depth > MAX_DEPTH) throw bail;
    const out: unknown[] = [];
    const rec: (Range | undefined)[] | null = this.track ? [] : null;
    if (rec) this.track!.set(out, rec);
    for (;;) {
      const start = rec ? this.entryStart(n, at + 1) : 0;
      out.push(this.value(n, at + 1, true));
      if (rec) rec.push(start < 0 ? undefined : [start, this.last]);
      if (this.atEnd() || this.ind < n) break;
      if (this.ind > n) throw bail;
      at = this.pos + n;
      if (!this.isDash(at)) break;
    }
    this.depth--;
    if (rec) {
      this.last = this.lineEnd(this.last);
      return out; // positions are keyed by this very array
    }
    return exactSize(out);
  }

  mapping(n: number, at: number): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) throw bail;
    const out: Record<string, unknown> = {};
    const rec: Map<string, Range> | null = this.track ? new Map() : null;
    if (rec) this.track!.set(out, rec);
    for (;;) {
      const key = this.key(at);
      if (Object.hasOwn(out, key)) throw bail;
      out[key] = this.value(n, this.after, false);
      if (rec) rec.set(key, [at, this.last]);
      if (this.atEnd() || this.ind < n) break;
      if (this.ind > n) throw bail;
      at = this.pos + n;
      if (this.isDash(at)) throw bail;
    }
    this.depth--;
    if (rec) this.last = this.lineEnd(this.last);
    return out;
  }

  /** A mapping key at offset `at` of the current line; sets `after` to the offset after its `:`. */
  key(at: number): string {
    const { text } = this;
    const c = text.charCodeAt(at);
    // `--- ` or `... ` at column 0 is a document marker, never a key (splitDocuments splits there).
    if ((c === DASH || c === 46) && at === this.pos && this.marker(at)) throw bail;
    let key: string;
    let i: number;
    if (c === DQ || c === SQ) {
      key = this.quoted(at);
      i = this.after;
      while (i < this.eol && text.charCodeAt(i) === SP) i++;
      if (text.charCodeAt(i) !== COLON || i >= this.eol) throw bail;
    } else {
      if (!plainStart(c, this.ch(at + 1))) throw bail;
      // The first `:` followed by a space or the end of the line ends the key. (Scanned within the
      // line: an indexOf could run far past it, on every line of a file that has no colon left.)
      const eol = this.eol;
      i = at;
      for (;;) {
        if (i >= eol) throw bail; // no `:` on the line: not a mapping entry
        if (text.charCodeAt(i) === COLON) {
          const n = i + 1 < eol ? text.charCodeAt(i + 1) : NL;
          if (n === SP || n === NL) break;
        }
        i++;
      }
      let last = i; // offset after the last non-space character of the key
      while (last > at && text.charCodeAt(last - 1) === SP) last--;
      // A comment before the `:` means there is no key on this line.
      for (let h = at + 1; h < last; h++) if (text.charCodeAt(h) === HASH && text.charCodeAt(h - 1) === SP) throw bail;
      if (last - at === 2 && text.startsWith('<<', at)) throw bail;
      // Keys repeat in every document: read through the intern table, no string built for a known key.
      const v = plainAt(text, at, last);
      if (v !== null && typeof v === 'object') throw bail;
      key = typeof v === 'string' ? v : String(v);
    }
    if (key === '__proto__') throw bail;
    this.after = i + 1;
    return key;
  }

  /**
   * The value of a mapping entry (`inSeq` false; `n` is the key's column) or of a sequence
   * entry (`inSeq` true; `n` is the dash's column) that starts at offset `p` of the current line.
   * Leaves the cursor on the next content line.
   */
  value(n: number, p: number, inSeq: boolean): unknown {
    const { text } = this;
    const eol = this.eol;
    let i = p;
    while (i < eol && text.charCodeAt(i) === SP) i++;
    if (i >= eol || (text.charCodeAt(i) === HASH && i > p)) {
      // Nothing on this line: the value is the block node on the next lines, or null.
      this.last = i;
      this.nextContent();
      if (this.atEnd()) return null;
      const at = this.pos + this.ind;
      if (this.ind > n) {
        const c = text.charCodeAt(at);
        // A flow collection or quoted scalar alone on its line (Helm's `toYaml` writes `{}` so).
        if (c === 91 || c === 123 || c === DQ || c === SQ) return this.lineNode(n, at);
        return this.blockNode(this.ind, at);
      }
      if (this.ind === n && !inSeq && this.isDash(at)) return this.sequence(n, at);
      // js-yaml continues a sequence after an empty entry even at a shallower dash (YAML does not).
      if (inSeq && this.ind < n && this.isDash(at)) throw bail;
      return null;
    }
    if (i === p && p < eol) throw bail; // `key:x` or `-x` cannot reach here; be safe
    const c = text.charCodeAt(i);
    switch (c) {
      case 124: // |
      case 62: // >
        return this.blockScalar(n, i);
      case DQ:
      case SQ:
      case 91: // [
      case 123: // {
        return this.lineNode(n, i, inSeq);
      default:
    }
    if (this.isDash(i)) {
      if (!inSeq) throw bail;
      return this.sequence(i - this.pos, i);
    }
    if (!plainStart(c, this.ch(i + 1))) throw bail;
    // A plain scalar, or (in a sequence entry) the first key of a compact mapping.
    let j = i;
    let last = i;
    for (; j < eol; j++) {
      const d = text.charCodeAt(j);
      if (d === COLON) {
        const e = this.ch(j + 1);
        if (e === SP || j + 1 >= eol) {
          if (inSeq) return this.mapping(i - this.pos, i);
          throw bail;
        }
      } else if (d === HASH && text.charCodeAt(j - 1) === SP) break;
      if (d !== SP) last = j + 1;
    }
    this.last = last;
    const comment = j < eol;
    // Continuation lines of a multi-line plain scalar: more indented than `n`, no comment between.
    this.setLine(eol + 1);
    if (comment) {
      this.skipToContent();
      if (!this.atEnd() && this.ind > n) throw bail;
      return plainAt(text, i, last);
    }
    let result: string | undefined;
    let blank = 0;
    while (this.pos < this.end) {
      const s = this.pos + this.ind;
      if (s >= this.eol) {
        blank++;
        this.setLine(this.eol + 1);
        continue;
      }
      if (this.ind <= n || text.charCodeAt(s) === HASH) break;
      // A continuation line: its own text, trimmed; it must not look like a key or hold a comment.
      let k = s;
      let lastc = s;
      for (; k < this.eol; k++) {
        const d = text.charCodeAt(k);
        if (d === COLON && (this.ch(k + 1) === SP || k + 1 >= this.eol)) throw bail;
        if (d === HASH && text.charCodeAt(k - 1) === SP) throw bail;
        if (d !== SP) lastc = k + 1;
      }
      if (text.startsWith('---', this.pos) || text.startsWith('...', this.pos)) throw bail;
      result = (result ?? text.slice(i, last)) + (blank === 0 ? ' ' : '\n'.repeat(blank)) + text.slice(s, lastc);
      this.last = lastc;
      blank = 0;
      this.setLine(this.eol + 1);
    }
    this.skipToContent();
    if (!this.atEnd() && this.ind > n) throw bail;
    // The joined text is resolved too: js-yaml reads "2001-12-14\n  21:59:43" as one timestamp.
    return result === undefined ? plainAt(text, i, last) : resolvePlain(result);
  }

  /**
   * A quoted scalar or flow collection that starts at `at` and ends on the same line (then only
   * a comment may follow). In a sequence entry, a quoted scalar followed by `:` is the first key
   * of a compact mapping. Leaves the cursor on the next content line, which must not be deeper than `n`.
   */
  lineNode(n: number, at: number, inSeq = false): unknown {
    const { text } = this;
    const eol = this.eol;
    const c = text.charCodeAt(at);
    const value = c === DQ || c === SQ ? this.quoted(at) : this.flow(at);
    const after = this.after;
    this.last = after;
    let j = after;
    while (j < eol && text.charCodeAt(j) === SP) j++;
    if (j < eol) {
      const d = text.charCodeAt(j);
      if (d === COLON && inSeq && (c === DQ || c === SQ)) return this.mapping(at - this.pos, at);
      if (d !== HASH || j === after) throw bail;
    }
    this.nextContent();
    if (!this.atEnd() && this.ind > n) throw bail;
    return value;
  }

  /** `|` or `>` block scalar; `n` is the parent's indentation; `at` is the indicator's offset. */
  blockScalar(n: number, at: number): string {
    const { text, end } = this;
    const folding = text.charCodeAt(at) === 62;
    let chomp = 0; // 0 clip, 1 keep, -1 strip
    let i = at + 1;
    for (; i < this.eol; i++) {
      const d = text.charCodeAt(i);
      if (d === 43 || d === DASH) {
        if (chomp !== 0) throw bail;
        chomp = d === 43 ? 1 : -1;
      } else if (d >= 48 && d <= 57) throw bail; // explicit indentation indicator: leave it to js-yaml
      else break;
    }
    if (i < this.eol) {
      if (text.charCodeAt(i) !== SP) throw bail;
      while (i < this.eol && text.charCodeAt(i) === SP) i++;
      if (i < this.eol && text.charCodeAt(i) !== HASH) throw bail;
    }
    let textIndent = n + 1;
    let detected = false;
    let didRead = false;
    let moreIndented = false;
    let empty = 0;
    // Pieces joined once at the end: `+=` over many lines would leave a deep rope of strings in memory.
    const out: string[] = [];
    this.last = this.eol;
    let line = this.eol + 1;
    for (;;) {
      if (line >= end) {
        this.setLine(end);
        break;
      }
      let k = line;
      if (!detected) {
        while (k < end && text.charCodeAt(k) === SP) k++;
        if (k - line > textIndent) textIndent = k - line;
      } else {
        const stop = line + textIndent;
        while (k < stop && k < end && text.charCodeAt(k) === SP) k++;
      }
      const c = k < end ? text.charCodeAt(k) : NL;
      if (c === NL) {
        empty++;
        line = k + 1;
        continue;
      }
      if (k - line < textIndent) {
        this.setLine(line);
        break;
      }
      if (folding) {
        if (c === SP) {
          moreIndented = true;
          out.push('\n'.repeat(didRead ? 1 + empty : empty));
        } else if (moreIndented) {
          moreIndented = false;
          out.push('\n'.repeat(empty + 1));
        } else if (empty === 0) {
          if (didRead) out.push(' ');
        } else out.push('\n'.repeat(empty));
      } else out.push('\n'.repeat(didRead ? 1 + empty : empty));
      didRead = true;
      detected = true;
      empty = 0;
      let nl = text.indexOf('\n', k);
      if (nl === -1 || nl > end) nl = end;
      out.push(text.slice(k, nl));
      this.last = nl;
      line = nl + 1;
    }
    if (chomp === 1) out.push('\n'.repeat(didRead ? 1 + empty : empty));
    else if (chomp === 0 && didRead) out.push('\n');
    this.skipToContent();
    if (!this.atEnd() && this.ind > n) throw bail;
    return out.length === 1 ? out[0]! : out.join('');
  }

  /** A quoted scalar on one line starting at `at`; sets `after` to the offset after its closing quote. */
  quoted(at: number): string {
    const { text } = this;
    const q = text.charCodeAt(at);
    const eol = this.eol;
    let i = at + 1;
    let start = i;
    let value = '';
    for (;;) {
      if (i >= eol) throw bail; // multi-line quoted scalars fold lines: leave them to js-yaml
      const c = text.charCodeAt(i);
      if (c === q) {
        if (q === SQ && text.charCodeAt(i + 1) === SQ && i + 1 < eol) {
          value += text.slice(start, i + 1);
          i += 2;
          start = i;
          continue;
        }
        this.after = i + 1;
        // No escape met: the scalar is one piece of the text (interned like plain scalars).
        return start === at + 1 ? internRange(text, start, i) : value + text.slice(start, i);
      }
      if (c === 92 /* \ */ && q === DQ) {
        value += text.slice(start, i);
        const e = text.charCodeAt(i + 1);
        if (i + 1 >= eol) throw bail;
        const len = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0; // \x \u \U
        if (!len) {
          const simple = ESCAPES[e];
          if (simple === undefined) throw bail;
          value += simple;
        }
        if (len) {
          const hex = text.slice(i + 2, i + 2 + len);
          if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex) || i + 2 + len > eol) throw bail;
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) throw bail;
          value += String.fromCodePoint(cp);
          i += 2 + len;
        } else i += 2;
        start = i;
        continue;
      }
      i++;
    }
  }

  /** A flow collection that opens and closes on the current line. */
  flow(at: number): unknown {
    if (++this.depth > MAX_DEPTH) throw bail;
    const { text } = this;
    const eol = this.eol;
    const seq = text.charCodeAt(at) === 91;
    const close = seq ? 93 : 125;
    let i = at + 1;
    const skip = () => {
      while (i < eol && text.charCodeAt(i) === SP) i++;
    };
    const node = (): unknown => {
      const c = text.charCodeAt(i);
      if (c === 91 || c === 123) {
        const f = this.flow(i);
        i = this.last = this.after;
        return f;
      }
      if (c === DQ || c === SQ) {
        const q = this.quoted(i);
        i = this.last = this.after;
        return q;
      }
      const start = i;
      this.flowPlain(i, (e) => (i = e));
      return plainAt(text, start, this.last);
    };
    skip();
    if (i >= eol) throw bail; // the collection does not close on this line
    let value: unknown;
    if (seq) {
      const out: unknown[] = [];
      const rec: Range[] | null = this.track ? [] : null;
      if (rec) this.track!.set(out, rec);
      if (text.charCodeAt(i) !== close) {
        for (;;) {
          if (i >= eol) throw bail;
          const start = i;
          out.push(node());
          if (rec) rec.push([start, this.last]);
          skip();
          const d = text.charCodeAt(i);
          if (i >= eol) throw bail;
          if (d === close) break;
          if (d !== 44) throw bail;
          i++;
          skip();
        }
      }
      value = rec ? out : exactSize(out);
    } else {
      const out: Record<string, unknown> = {};
      const rec: Map<string, Range> | null = this.track ? new Map() : null;
      if (rec) this.track!.set(out, rec);
      if (text.charCodeAt(i) !== close) {
        for (;;) {
          if (i >= eol) throw bail;
          const start = i;
          const c = text.charCodeAt(i);
          let key: string;
          if (c === DQ || c === SQ) {
            key = this.quoted(i);
            i = this.after;
            skip();
            if (text.charCodeAt(i) !== COLON || i >= eol) throw bail;
            i++;
          } else {
            const from = i;
            this.flowPlain(i, (e) => (i = e), true);
            const raw = text.slice(from, this.last);
            if (raw === '<<' || raw === '__proto__') throw bail;
            const k = resolvePlain(raw);
            if (k !== null && typeof k === 'object') throw bail;
            key = typeof k === 'string' ? k : String(k);
            if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SP || i + 1 >= eol) throw bail;
            i++;
          }
          if (key === '__proto__' || Object.hasOwn(out, key)) throw bail;
          skip();
          if (i >= eol) throw bail;
          const d = text.charCodeAt(i);
          if (d === 44 || d === close) throw bail; // a key without a value: leave it to js-yaml
          out[key] = node();
          if (rec) rec.set(key, [start, this.last]);
          skip();
          const e = text.charCodeAt(i);
          if (i >= eol) throw bail;
          if (e === close) break;
          if (e !== 44) throw bail;
          i++;
          skip();
        }
      }
      value = out;
    }
    this.depth--;
    this.after = i + 1;
    return value;
  }

  /** A plain scalar inside a flow collection: up to `,` `]` `}` (or `:` for a key). */
  flowPlain(at: number, setEnd: (e: number) => void, isKey = false): void {
    const { text } = this;
    const eol = this.eol;
    const c = text.charCodeAt(at);
    const next = this.ch(at + 1);
    if (!plainStart(c, next)) throw bail;
    // `-`, `?` and `:` start a plain scalar in a flow collection only before a safe character.
    if ((c === DASH || c === 63 || c === COLON) && (next === 44 || next === 91 || next === 93 || next === 123 || next === 125)) throw bail;
    let i = at;
    let last = at;
    for (; i < eol; i++) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 93 || d === 125) break;
      if (d === COLON) {
        // As js-yaml: in a flow collection a `:` ends a plain scalar only before a space or a flow indicator.
        const e = this.ch(i + 1);
        if (e === SP || e === 44 || e === 91 || e === 93 || e === 123 || e === 125 || i + 1 >= eol) {
          if (isKey) break;
          throw bail;
        }
      }
      if (d === HASH && text.charCodeAt(i - 1) === SP) throw bail;
      if (d === 91 || d === 123) throw bail;
      if (d !== SP) last = i + 1;
    }
    if (i >= eol || last === at) throw bail;
    setEnd(i);
    this.last = last;
  }
}

/**
 * Reads the document in `text[start, end)` (one segment of `splitDocuments`). Returns its value,
 * exactly as js-yaml `load` would, or `BAIL` when the document leaves the subset. A segment with a
 * hazard (see HAZARD) goes to js-yaml: pass `hazards` (shared by the file's segments) or the
 * segment is scanned here.
 */
export function readFastYaml(text: string, start: number, end: number, hazards: HazardCheck = rangeHazards(text)): unknown {
  if (hazards.in(start, end)) return BAIL;
  if (text.charCodeAt(start) === 0xfeff) return BAIL; // js-yaml drops a BOM only at the start of its input
  const r = new Reader(text, end);
  r.pos = start;
  try {
    return r.document();
  } catch (e) {
    if (e === bail) return BAIL;
    if (e instanceof RangeError) return BAIL; // a stack overflow: js-yaml (guarded) decides
    throw e;
  }
}

/** A document read in positions mode: its value and the ranges of its entries. */
export interface Positions {
  value: unknown;
  root: Range;
  ranges: Map<object, Map<string, Range> | (Range | undefined)[]>;
}

/** Reads the document in positions mode (see `Reader.track`), or BAIL. */
export function readPositions(text: string, start: number, end: number): Positions | typeof BAIL {
  if (hazardIn(text, start, end)) return BAIL;
  const r = new Reader(text, end);
  r.pos = start;
  r.track = new Map();
  try {
    const value = r.document();
    if (value === null || typeof value !== 'object') return BAIL;
    return { value, root: [r.rootStart, r.last], ranges: r.track };
  } catch (e) {
    if (e === bail || e instanceof RangeError) return BAIL;
    throw e;
  }
}

/**
 * The range of the node at `path` (map keys and sequence indexes): for a map entry key and value,
 * for a sequence entry its value. A path that does not exist resolves to its nearest existing
 * parent; `exact` says whether the whole path was found.
 */
export function rangeAt(p: Positions, path: readonly (string | number)[]): { range: Range; exact: boolean } {
  let node: unknown = p.value;
  let range = p.root;
  let found = 0;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') break;
    const rec = p.ranges.get(node);
    if (!rec) break; // a scalar that is an object (a timestamp)
    if (Array.isArray(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.length) break;
      range = (rec as (Range | undefined)[])[seg] ?? range;
      node = node[seg];
    } else {
      const key = String(seg);
      const r = (rec as Map<string, Range>).get(key);
      if (!r) break;
      range = r;
      node = (node as Record<string, unknown>)[key];
    }
    found++;
  }
  return { range, exact: found === path.length };
}
