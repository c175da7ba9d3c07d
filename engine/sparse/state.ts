/** The per-level, per-tensor record the sparse pass refines step by step. */
import type { DenseTensorCounts, RankUnits } from '../analysis/types.ts';
import type { WorkingCounts } from './gating/impact.ts';
import type { FormatLayout } from './format/occupancy.ts';

export interface TensorState {
  record: DenseTensorCounts;
  work: WorkingCounts;
  layout: FormatLayout | null;
  compressed: boolean;
  expectedData: number;
  maxData: number;
  capacity: RankUnits[];
  wordBits: { metadata: number; payload: number }[];
  averageInstances: number;
  vectorRatio: number;
  compressionCount: number;
  decompressionCount: number;
}

