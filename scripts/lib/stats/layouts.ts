/**
 * The stats layouts Timeloop builds have printed. A layout is a set of features (which labels a
 * section uses, which lines it prints); the parser reads every section strictly as its layout's
 * features say. Features are detected from the text; the combination must be a known layout, else
 * the file is refused (`stats-parse`, positioned) instead of being read by a layout it is not.
 *
 * Adding a layout: give any new feature a detector and the parser a branch on it, then add the
 * layout's row to LAYOUTS.
 */
import { SparsegaugeError } from '../../../engine/errors.ts';
import type { StatsFormat } from '../../../engine/result/schema.ts';

export interface LayoutFeatures {
  /** Arithmetic level's per-compute energy: `Compute energy`, or `Energy-per-op` (2019-2021 builds). */
  computeEnergyLabel: 'Compute energy' | 'Energy-per-op';
  /**
   * Arithmetic STATS: `sparse` (Utilized instances (max)/(average), algorithmic/actual/gated/skipped),
   * `sparse-no-average` (plain Utilized instances, then the four compute counts), `dense`
   * (Utilized instances, Computes (total)), `dense-no-computes` (2020: no compute count).
   */
  arithmeticStats: 'sparse' | 'sparse-no-average' | 'dense' | 'dense-no-computes';
  /** Storage SPECS: `sparse` (Data storage size, Metadata storage width/depth), `sparse-metadata-size` (early 2021: Metadata storage size/word bits/block size), `dense` (Size). */
  storageSpecs: 'sparse' | 'sparse-metadata-size' | 'dense';
  /** Storage SPECS print `Shared bandwidth`. */
  sharedBandwidthSpec: boolean;
  /**
   * Per-tensor STATS: `sparse`; `sparse-no-average` (2021: no Utilized instances (average), a bare
   * `Max utilized Repr format storage capacity` for no format); `sparse-metadata` (early 2021:
   * Metadata format, metadata action counts, (de)compression counts); `dense`.
   */
  tensorStats: 'sparse' | 'sparse-no-average' | 'sparse-metadata' | 'dense';
  /** Per-tensor bandwidths: `Average ... (per-instance)` with breakdowns, plain per-instance with breakdowns, or without; with or without a shared bandwidth. */
  bandwidth: 'sparse' | 'breakdown-no-shared' | 'dense' | 'dense-no-shared';
  /** Ingress histogram lines `@multicast m @scatter s: n` (else `@multicast m: n`). */
  scatterHistogram: boolean;
  /** `Total topology energy/area`, `Max topology cycles` after the networks (2020-2021). */
  topologyTotals: boolean;
  operationalIntensity: boolean;
  /** Summary prints `GFLOPs (@1GHz)` and `EDP(J*cycle)`. */
  summaryGflopsEdp: boolean;
  /** Summary compute lines: `Computes = N` / `pJ/Compute`, or `MACCs = N` / `pJ/MACC` (2020). */
  computesLabel: 'Computes' | 'MACCs';
  /**
   * Timeloop v3 (master, 2023-2025; layout-v3.ts): storage SPECS print leakage lines (and the dense
   * layout each energy's source), levels and networks without accesses may be left out, no loop
   * nests, units in the summary change. Detected by the leakage lines.
   */
  energySourceAndLeakage: boolean;
}

export interface StatsLayout extends LayoutFeatures {
  id: string;
  description: string;
  /** The schema flavour the layout's tensors fill. */
  format: StatsFormat;
}

const CURRENT_TAIL = { energySourceAndLeakage: false, scatterHistogram: true, topologyTotals: false, operationalIntensity: true, summaryGflopsEdp: true, computesLabel: 'Computes' } as const;
const OLD_TAIL = { energySourceAndLeakage: false, topologyTotals: true, operationalIntensity: false, summaryGflopsEdp: false, computesLabel: 'Computes' } as const;

