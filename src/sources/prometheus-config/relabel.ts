/**
 * Prometheus relabeling (model/relabel/relabel.go) over label sets whose values may be unknown:
 * a rule that reads an unknown label makes the outcome unknown, never "dropped".
 */
export interface RelabelRule {
  index: number;
  action: string;
  sourceLabels: string[];
  separator: string;
  regex: string;
  targetLabel?: string;
  replacement: string;
}

/** A label set: `undefined` values are unknown (a pod IP, a generated name). */
export type Labels = Map<string, string | undefined>;

export interface RelabelOutcome {
  /** kept: survived every rule; dropped: a keep/drop rule removed it; unknown: a rule read an unknown value. */
  result: 'kept' | 'dropped' | 'unknown';
  labels: Labels;
  /** The rule that dropped the target, and the value it compared. */
  droppedBy?: RelabelRule;
  compared?: string;
}

/** Compiled regexes by source (neither global nor sticky: test and exec keep no state between calls). */
const compiled = new Map<string, RegExp | null>();

/** compileRegex, once per regex: a job relabels every discovered target with the same rules. */
function cachedRegex(re: string): RegExp | undefined {
  let hit = compiled.get(re);
  if (hit === undefined) {
    if (compiled.size >= 10_000) compiled.clear(); // bounded across runs of a long-lived process
    compiled.set(re, (hit = compileRegex(re) ?? null));
  }
  return hit ?? undefined;
}

/** Go RE2 syntax -> a JavaScript RegExp, fully anchored as Prometheus does; undefined when it does not translate. */
export function compileRegex(re: string): RegExp | undefined {
  let src = re;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    if (/U/.test(m[1]!)) return undefined;
    flags = [...new Set(m[1]!.replace(/U/g, ''))].join('');
    src = src.slice(m[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$');
  // Inline flags mid-pattern, Unicode classes, POSIX classes and \Q..\E mean something else (or nothing) in JavaScript.
  if (/\(\?[a-zA-Z]/.test(src) || /\\[pPQE]/.test(src) || /\[\[:/.test(src) || /\\[AzC]/.test(src)) return undefined;
  try {
    return new RegExp(`^(?:${src})$`, flags);
  } catch {
    return undefined;
  }
}

/** Expands $1, ${1}, $name, ${name} as Go's Regexp.Expand does. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))|\$\$/g, (all, braced: string | undefined, bare: string | undefined) => {
    if (all === '$$') return '$';
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function normalizeRule(r: Record<string, unknown>, index: number, camel: boolean): RelabelRule {
  const get = (snake: string, camelName: string) => (camel ? r[camelName] ?? r[snake] : r[snake] ?? r[camelName]);
  const src = get('source_labels', 'sourceLabels');
  const target = get('target_label', 'targetLabel');
  return {
    index,
    action: typeof r.action === 'string' ? r.action.toLowerCase() : 'replace',
    sourceLabels: Array.isArray(src) ? src.map((l) => (typeof l === 'string' ? l : '<invalid>')) : [],
    separator: typeof r.separator === 'string' ? r.separator : ';',
    regex: typeof r.regex === 'string' ? r.regex : r.regex === undefined ? '(.*)' : String(r.regex),
    ...(typeof target === 'string' ? { targetLabel: target } : {}),
    replacement: typeof r.replacement === 'string' ? r.replacement : '$1',
  };
}

/** Applies the rules in order. `compile` failures make the outcome unknown. */
export function relabel(input: Labels, rules: readonly RelabelRule[]): RelabelOutcome {
  // Copied on the first change: a target that a keep or drop rule removes first shares its
  // discovery labels (jobs that discover thousands of objects drop most of them that way).
  let labels: Labels = input;
  let own = false;
  const mut = (): Labels => {
    if (!own) {
      labels = new Map(labels);
      own = true;
    }
    return labels;
  };
  for (const rule of rules) {
    const re = cachedRegex(rule.regex);
    // A source label that is not a label name: Prometheus refuses the configuration; nothing to predict.
    if (!re || !rule.sourceLabels.every((l) => LABEL_NAME.test(l))) return { result: 'unknown', labels };
    const known = rule.sourceLabels.every((l) => (labels.has(l) ? labels.get(l) !== undefined : isKnownAbsent(l) && !unknownByPrefix(labels, l)));
    const value = rule.sourceLabels.map((l) => labels.get(l) ?? '').join(rule.separator);
    switch (rule.action) {
      case 'keep':
      case 'drop': {
        if (!known) return { result: 'unknown', labels };
        const hit = re.test(value);
        if ((rule.action === 'keep') !== hit) return { result: 'dropped', labels, droppedBy: rule, compared: value };
        break;
      }
      case 'keepequal':
      case 'dropequal': {
        const other = rule.targetLabel ? labels.get(rule.targetLabel) : '';
        if (!known || other === undefined) return { result: 'unknown', labels };
        if ((rule.action === 'keepequal') !== (value === (other ?? ''))) return { result: 'dropped', labels, droppedBy: rule, compared: value };
        break;
      }
      case 'replace': {
        if (!rule.targetLabel) break;
        if (!known) {
          mut().set(rule.targetLabel, undefined);
          break;
        }
        const m = re.exec(value);
        if (!m) break;
        const target = expand(rule.targetLabel, m);
        const res = expand(rule.replacement, m);
        if (res === '') mut().delete(target);
        else mut().set(target, res);
        break;
      }
      case 'lowercase':
      case 'uppercase':
        if (rule.targetLabel) mut().set(rule.targetLabel, known ? (rule.action === 'lowercase' ? value.toLowerCase() : value.toUpperCase()) : undefined);
        break;
      case 'hashmod':
        if (rule.targetLabel) mut().set(rule.targetLabel, undefined);
        break;
      case 'labelmap': {
        for (const [name, v] of [...labels]) {
          const m = re.exec(name);
          if (m) mut().set(expand(rule.replacement, m), v);
        }
        break;
      }
      case 'labeldrop':
      case 'labelkeep':
        for (const name of [...labels.keys()]) if (re.test(name) === (rule.action === 'labeldrop')) mut().delete(name);
        break;
      default:
        return { result: 'unknown', labels };
    }
  }
  return { result: 'kept', labels };
}

/** Marks every label starting with `prefix` as unknown (pods the scope does not show). */
export function markUnknownPrefix(labels: Labels, prefix: string): void {
  labels.set(`${UNKNOWN_PREFIX}${prefix}`, '');
}

const UNKNOWN_PREFIX = '\u0000unknown:';

function unknownByPrefix(labels: Labels, name: string): boolean {
  for (const k of labels.keys()) if (k.startsWith(UNKNOWN_PREFIX) && name.startsWith(k.slice(UNKNOWN_PREFIX.length))) return true;
  return false;
}

/** Visible labels (without the unknown-prefix markers). */
export function visible(labels: Labels): [string, string | undefined][] {
  return [...labels].filter(([k]) => !k.startsWith(UNKNOWN_PREFIX));
}

/**
 * Labels whose absence is known to mean "": object labels and annotations (the scope holds the
 * whole object), and anything that is not discovery metadata. Other `__meta_*` names that a
 * target lacks are values only the cluster knows (pod names, IPs, node names).
 */
export function isKnownAbsent(name: string): boolean {
  if (!name.startsWith('__meta_')) return true;
  return /^__meta_kubernetes_[a-z]+_(label|labelpresent|annotation|annotationpresent)_/.test(name);
}
