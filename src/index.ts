/**
 * The public API: the pipeline as one function, the rule contract, the built-in rules and the
 * formatters. Everything the CLI does is available from here.
 */
export { lint, type LintOptions, type LintResult } from './lint.js';
export type { Rule, RuleContext, Category } from './engine/rule.js';
export { docsUrl } from './engine/rule.js';
export type { Finding, Report, Severity, RelatedLocation } from './model/finding.js';
export type { Location, NodePath, SourceFile } from './model/location.js';
export type { Resource } from './model/resource.js';
export { ResourceGraph } from './model/graph.js';
export { TargetModel } from './targets/model.js';
export { loadConfig, type Config } from './config/config.js';
export { formatText } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export { formatGithub } from './report/github.js';
export { rules } from '../rules/index.js';
export { VERSION } from './version.js';