export const LAYOUTS: readonly StatsLayout[] = [
  {
    id: 'sparseloop',
    description: 'Sparseloop layout of public Timeloop @ 0424956 (2022) and the MICRO\'22 artifact build',
    format: 'sparseloop',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'sparse',
    storageSpecs: 'sparse',
    sharedBandwidthSpec: true,
    tensorStats: 'sparse',
    bandwidth: 'sparse',
    ...CURRENT_TAIL,
  },
  {
    id: 'timeloop-dense',
    description: 'dense layout of public Timeloop @ 0424956 (2022) and the MICRO\'22 artifact build',
    format: 'timeloop-dense',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'dense',
    storageSpecs: 'dense',
    sharedBandwidthSpec: true,
    tensorStats: 'dense',
    bandwidth: 'dense',
    ...CURRENT_TAIL,
  },
  {
    id: 'timeloop-2020',
    description: '2019-2020 dense layout (`Energy-per-op`, no shared bandwidth, `MACCs`)',
    format: 'timeloop-dense',
    computeEnergyLabel: 'Energy-per-op',
    arithmeticStats: 'dense-no-computes',
    storageSpecs: 'dense',
    sharedBandwidthSpec: false,
    tensorStats: 'dense',
    bandwidth: 'dense-no-shared',
    scatterHistogram: false,
    ...OLD_TAIL,
    computesLabel: 'MACCs',
  },
  {
    id: 'sparseloop-2021-dense',
    description: '2021 Sparseloop build on a dense problem (`Energy-per-op`, sparse storage specs, dense tensor stats)',
    format: 'timeloop-dense',
    computeEnergyLabel: 'Energy-per-op',
    arithmeticStats: 'dense',
    storageSpecs: 'sparse',
    sharedBandwidthSpec: false,
    tensorStats: 'dense',
    bandwidth: 'dense-no-shared',
    scatterHistogram: true,
    ...OLD_TAIL,
  },
  {
    id: 'sparseloop-2021',
    description: '2021 Sparseloop layout (no average utilized instances per tensor, no shared bandwidth)',
    format: 'sparseloop',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'sparse',
    storageSpecs: 'sparse',
    sharedBandwidthSpec: false,
    tensorStats: 'sparse-no-average',
    bandwidth: 'breakdown-no-shared',
    scatterHistogram: true,
    ...OLD_TAIL,
  },
  {
    id: 'sparseloop-2021-metadata',
    description: 'early 2021 Sparseloop layout (`Metadata format`, metadata action counts)',
    format: 'sparseloop',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'sparse-no-average',
    storageSpecs: 'sparse-metadata-size',
    sharedBandwidthSpec: false,
    tensorStats: 'sparse-metadata',
    bandwidth: 'dense-no-shared',
    scatterHistogram: false,
    ...OLD_TAIL,
  },
  {
    id: 'timeloop-v3',
    description: 'Sparseloop layout of Timeloop v3 (NVlabs/timeloop master, 2023-2025)',
    format: 'sparseloop',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'sparse',
    storageSpecs: 'sparse',
    sharedBandwidthSpec: true,
    tensorStats: 'sparse',
    bandwidth: 'sparse',
    ...CURRENT_TAIL,
    energySourceAndLeakage: true,
  },
  {
    id: 'timeloop-v3-dense',
    description: 'dense layout of Timeloop v3 (NVlabs/timeloop master, 2023-2025)',
    format: 'timeloop-dense',
    computeEnergyLabel: 'Compute energy',
    arithmeticStats: 'dense',
    storageSpecs: 'dense',
    sharedBandwidthSpec: true,
    tensorStats: 'dense',
    bandwidth: 'dense',
    ...CURRENT_TAIL,
    energySourceAndLeakage: true,
  },
];

/** The arithmetic level's block: from the file start to `Level 1`. */
function arithmeticBlock(lines: string[]): string[] {
  const end = lines.findIndex((l) => l.trim() === 'Level 1');
  return end < 0 ? lines : lines.slice(0, end);
}

/**
 * The features the text shows. Those of the sections after the levels are undetermined (absent)
 * when the text has no `Summary Stats` (a truncated file), so truncation is reported where the file
 * ends, by the parser, not as an unknown layout.
 */
