/**
 * The rule contract: the only engine module rules import.
 * A rule is a plain object: metadata next to its `check(ctx)`.
 */
import type { ResourceGraph } from '../model/graph.js';
import type { Report, Severity } from '../model/finding.js';
import type { TargetModel } from '../targets/model.js';
import { VERSION } from '../version.js';

export type { Report, Severity, RelatedLocation } from '../model/finding.js';
export type { Location, NodePath } from '../model/location.js';
export type { Resource, Obj } from '../model/resource.js';

export type Category = 'syntax' | 'input' | 'selection' | 'endpoints' | 'tls' | 'scheme' | 'helm' | 'control-plane' | 'prometheus-config';

export interface RuleContext {
  graph: ResourceGraph;
  targets: TargetModel;
  /** This rule's options (from configuration), frozen. */
  options: Readonly<Record<string, unknown>>;
  report(report: Report): void;
}

export interface Rule {
  /** kebab-case, stable, equal to the file name in rules/. */
  id: string;
  /** One line: SARIF shortDescription. */
  title: string;
  category: Category;
  severity: Severity;
  /** Why the rule exists, in a few sentences: SARIF fullDescription. */
  rationale: string;
  /** URL of the rule's page (docs/rules/<id>.md), pinned to the release. */
  docs: string;
  tags: string[];
  /** How sure a finding is (SARIF `precision`). */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /**
   * Rules whose findings are produced by the loader or parser (yaml-syntax, file-skipped)
   * have no check of their own.
   */
  check(ctx: RuleContext): void;
}

export const REPOSITORY = 'https://github.com/scrapelint/scrapelint';

/** The page of a rule, pinned to this release's tag so old versions link to their own docs. */
export function docsUrl(id: string): string {
  return `${REPOSITORY}/blob/v${VERSION}/docs/rules/${id}.md`;
}
