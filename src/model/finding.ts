import type { Location } from './location.js';

export type Severity = 'error' | 'warning' | 'note';
export const SEVERITY_RANK: Record<Severity | 'none', number> = { note: 1, warning: 2, error: 3, none: 4 };

export interface RelatedLocation {
  at: Location;
  message: string;
}

/** What a rule (or the loader/parser) reports. */
export interface Report {
  message: string;
  at: Location;
  related?: RelatedLocation[];
  /**
   * Lower the severity of this one finding below the rule's level, when the evidence is weaker
   * than the rule's usual case (never raise it).
   */
  severity?: Severity;
}

/** An in-source suppression that silenced a finding (SARIF `suppressions`, kind inSource). */
export interface Suppression {
  kind: 'inSource';
  justification: string;
  /** Where the suppression is written. */
  at: Location;
}

/** A report that went through the engine: it has its rule and its final severity. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  at: Location;
  related: RelatedLocation[];
  /** Set when a comment or annotation silences the finding: it is reported, but never fails the run. */
  suppression?: Suppression;
  /** With --baseline: `unchanged` findings were known before and never fail the run. */
  baselineState?: 'new' | 'unchanged';
  /** Stable identity across unrelated edits (rule, file, message, offending line's text). */
  fingerprint?: string;
}

/** A finding produced before rules run (loading and parsing). */
export interface InputProblem extends Report {
  ruleId: string;
}
