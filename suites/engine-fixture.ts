/**
 * The Table 7 cases for engine suites, from our own spec (golden/table7/spec/: the manifest's
 * `spec:` files with each case's variables), which every clone has. The shared artifact's run dirs
 * evaluate to the same results (checked by the table7 suite where ../shared is present).
 */
import { resolve } from 'node:path';
import { loadSpecFiles } from '../engine/input/load.ts';
import type { Spec } from '../engine/input/types.ts';
import { loadManifest } from '../scripts/lib/report/manifest.ts';

const TABLE7 = loadManifest(resolve(import.meta.dirname, '../golden/table7/cases.yaml'));

/** The Spec of the Table 7 case whose reference run dir is `reference`, e.g. `dense_outputs/alexnet_conv1`. */
export function loadCaseSpec(reference: string): Spec {
  const c = TABLE7.cases.find((k) => k.referenceDir.endsWith(`/${reference}`));
  if (!c) throw new Error(`no Table 7 case with reference ${reference}`);
  return loadSpecFiles(c.spec, { vars: c.vars });
}
