/**
 * Errors the engine raises after loading (derived counts, densities, gating) know the field they
 * concern but not the file: this names the file (and position) from where the spec recorded each
 * section and field, so every error the user sees names a file.
 */
import { SparsegaugeError, withFile } from './errors.ts';
import type { Spec, SpecOrigin } from './spec/types.ts';

const SECTION_OF: Readonly<Record<string, keyof SpecOrigin['files']>> = {
  architecture: 'architecture',
  storage: 'architecture',
  arithmetic: 'architecture',
  problem: 'problem',
  mapping: 'mapping',
  sparse_optimizations: 'sparse_optimizations',
  ERT: 'ERT',
  ART: 'ART',
  compound_components: 'compound_components',
};

export function locateError(e: unknown, spec: Spec): unknown {
  if (!(e instanceof SparsegaugeError) || e.file) return e;
  const field = e.field ?? '';
  const positions = spec.origin.positions ?? {};
  // the recorded field path that is the longest prefix of the error's field
  let best: string | undefined;
  for (const path of Object.keys(positions)) {
    if ((field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`)) && (!best || path.length > best.length)) best = path;
  }
  if (best) return withFile(e, positions[best]!.file, positions[best]!.position);
  const section = SECTION_OF[field.split(/[.[]/)[0]!];
  const file = (section && spec.origin.files[section]) ?? spec.origin.files.problem ?? spec.origin.files.architecture;
  return withFile(e, file);
}
