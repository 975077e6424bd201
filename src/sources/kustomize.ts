import path from 'node:path';
import type { ParsedDocument } from '../parse/document.js';
import { isObj } from '../model/resource.js';

/**
 * Files a kustomization uses as patches (`patchesStrategicMerge`, `patches[].path`,
 * `patchesJson6902[].path`), relative to the lint root. Their documents are partial objects that
 * `kustomize build` merges into others, so they are not linted as objects of their own.
 */
export function kustomizePatchFiles(documents: readonly ParsedDocument[]): Set<string> {
  const out = new Set<string>();
  for (const doc of documents) {
    const v = doc.value;
    if (!isObj(v) || v.kind !== 'Kustomization' && !/(^|\/)kustomization\.ya?ml$/.test(doc.file.path)) continue;
    if (!isObj(v)) continue;
    const dir = path.posix.dirname(doc.file.path);
    const add = (p: unknown) => {
      if (typeof p !== 'string' || p.includes('\n') || /^[a-z]+:\/\//.test(p)) return; // inline patches and URLs
      out.add(path.posix.normalize(path.posix.join(dir, p.replace(/\\/g, '/'))));
    };
    for (const p of Array.isArray(v.patchesStrategicMerge) ? v.patchesStrategicMerge : []) add(p);
    for (const field of ['patches', 'patchesJson6902']) {
      for (const p of Array.isArray(v[field]) ? v[field] : []) if (isObj(p)) add(p.path);
    }
  }
  return out;
}

/**
 * kustomize's namespace transformer, for objects that do not write a namespace: each file listed
 * (directly, or through the directories and kustomizations it lists) by a kustomization with a
 * `namespace:` gets that namespace; an outer kustomization wins over an inner one, as in a build.
 * Objects that write their own namespace are left alone (kustomize would override them too; that
 * is a build, not a reading, and is not guessed here).
 */
export function kustomizeNamespaces(documents: readonly ParsedDocument[]): Map<string, string> {
  const kustomizations = new Map<string, { namespace?: string; resources: string[] }>();
  for (const doc of documents) {
    const v = doc.value;
    if (!isObj(v) || !/(^|\/)kustomization\.ya?ml$/.test(doc.file.path)) continue;
    const dir = path.posix.dirname(doc.file.path);
    const resources = [...(Array.isArray(v.resources) ? v.resources : []), ...(Array.isArray(v.bases) ? v.bases : []), ...(Array.isArray(v.components) ? v.components : [])]
      .filter((r): r is string => typeof r === 'string' && !/^[a-z]+:\/\//.test(r))
      .map((r) => path.posix.normalize(path.posix.join(dir, r.replace(/\\/g, '/'))));
    kustomizations.set(dir, { ...(typeof v.namespace === 'string' && v.namespace ? { namespace: v.namespace } : {}), resources });
  }
  if (kustomizations.size === 0) return new Map();
  const files = new Set(documents.map((d) => d.file.path));
  // Files each kustomization includes, transitively.
  const memo = new Map<string, Set<string>>();
  const includes = (dir: string, stack: Set<string>): Set<string> => {
    const cached = memo.get(dir);
    if (cached) return cached;
    const out = new Set<string>();
    if (stack.has(dir)) return out;
    stack.add(dir);
    for (const r of kustomizations.get(dir)?.resources ?? []) {
      if (kustomizations.has(r)) for (const f of includes(r, stack)) out.add(f);
      else if (files.has(r)) out.add(r);
    }
    stack.delete(dir);
    memo.set(dir, out);
    return out;
  };
  const result = new Map<string, string>();
  const depth = new Map<string, number>(); // how many kustomizations include this one (0 = outermost)
  for (const dir of kustomizations.keys()) depth.set(dir, 0);
  for (const [dir, k] of kustomizations) for (const r of k.resources) if (kustomizations.has(r)) depth.set(r, (depth.get(r) ?? 0) + 1);
  const order = [...kustomizations.keys()].sort((a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0)); // inner first, outer last wins
  for (const dir of order) {
    const ns = kustomizations.get(dir)!.namespace;
    if (!ns) continue;
    for (const f of includes(dir, new Set())) result.set(f, ns);
  }
  return result;
}
