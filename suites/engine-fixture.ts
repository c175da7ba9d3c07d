/**
 * The shared Table 7 reference run dirs, loaded unchanged through the real spec loader.
 */
import { join, resolve } from 'node:path';
import { loadRunDir } from '../engine/spec/load.ts';
import type { Spec } from '../engine/spec/types.ts';

export const ARTIFACT = resolve(import.meta.dirname, '../../shared/sparseloop-artifact/table7_eyeriss_setup');

/** The Spec of a shared reference case, e.g. `dense_outputs/alexnet_conv1`. */
export function loadCaseSpec(reference: string): Spec {
  return loadRunDir(join(ARTIFACT, reference));
}