function detectFeatures(text: string): Partial<LayoutFeatures> {
  const lines = text.split('\n');
  const arith = arithmeticBlock(lines).map((l) => l.trim());
  const has = (re: RegExp) => re.test(text);
  const arithHas = (prefix: string) => arith.some((l) => l.startsWith(prefix));
  const algorithmic = arithHas('Algorithmic Computes (total)');
  const complete = has(/^Summary Stats$/m);
  const tail = {
    topologyTotals: has(/^Total topology energy:/m),
    operationalIntensity: has(/^Operational Intensity Stats$/m),
    summaryGflopsEdp: has(/^GFLOPs \(@1GHz\):/m),
    computesLabel: has(/^MACCs = /m) ? 'MACCs' : 'Computes',
  } as const;
  return {
    ...(complete ? tail : {}),
    ...(has(/^ +@multicast \d+/m) ? { scatterHistogram: !has(/^ +@multicast \d+: /m) } : {}),
    computeEnergyLabel: arithHas('Energy-per-op') ? 'Energy-per-op' : 'Compute energy',
    arithmeticStats: algorithmic
      ? arithHas('Utilized instances (max)')
        ? 'sparse'
        : 'sparse-no-average'
      : arithHas('Computes (total)')
        ? 'dense'
        : 'dense-no-computes',
    storageSpecs: has(/^ +Metadata storage size +:/m) ? 'sparse-metadata-size' : has(/^ +Data storage size +:/m) ? 'sparse' : 'dense',
    sharedBandwidthSpec: has(/^ +Shared bandwidth +:/m),
    energySourceAndLeakage: has(/^ +\S.* energy source +:/m) || has(/^ +Per-instance-cycle leakage +:/m),
    tensorStats: has(/^ +Metadata format +:/m)
      ? 'sparse-metadata'
      : has(/^ +Tile density distribution +:/m)
        ? has(/^ {8}Utilized instances \(average\) +:/m)
          ? 'sparse'
          : 'sparse-no-average'
        : 'dense',
    bandwidth: has(/^ +Average Shared Bandwidth \(per-instance\)/m)
      ? 'sparse'
      : has(/^ +Breakdown \(Data, Format\)/m)
        ? 'breakdown-no-shared'
        : has(/^ +Shared Bandwidth \(per-instance\)/m)
          ? 'dense'
          : 'dense-no-shared',
  };
}

const FEATURE_KEYS = Object.keys(LAYOUTS[0]).filter((k) => !['id', 'description', 'format'].includes(k)) as (keyof LayoutFeatures)[];

/** The known layout the text is printed in; a positioned `stats-parse` error when it is none of them. */
export function detectLayout(text: string, file: string): StatsLayout {
  if (!/^Buffer and Arithmetic Levels\s*$/m.test(text.split('\n')[0] ?? '')) {
    throw new SparsegaugeError('stats-parse', "not a Timeloop stats file: expected 'Buffer and Arithmetic Levels' on the first line", { file, position: { line: 1, column: 1 }, field: 'layout' });
  }
  const features = detectFeatures(text);
  const layout = LAYOUTS.find((l) => mismatches(l, features).length === 0);
  if (layout) return layout;
  // Name the features no known layout shares with the file, so a new build's layout is easy to add.
  const closest = [...LAYOUTS].sort((a, b) => mismatches(a, features).length - mismatches(b, features).length)[0];
  const differing = mismatches(closest, features);
  const differ = differing.map((k) => `${k}: ${JSON.stringify(features[k])}`);
  throw new SparsegaugeError(
    'stats-parse',
    `unknown stats layout: closest known layout '${closest.id}' differs in ${differ.join(', ')}`,
    { file, position: { line: featureLine(text, differing[0]), column: 1 }, field: 'layout' },
  );
}

/** Per feature, the lines that show it (any of its variants): where an unknown layout is reported. */
const FEATURE_LINES: Record<keyof LayoutFeatures, RegExp> = {
  computeEnergyLabel: /^ +(Energy-per-op|Compute energy) +:/,
  arithmeticStats: /^ +(Utilized instances|Computes \(total\)|Algorithmic Computes \(total\))/,
  storageSpecs: /^ +(Size|Data storage size|Metadata storage size) +:/,
  sharedBandwidthSpec: /^ +(Shared bandwidth|Read bandwidth) +:/,
  energySourceAndLeakage: /^ +(\S.* energy source|Per-instance-cycle leakage|Area) +:/,
  tensorStats: /^ +(Metadata format|Representation format|Utilized capacity|Tile density distribution) +:/,
  bandwidth: /^ +(Average )?(Shared|Read) Bandwidth \(per-instance\)/,
  scatterHistogram: /^ +@multicast /,
  topologyTotals: /^(Total topology energy:|Operational Intensity Stats$|Summary Stats$)/,
  operationalIntensity: /^(Total topology energy:|Operational Intensity Stats$|Summary Stats$)/,
  summaryGflopsEdp: /^(GFLOPs \(@1GHz\)|Utilization):/,
  computesLabel: /^(MACCs|Computes|Actual Computes) = /,
};

/** 1-based line of the first line showing `feature`, else 1. */
function featureLine(text: string, feature: keyof LayoutFeatures): number {
  const i = text.split('\n').findIndex((l) => FEATURE_LINES[feature].test(l));
  return i < 0 ? 1 : i + 1;
}

function mismatches(l: StatsLayout, f: Partial<LayoutFeatures>): (keyof LayoutFeatures)[] {
  return FEATURE_KEYS.filter((k) => k in f && l[k] !== f[k]);
}
