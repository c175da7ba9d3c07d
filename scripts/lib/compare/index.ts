export { compareResults, formatDiscrepancy, summaryLine, type Comparison, type Discrepancy } from './compare.ts';
export { flatten, valueAt, type Leaf } from './flatten.ts';
export {
  compilePattern,
  loadTolerances,
  parseTolerances,
  ruleFor,
  withinRule,
  withinTolerance,
  type ToleranceKind,
  type ToleranceRule,
  type Tolerances,
} from './tolerances.ts';
