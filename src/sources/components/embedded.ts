/**
 * YAML embedded in a string value (the kube-proxy ConfigMap's `config.conf`, kubeadm-config's
 * `ClusterConfiguration`, kubelet-config's `kubelet`): parsed on its own, with positions mapped
 * back into the lines of the block scalar that holds it. When the value is not a literal block
 * scalar whose lines match the text line by line (a quoted string with `\n`, a folded scalar),
 * every position falls back to the key that holds the value.
 */
import { parseDocument, type Node as YamlNode } from 'yaml';
import { load } from 'js-yaml';
import { type ParsedDocument, yamlRangeAt } from '../../parse/document.js';
import type { Location, NodePath } from '../../model/location.js';

export interface Embedded {
  value: unknown;
  locate(path: NodePath): Location;
}

export function parseEmbedded(doc: ParsedDocument, keyPath: NodePath, text: string): Embedded | undefined {
  let value: unknown;
  try {
    value = load(text);
  } catch {
    return undefined;
  }
  const keyLoc = doc.locate(keyPath);
  // A literal block scalar: the value's first line is the line after the key, each line indented.
  const textLines = text.split('\n');
  const first = keyLoc.line + 1;
  let indent = -1;
  let aligned = true;
  for (let i = 0; i < textLines.length; i++) {
    const t = textLines[i]!;
    if (t === '') continue;
    const fileLine = doc.lines.lineText(first + i);
    const at = fileLine.indexOf(t);
    if (at < 0 || fileLine.slice(at) !== t || (indent >= 0 && at !== indent) || fileLine.slice(0, at).trim() !== '') {
      aligned = false;
      break;
    }
    indent = at;
  }
  const header = doc.lines.lineText(keyLoc.line);
  if (!/:\s*\|[-+0-9]*\s*(#.*)?$/.test(header)) aligned = false;
  let tree: YamlNode | null | undefined;
  const locate = (path: NodePath): Location => {
    if (!aligned) return keyLoc;
    tree ??= (parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'silent' }).contents as YamlNode | null) ?? null;
    const { range } = yamlRangeAt(tree, path);
    if (!range) return keyLoc;
    const pos = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, column: before[before.length - 1]!.length };
    };
    const a = pos(range[0]);
    let b = pos(range[1]);
    if (b.column === 0 && b.line > a.line) b = { line: b.line - 1, column: textLines[b.line - 1]!.length };
    return {
      file: keyLoc.file,
      line: first + a.line,
      column: indent + a.column + 1,
      endLine: first + b.line,
      endColumn: indent + b.column + 1,
      ...(keyLoc.template ? { template: keyLoc.template } : {}),
    };
  };
  return { value, locate };
}
