/**
 * Type checks of values against the chart defaults' types: a string where the chart reads a
 * boolean (`enabled: ture`, `https: "false"`, both true for Go templates), a non-number where a
 * port goes, a map where a list goes and the other way round.
 */
import type { NodePath } from '../../model/location.js';
import { isObj } from '../../model/resource.js';
import { type KeyNode, chartData, distance, existsAt, versionIndex } from './chart.js';

export interface TypeProblem {
  path: NodePath;
  message: string;
  severity: 'error' | 'warning';
}

const TEMPLATED = /\$\{|\{\{|\{%/;

/**
 * Keys whose default has a different type from what the chart needs. arbitraryFSAccessThroughSMs
 * defaults to false, but the CRD field is an object: `{deny: true}` is right, `true` renders an
 * invalid scalar (domain-kps.md, section 2).
 */
const TYPE_OVERRIDE: Record<string, string> = {
  'prometheus.prometheusSpec.arbitraryFSAccessThroughSMs': 'm',
};

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isObj(v)) return 'a map';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}

export function typeProblems(values: unknown, version: string): TypeProblem[] {
  const out: TypeProblem[] = [];
  const idx = versionIndex(version);
  const walk = (v: unknown, node: KeyNode, path: string[]) => {
    if (!isObj(v) || !node.c) return;
    for (const [k, x] of Object.entries(v)) {
      const child = node.c[k];
      if (!child || !existsAt(child, idx) || x === null || x === undefined) continue;
      const here = [...path, k];
      const t = TYPE_OVERRIDE[here.join('.')] ?? child.t;
      if (typeof x === 'string' && TEMPLATED.test(x)) continue;
      if (t === 'b') {
        if (typeof x === 'string') {
          const word = x.trim().toLowerCase();
          const falsy = ['false', 'no', 'off', '0'].includes(word);
          const truthyWord = ['true', 'yes', 'on', '1'].includes(word);
          const nearTrue = !truthyWord && !falsy && distance(word, 'true', 2) <= 2 && word.length >= 3;
          const nearFalse = !truthyWord && !falsy && distance(word, 'false', 2) <= 2 && word.length >= 4;
          if (falsy)
            out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is the string "${x}", not a boolean: Go templates treat every non-empty string as true, so this switch is ON. Write ${word === '0' ? 'false' : 'false'} without quotes.` });
          else if (nearTrue || nearFalse)
            out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is the string "${x}", not a boolean (a typo of ${nearTrue ? 'true' : 'false'}?): Go templates treat every non-empty string as true, so the chart renders it as on${nearFalse ? ', the opposite of what was meant' : ''}. Write ${nearTrue ? 'true' : 'false'}.` });
          else
            out.push({ path: here, severity: 'warning', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a boolean; Go templates treat any non-empty string as true. Write true or false without quotes.` });
        } else if (typeof x !== 'boolean') {
          out.push({ path: here, severity: 'warning', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a boolean.` });
        }
      } else if (t === 'n') {
        if (typeof x === 'string') {
          if (/^\s*\d+\s*$/.test(x)) out.push({ path: here, severity: 'warning', message: `"${here.join('.')}" is the string "${x}" where the chart expects a number; it happens to render, but write it without quotes.` });
          else out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a number: the rendered object gets an invalid value.` });
        } else if (typeof x !== 'number') out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a number.` });
      } else if (t === 'l') {
        if (isObj(x)) out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is a map where the chart expects a list: the template renders the map where Kubernetes or Prometheus wants a list, and the object is rejected or the value ignored. Write it as a list ("- " items).` });
        else if (typeof x !== 'object') out.push({ path: here, severity: 'warning', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a list.` });
      } else if (t === 'm' && TYPE_OVERRIDE[here.join('.')] && typeof x === 'boolean') {
        if (x) out.push({ path: here, severity: 'error', message: `"${here.join('.')}" must be a map ({deny: true}): the Prometheus field is an object, so true renders an invalid value the API server rejects.` });
      } else if (t === 'm' || t === 'e' || t === 'me' || t === 'em') {
        if (Array.isArray(x)) out.push({ path: here, severity: 'error', message: `"${here.join('.')}" is a list where the chart expects a map: Helm cannot merge it with the default ("cannot overwrite table with non table").` });
        else if (!isObj(x)) out.push({ path: here, severity: 'warning', message: `"${here.join('.')}" is ${describe(x)} where the chart expects a map: Helm keeps the default map and warns "destination for ${here.join('.')} is a table".` });
        else if (t === 'm') walk(x, child, here);
      }
    }
  };
  walk(values, chartData().tree, []);
  // <component>.endpoints become Endpoints addresses, which must be IP literals.
  if (isObj(values)) {
    for (const c of ['kubeEtcd', 'kubeScheduler', 'kubeControllerManager', 'kubeProxy']) {
      const list = isObj(values[c]) ? values[c].endpoints : undefined;
      if (!Array.isArray(list)) continue;
      list.forEach((e, i) => {
        if (typeof e !== 'string' || TEMPLATED.test(e) || isIP(e)) return;
        out.push({
          path: [c, 'endpoints', i],
          severity: 'error',
          message:
            `"${c}.endpoints" lists "${e}", which is not an IP address: the chart writes each entry as an Endpoints address ip, ` +
            'and the API server rejects the object ("must be a valid IP address"). List the node IPs instead.',
        });
      });
    }
  }
  return out;
}

function isIP(s: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
  return v4.test(s) || (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':'));
}
