/**
 * Command-line flags as Kubernetes components read them (pflag): `--name=value`, `--name value`,
 * a bare `--name` (boolean true), in `command` and `args` alike. A shell wrapper
 * (`sh -c "kube-scheduler --port=0 ..."`) is split at whitespace.
 */
import { pushAll } from '../../model/arrays.js';
import type { NodePath } from '../../model/location.js';

export interface Flag {
  name: string;
  value: string;
  /** Path of the element that holds the flag (or its value), relative to the container. */
  path: NodePath;
}

/** Every flag of a container's command + args, in order (a repeated flag appears twice). */
export function containerFlags(container: Record<string, unknown>): Flag[] {
  const out: Flag[] = [];
  for (const field of ['command', 'args'] as const) {
    const list = container[field];
    if (Array.isArray(list)) pushAll(out, flagsOfList(list, [field]));
  }
  return out;
}

export function flagsOfList(list: readonly unknown[], base: NodePath): Flag[] {
  const out: Flag[] = [];
  // Elements split into words (a shell string holds several), each word keeps its element's path.
  const words: { w: string; path: NodePath }[] = [];
  list.forEach((el, i) => {
    if (typeof el !== 'string' && typeof el !== 'number' && typeof el !== 'boolean') return;
    const s = String(el);
    const parts = /\s/.test(s.trim()) && /(^|\s)--?[a-z]/.test(s) ? s.split(/\s+/).filter(Boolean) : [s];
    for (const w of parts) words.push({ w, path: [...base, i] });
  });
  for (let i = 0; i < words.length; i++) {
    const { w, path } = words[i]!;
    const m = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(w);
    if (!m) continue;
    if (m[2] !== undefined) {
      out.push({ name: m[1]!, value: unquote(m[2]), path });
      continue;
    }
    const next = words[i + 1];
    if (next && !next.w.startsWith('-')) {
      out.push({ name: m[1]!, value: unquote(next.w), path: next.path });
      i++;
    } else out.push({ name: m[1]!, value: 'true', path });
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/^(['"])(.*)\1$/, '$2');
}

/** The last occurrence of a flag (pflag: the last one wins for scalar flags). */
export function lastFlag(flags: readonly Flag[], name: string): Flag | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.name === name) return flags[i];
  return undefined;
}

/** `name=value` strings of k3s/RKE2 `*-arg` lists (and kubeadm-ish `--name=value`). */
export function argListFlags(v: unknown, base: NodePath): Flag[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: Flag[] = [];
  list.forEach((el, i) => {
    if (typeof el !== 'string') return;
    const path = Array.isArray(v) ? [...base, i] : base;
    const m = /^-{0,2}([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(el.trim());
    if (m) out.push({ name: m[1]!, value: m[2] === undefined ? 'true' : unquote(m[2]), path });
  });
  return out;
}

/** Is this bind address (an IP, `ip:port` or URL host) loopback-only? */
export function isLoopback(address: string): boolean {
  let host = address.trim();
  const url = /^[a-z]+:\/\/([^/]*)/i.exec(host);
  if (url) host = url[1]!;
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else if (/^[^:]+:\d+$/.test(host)) host = host.slice(0, host.lastIndexOf(':'));
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

/** Port of a URL or `host:port`, if written. */
export function portOf(address: string): number | undefined {
  const m = /:(\d+)(?:\/.*)?$/.exec(address.trim());
  return m ? Number(m[1]) : undefined;
}

export function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v.trim()));
}
