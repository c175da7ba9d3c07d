/**
 * The status report model (`reports/<suite>.md` for a manifest with `report: status`): per source
 * and per architecture, how many cases are exact / differ / are refused against the reference
 * build, and whether the outputs published with each run folder are reproduced by that build.
 * Pure: no I/O, no clock.
 */
import { isExpected, type CaseStatus } from './case-status.ts';
import { gapStillHolds, type KnownGap } from './known-gaps.ts';
import type { Manifest } from './manifest.ts';
import type { StatusRun } from './status-case.ts';

export interface StatusReportInput {
  manifest: Manifest;
  generatedLine: string;
  tolerancesFile: string;
  manifestFile: string;
  gapsFile: string;
  gaps: Map<string, KnownGap>;
  runs: StatusRun[];
}

interface Counts {
  cases: number;
  refRuns: number;
  exact: number;
  differs: number;
  refused: number;
  refRefuses: number;
  sameCause: number;
  otherCause: number;
  runs: number;
  gaps: number;
  unexpected: number;
  publishedReproduced: number;
  publishedDiffers: number;
  publishedUnread: number;
  publishedNotComparable: number;
}

const STATUS_TEXT: Record<CaseStatus, string> = {
  exact: 'exact',
  differs: 'differs',
  refused: 'refused (Timeloop runs it)',
  'refused-same-cause': "refused, Timeloop's cause",
  'refused-other-cause': 'refused, another cause',
  runs: 'runs (Timeloop refuses it)',
};

function emptyCounts(): Counts {
  return {
    cases: 0, refRuns: 0, exact: 0, differs: 0, refused: 0, refRefuses: 0, sameCause: 0, otherCause: 0, runs: 0,
    gaps: 0, unexpected: 0, publishedReproduced: 0, publishedDiffers: 0, publishedUnread: 0, publishedNotComparable: 0,
  };
}

function add(k: Counts, r: StatusRun, gap: boolean): void {
  k.cases++;
  if (r.c.expect === 'exact') k.refRuns++;
  else k.refRefuses++;
  const s = r.verdict.status;
  if (s === 'exact') k.exact++;
  else if (s === 'differs') k.differs++;
  else if (s === 'refused') k.refused++;
  else if (s === 'refused-same-cause') k.sameCause++;
  else if (s === 'refused-other-cause') k.otherCause++;
  else k.runs++;
  if (!isExpected(r.c, r.verdict)) {
    if (gap) k.gaps++;
    else k.unexpected++;
  }
  const p = r.published;
  if (p.kind === 'compared') {
    if (p.outside.length === 0) k.publishedReproduced++;
    else k.publishedDiffers++;
  } else if (p.kind === 'unread') k.publishedUnread++;
  else if (p.kind === 'reference-refuses') k.publishedNotComparable++;
}

function row(name: string, k: Counts) {
  const published =
    [
      k.publishedReproduced ? `${k.publishedReproduced} yes` : '',
      k.publishedDiffers ? `${k.publishedDiffers} no` : '',
      k.publishedUnread ? `${k.publishedUnread} unread` : '',
    ]
      .filter(Boolean)
      .join(', ') || '-';
  return { name, ...k, published };
}

function grouped(runs: StatusRun[], gaps: Map<string, KnownGap>, key: (r: StatusRun) => string) {
  const groups = new Map<string, Counts>();
  const total = emptyCounts();
  for (const r of runs) {
    const name = key(r);
    if (!groups.has(name)) groups.set(name, emptyCounts());
    add(groups.get(name)!, r, gaps.has(r.c.id));
    add(total, r, gaps.has(r.c.id));
  }
  return { rows: [...groups].map(([name, k]) => row(name, k)), total: row('**all**', total) };
}

function publishedText(r: StatusRun): string {
  const p = r.published;
  switch (p.kind) {
    case 'none':
      return 'none published';
    case 'unread':
      return `not read: ${p.error}`;
    case 'reference-refuses':
      return `${p.file} (${p.layout}); public Timeloop refuses, nothing to compare`;
    case 'compared':
      return p.outside.length === 0
        ? `${p.file} (${p.layout}) reproduced by public Timeloop: yes, ${p.compared} fields`
        : `${p.file} (${p.layout}) reproduced by public Timeloop: no, ${p.outside.length} of ${p.compared} fields differ (${p.outside.slice(0, 3).join(', ')}${p.outside.length > 3 ? ', …' : ''})`;
  }
}

function oursText(r: StatusRun): string {
  const v = r.verdict;
  const base = STATUS_TEXT[v.status];
  if (v.status === 'exact') return `${base}, ${v.compared} fields`;
  if (v.status === 'differs') return `${base}: ${v.outside!.length} of ${v.compared} fields (${v.outside!.slice(0, 3).join(', ')}${v.outside!.length > 3 ? ', …' : ''})`;
  if (v.reason) return `${base}: \`${v.reason}\``;
  return base;
}

export function buildStatusReportModel(input: StatusReportInput) {
  const { manifest, runs, gaps } = input;
  const bySource = grouped(runs, gaps, (r) => r.c.source ?? '(none)');
  const byArchitecture = grouped(runs, gaps, (r) => r.c.architecture ?? '(none)');
  const cases = runs.map((r) => {
    const gap = gaps.get(r.c.id);
    const expected = isExpected(r.c, r.verdict);
    const stale = gap ? !gapStillHolds(gap, r.verdict).holds : false;
    return {
      id: r.c.id,
      mark: expected ? (gap ? '!' : '✓') : gap ? '○' : '✗',
      timeloop: r.c.expect === 'exact' ? 'runs' : `refuses (${r.c.cause})`,
      ours: oursText(r),
      gap: gap ? `known gap${stale ? ' (entry out of date)' : ''}: ${gap.why}` : '',
      published: publishedText(r),
    };
  });
  const unexpected = runs.filter((r) => !isExpected(r.c, r.verdict) && !gaps.has(r.c.id)).map((r) => r.c.id);
  const staleGaps = runs.filter((r) => gaps.has(r.c.id) && !gapStillHolds(gaps.get(r.c.id)!, r.verdict).holds).map((r) => gapStillHolds(gaps.get(r.c.id)!, r.verdict).message);
  const causes = Object.values(manifest.refusalCauses).map((cause) => {
    const of = runs.filter((r) => r.c.cause === cause.id);
    return {
      id: cause.id,
      timeloop: cause.timeloop,
      trigger: cause.trigger,
      cases: of.length,
      same: of.filter((r) => r.verdict.status === 'refused-same-cause').length,
    };
  });
  return {
    suite: manifest.suite,
    generatedLine: input.generatedLine,
    tolerancesFile: input.tolerancesFile,
    manifestFile: input.manifestFile,
    gapsFile: input.gapsFile,
    gapCount: gaps.size,
    ok: unexpected.length === 0,
    unexpected,
    staleGaps,
    total: bySource.total,
    bySource: bySource.rows,
    byArchitecture: byArchitecture.rows,
    causes,
    cases,
  };
}

export type StatusReportModel = ReturnType<typeof buildStatusReportModel>;
