/**
 * Errors raised after loading (sparse analysis, level models) name a dotted field but have no
 * source position. The loader records where the fields those errors name are (SpecOrigin.positions);
 * this gives such an error the file and line/column of the longest recorded path that contains its
 * field (`sparse_optimizations.targets.SMEM.representation-format.data-spaces.B.ranks` is located
 * at the data space `B` of SMEM's format). A field with no recorded path is given at least the file
 * of the section it names, so every error names a file.
 */
import { SparsegaugeError, withFile } from '../errors.ts';
import type { SpecOrigin } from './types.ts';

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

/** The file of the section a field names (`mapping[2].factors` → the mapping's file), else the problem's. */
function sectionFile(origin: SpecOrigin, field: string): string | undefined {
  const section = SECTION_OF[field.split(/[.[]/)[0] ?? ''];
  return (section && origin.files[section]) ?? origin.files.problem ?? origin.files.architecture;
}

export function locateError(origin: SpecOrigin, e: unknown): unknown {
  if (!(e instanceof SparsegaugeError) || e.position) return e;
  const field = e.field ?? '';
  let best: string | undefined;
  for (const path in origin.positions ?? {}) {
    const contains = field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
    if (contains && (best === undefined || path.length > best.length)) best = path;
  }
  if (best === undefined) return withFile(e, sectionFile(origin, field));
  const at = origin.positions![best]!;
  if (e.file && e.file !== at.file) return e;
  return new SparsegaugeError(e.kind, e.message, { file: at.file, position: at.position, field });
}
