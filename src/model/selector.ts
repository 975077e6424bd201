/** Kubernetes label selectors (metav1.LabelSelector) and their semantics. */

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type SelectorVerdict = { valid: true } | { valid: false; reason: string };

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** One shared verdict for the common case (selectors are checked for every object they are matched against). */
const VALID: SelectorVerdict = Object.freeze({ valid: true });

/** Validates a selector the way `metav1.LabelSelectorAsSelector` does. */
export function validateSelector(sel: unknown): SelectorVerdict {
  if (sel === null || sel === undefined) return VALID;
  if (typeof sel !== 'object' || Array.isArray(sel)) return { valid: false, reason: 'selector is not a mapping' };
  const s = sel as LabelSelector;
  if (s.matchLabels !== undefined && (typeof s.matchLabels !== 'object' || s.matchLabels === null || Array.isArray(s.matchLabels)))
    return { valid: false, reason: 'matchLabels is not a mapping' };
  if (s.matchExpressions !== undefined) {
    if (!Array.isArray(s.matchExpressions)) return { valid: false, reason: 'matchExpressions is not a list' };
    for (const req of s.matchExpressions) {
      if (!req || typeof req !== 'object') return { valid: false, reason: 'a matchExpressions entry is not a mapping' };
      if (typeof req.key !== 'string' || req.key === '') return { valid: false, reason: 'a matchExpressions entry has no key' };
      if (req.values !== undefined && !Array.isArray(req.values)) return { valid: false, reason: `values of "${req.key}" is not a list` };
      if (typeof req.operator !== 'string' || req.operator === '') return { valid: false, reason: `the matchExpressions entry for "${req.key}" has no operator` };
      if (!OPERATORS.has(req.operator)) return { valid: false, reason: `"${req.operator}" is not a valid label selector operator` };
      const hasValues = Array.isArray(req.values) && req.values.length > 0;
      if ((req.operator === 'In' || req.operator === 'NotIn') && !hasValues)
        return { valid: false, reason: `values set can't be empty for '${req.operator.toLowerCase()}' operator` };
      if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && hasValues)
        return { valid: false, reason: `values set must be empty for '${req.operator.toLowerCase()}' operator` };
    }
  }
  return VALID;
}

/** matchLabels as strings (YAML may give numbers or booleans; Kubernetes would reject those). */
export function matchLabelsOf(sel: LabelSelector | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const ml = sel?.matchLabels;
  if (ml && typeof ml === 'object') for (const [k, v] of Object.entries(ml)) out[k] = String(v);
  return out;
}

/**
 * Does a selector match these labels? `undefined`/`null` selectors are the caller's business
 * (nil means "nothing" at some places and "own namespace" at others); `{}` matches everything.
 * Invalid selectors match nothing.
 */
export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  if (!validateSelector(sel).valid) return false;
  // matchLabelsOf without its copy: this runs for every candidate of every selector.
  const ml = sel.matchLabels;
  if (ml && typeof ml === 'object') for (const k of Object.keys(ml)) if (labels[k] !== String(ml[k])) return false;
  for (const req of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const vals = (req.values ?? []).map(String);
    switch (req.operator) {
      case 'In':
        if (!has || !vals.includes(labels[req.key]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[req.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Plain map selectors (Service `spec.selector`): every pair must match. */
export function mapSelectorMatches(sel: Record<string, unknown>, labels: Labels): boolean {
  for (const k of Object.keys(sel)) if (labels[k] !== String(sel[k])) return false;
  return true;
}

/** What a selector requires that these labels lack, in words (for messages). */
export function explainMismatch(sel: LabelSelector, labels: Labels): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(matchLabelsOf(sel))) {
    if (labels[k] === undefined) out.push(`the label \`${k}: ${v}\``);
    else if (labels[k] !== v) out.push(`\`${k}: ${v}\` (it has \`${k}: ${labels[k]}\`)`);
  }
  for (const req of sel.matchExpressions ?? []) {
    const one = { matchExpressions: [req] };
    if (!selectorMatches(one, labels)) {
      const vals = (req.values ?? []).join(', ');
      out.push(`\`${req.key} ${req.operator}${vals ? ` [${vals}]` : ''}\``);
    }
  }
  return out;
}

/** Render a selector compactly for messages: `{release: kps, app In [a, b]}`. */
export function formatSelector(sel: unknown): string {
  if (sel === undefined || sel === null) return 'nil';
  const s = sel as LabelSelector;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(matchLabelsOf(s))) parts.push(`${k}: ${v}`);
  for (const req of s.matchExpressions ?? []) {
    const vals = (req.values ?? []).join(', ');
    parts.push(`${req.key} ${req.operator}${vals ? ` [${vals}]` : ''}`);
  }
  return `{${parts.join(', ')}}`;
}

export function isEmptySelector(sel: unknown): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const s = sel as LabelSelector;
  const ml = s.matchLabels;
  if (ml && typeof ml === 'object') for (const _ in ml) if (Object.hasOwn(ml, _)) return false;
  return (s.matchExpressions ?? []).length === 0;
}
