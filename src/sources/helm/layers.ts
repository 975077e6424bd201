/**
 * A values layer: one values map as written somewhere (a values file, a key of an umbrella
 * chart's values, a HelmRelease's spec.values, a string inside a ConfigMap or an Argo CD
 * Application), and how to find a values path in it.
 */
import { parseDocument, type Node as YamlNode } from 'yaml';
import { type ParsedDocument, yamlRangeAt } from '../../parse/document.js';
import { LineIndex, type Location, type NodePath } from '../../model/location.js';
import { type Obj, isObj } from '../../model/resource.js';

export interface ValuesLayer {
  value: Obj;
  file: string;
  /** How messages name the layer: "values.yaml", "HelmRelease monitoring/kps spec.values". */
  label: string;
  /** The values document this layer lives in (for suppressions and the HelmValues resource). */
  doc: ParsedDocument;
  /** Location of a values path; `exact` is false when only a parent was found. */
  locateExact(path: NodePath): { location: Location; exact: boolean };
}

/** A values map written directly in a document, at `base` (e.g. ['spec','values'] or ['kube-prometheus-stack']). */
export function documentLayer(doc: ParsedDocument, base: NodePath, value: Obj, label: string): ValuesLayer {
  return {
    value,
    file: doc.file.path,
    label,
    doc,
    locateExact: (path) => {
      const r = doc.locateExact([...base, ...path]);
      return { location: r.location, exact: r.exact };
    },
  };
}

/**
 * A values map written as a YAML string inside a document (ConfigMap data, Argo CD `helm.values`).
 * Positions of a block scalar are mapped back to the file; a quoted string maps to its key's line.
 */
export function stringLayer(doc: ParsedDocument, at: NodePath, text: string, value: Obj, label: string): ValuesLayer {
  const keyLoc = doc.locateExact(at).location;
  let inner: { contents: YamlNode | null; lines: LineIndex } | null | undefined;
  const tree = () => {
    if (inner !== undefined) return inner;
    try {
      const d = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'silent' });
      inner = { contents: (d.contents as YamlNode | null) ?? null, lines: new LineIndex(text) };
    } catch {
      inner = null;
    }
    return inner;
  };
  // A block scalar's content starts on the line after its key, indented.
  const block = keyLoc.endLine > keyLoc.line;
  const firstLine = keyLoc.line + 1;
  const indent = block ? /^\s*/.exec(doc.lines.lineText(firstLine))![0].length : 0;
  const lastLine = keyLoc.endLine;
  return {
    value,
    file: doc.file.path,
    label,
    doc,
    locateExact: (path) => {
      const t = tree();
      if (!block || !t || !t.contents) return { location: keyLoc, exact: path.length === 0 };
      const { range, found } = yamlRangeAt(t.contents, path);
      if (!range) return { location: keyLoc, exact: path.length === 0 };
      const a = t.lines.position(range[0]);
      let endOff = range[1];
      while (endOff > range[0] && /\s/.test(text[endOff - 1] ?? '')) endOff--;
      const b = t.lines.position(Math.max(endOff, range[0] + 1));
      const line = Math.min(firstLine + a.line - 1, lastLine);
      const endLine = Math.min(Math.max(firstLine + b.line - 1, line), lastLine);
      const location: Location = {
        file: doc.file.path,
        line,
        column: a.column + indent,
        endLine,
        endColumn: endLine === line ? Math.max(b.column + indent, a.column + indent + 1) : b.column + indent,
      };
      return { location, exact: found === path.length };
    },
  };
}

/** Reads a values path from a plain object (maps only; list indexes too). */
export function getPath(v: unknown, path: NodePath): unknown {
  let cur: unknown = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObj(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

/** Does the layer write this path (a key that is present, even with a null value)? */
export function hasPath(v: unknown, path: NodePath): boolean {
  let cur: unknown = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') {
      if (seg >= cur.length) return false;
      cur = cur[seg];
    } else if (isObj(cur) && Object.prototype.hasOwnProperty.call(cur, String(seg))) cur = cur[String(seg)];
    else return false;
  }
  return true;
}
