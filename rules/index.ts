/**
 * Every built-in rule, sorted by id. test/meta.test.ts checks that this list equals the files in
 * rules/, and that each rule has its docs page and fixtures.
 */
import type { Rule } from '../src/engine/rule.js';
import { rule as documentSkipped } from './document-skipped.js';
import { rule as endpointsOverwrittenBySelector } from './endpoints-overwritten-by-selector.js';
import { rule as endpointsPortNameMismatch } from './endpoints-port-name-mismatch.js';
import { rule as fileSkipped } from './file-skipped.js';
import { rule as monitorNotSelected } from './monitor-not-selected.js';
import { rule as monitorPortNotFound } from './monitor-port-not-found.js';
import { rule as monitorSelectsNothing } from './monitor-selects-nothing.js';
import { rule as schemePortMismatch } from './scheme-port-mismatch.js';
import { rule as tlsSecretKeyMissing } from './tls-secret-key-missing.js';
import { rule as tlsSecretNotMounted } from './tls-secret-not-mounted.js';
import { rule as yamlDuplicateKey } from './yaml-duplicate-key.js';
import { rule as yamlSyntax } from './yaml-syntax.js';

export const rules: readonly Rule[] = [
  documentSkipped,
  endpointsOverwrittenBySelector,
  endpointsPortNameMismatch,
  fileSkipped,
  monitorNotSelected,
  monitorPortNotFound,
  monitorSelectsNothing,
  schemePortMismatch,
  tlsSecretKeyMissing,
  tlsSecretNotMounted,
  yamlDuplicateKey,
  yamlSyntax,
];
