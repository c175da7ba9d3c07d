/**
 * Compat modes as data: each mode is the set of Timeloop behaviours it reproduces, one named flag
 * per behaviour. The engine tests flags (`behaviours.ceilCompressedAccesses`), never mode names, so
 * reproducing another Timeloop build is a new row here. What each behaviour is, where it came from
 * and a worked example: docs/timeloop-versions.md.
 */

/** One switch per arithmetic or modelling difference between Timeloop builds. */
export interface CompatBehaviours {
  /** Gating/skipping probability P_eff accumulated in float32 (MICRO'22 artifact build). */
  float32SafProbability: boolean;
  /** The compute reduction of a storage SAF uses the 10⁻⁶-rounded probability (MICRO'22 artifact build). */
  roundedComputeSafProbability: boolean;
  /** Compressed data accesses ⌈E·(X/S)⌉ instead of X − ⌊X·(1 − E/S)⌋ (MICRO'22 artifact build). */
  ceilCompressedAccesses: boolean;
  /**
   * A read-write tile below the outermost keeper is not filled with its first partition (fills
   * minus the partition size, rounded): NVlabs/timeloop 450d44e (2023-06-02).
   */
  firstFillElision: boolean;
  /** Density distribution names printed with underscores (`fixed_structured`): NVlabs/timeloop 74ae30b (2024-02-02). */
  underscoreDistributionNames: boolean;
  /**
   * Network average hops from the mesh geometry of each multicast group (X to the farthest member
   * column, then along each member column from the Y centre), not the probabilistic formula:
   * NVlabs/timeloop 3a94842 and 931dbd5 (2023-09).
   */
  preciseMulticastHops: boolean;
  /**
   * ERT action-name lists of Timeloop v3 (no `idle` fallbacks, gated/skipped actions fall back only
   * to gated names, `fill`/`update`/`random_write` names): NVlabs/timeloop include/model/topology.hpp
   * storageOperationMappings, rewritten after v3.0.3.
   */
  v3ErtActionNames: boolean;
  /**
   * Operational intensity per level counts the algorithmic reads, fills and updates of each tensor
   * times its average utilized instances (truncated per tensor), not the actual ones times all
   * instances: Timeloop v3's BufferLevel::Accesses.
   */
  operationalIntensityFromAlgorithmicAccesses: boolean;
}

/** Public NVlabs/timeloop @ 0424956 (2022-07-03): every behaviour off. */
const TIMELOOP_0424956: CompatBehaviours = {
  float32SafProbability: false,
  roundedComputeSafProbability: false,
  ceilCompressedAccesses: false,
  firstFillElision: false,
  underscoreDistributionNames: false,
  preciseMulticastHops: false,
  v3ErtActionNames: false,
  operationalIntensityFromAlgorithmicAccesses: false,
};

/**
 * Mode name → behaviours. `public`: NVlabs/timeloop @ 0424956 (the default); `micro22`: the
 * unpublished build behind the MICRO'22 Sparseloop artifact's Table 7 sparse outputs;
 * `timeloop-4cf6d4c`: NVlabs/timeloop master @ 4cf6d4c (2025-03-31, v3.0.3 + 376 commits).
 */
export const COMPAT_MODES = {
  public: TIMELOOP_0424956,
  micro22: {
    ...TIMELOOP_0424956,
    float32SafProbability: true,
    roundedComputeSafProbability: true,
    ceilCompressedAccesses: true,
  },
  'timeloop-4cf6d4c': {
    ...TIMELOOP_0424956,
    firstFillElision: true,
    underscoreDistributionNames: true,
    preciseMulticastHops: true,
    v3ErtActionNames: true,
    operationalIntensityFromAlgorithmicAccesses: true,
  },
} as const satisfies Record<string, CompatBehaviours>;

export type CompatMode = keyof typeof COMPAT_MODES;

export const COMPAT_MODE_NAMES = Object.keys(COMPAT_MODES) as CompatMode[];

export const DEFAULT_COMPAT_MODE: CompatMode = 'public';

export function isCompatMode(name: string): name is CompatMode {
  return Object.hasOwn(COMPAT_MODES, name);
}

export function compatBehaviours(mode: CompatMode = DEFAULT_COMPAT_MODE): CompatBehaviours {
  return COMPAT_MODES[mode];
}
