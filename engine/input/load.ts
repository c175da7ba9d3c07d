/**
 * Spec loading: Timeloop v0.3 YAML, unchanged, from one composed file or several files merged by
 * top-level key, each optionally a nunjucks template → the normalized Spec the engine consumes.
 *
 *   loadSpecFiles(files, { vars })  any set of files; a top-level key may appear in one file only,
 *                                   except `compound_components`, whose class lists are joined
 *   loadRunDir(dir, { vars })       a Timeloop run dir: aggregated_input.yaml (or every *.yaml
 *                                   spec file in it) plus ERT.yaml and ART.yaml
 *
 * Keys for other Timeloop tools (mapper, mapspace constraints, model output options) are
 * accepted and ignored, as documented in the README; any other key the model does not read is
 * accepted with a warning (`spec.warnings`), or refused with `strict` (see unknown-keys.ts).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { SparsegaugeError } from '../errors.ts';
import type { Spec, SpecOrigin } from './types.ts';
import { readSource, type Source, type TemplateVars } from './source.ts';
import { keyPolicy, unknownKeyWarnings, type KeyPolicy } from './unknown-keys.ts';
import { fail, isPresent, mapFields, rootField, type Field } from './field.ts';
import { parseArchitecture } from './architecture.ts';
import { parseProblem } from './problem.ts';
import { parseMapping } from './mapping.ts';
import { parseSparseOptimizations } from './sparse-optimizations.ts';
import { declaredAttributes, parseArt, parseErt } from './energy-tables.ts';

export interface LoadOptions {
  /** nunjucks template variables (`--var key=value`). */
  vars?: TemplateVars;
  /** Refuse every key the model does not read (default: accept it with a warning). */
  strict?: boolean;
  /** How a file is read and parsed: a SourceCache's `read` to share parsed files between loads. */
  readSource?: (file: string, vars: TemplateVars, keys: KeyPolicy) => Source;
}

const MODEL_KEYS = ['architecture', 'compound_components', 'problem', 'mapping', 'sparse_optimizations', 'ERT', 'ART'] as const;
type ModelKey = (typeof MODEL_KEYS)[number];
/** Inputs of other Timeloop tools that may share a file with the model's inputs. */
const IGNORED_KEYS = ['mapper', 'mapspace', 'mapspace_constraints', 'model', 'globals', 'variables'];
/** Files a Timeloop run dir may hold that are outputs or summaries, not inputs. */
const RUN_DIR_OUTPUTS = /^(ERT_summary|ART_summary|flattened_architecture|timeloop-.*|.*\.stats)\.ya?ml$/;

/** Top-level keys whose lists several files extend instead of replacing (Accelergy's rule for class libraries). */
const LIST_KEYS: readonly ModelKey[] = ['compound_components'];

interface MergedKeys {
  /** Each model key's field; for a list key, the first file's. */
  single: Map<ModelKey, Field>;
  /** Every field given for a list key, in file order. */
  lists: Map<ModelKey, Field[]>;
}

/**
 * Merge the top-level keys of several sources. Timeloop concatenates its input files into one
 * YAML document and reads the first occurrence of a key; Accelergy, which reads
 * `compound_components`, collects the classes of every file. A list key may therefore appear in
 * several files; any other key given twice is an error (Timeloop would silently drop the second).
 */
function mergeTopLevel(sources: Source[]): MergedKeys {
  const single = new Map<ModelKey, Field>();
  const lists = new Map<ModelKey, Field[]>();
  for (const source of sources) {
    const root = rootField(source);
    if (!isPresent(root)) continue; // an empty document (e.g. a template rendering to nothing)
    for (const [key, f] of mapFields(root, [...MODEL_KEYS, ...IGNORED_KEYS])) {
      if (IGNORED_KEYS.includes(key)) continue;
      const k = key as ModelKey;
      const previous = single.get(k);
      if (LIST_KEYS.includes(k)) lists.set(k, [...(lists.get(k) ?? []), f]);
      else if (previous) fail({ ...f, node: f.key ?? f.anchor }, 'schema', `top-level key '${key}' is also given in ${previous.source.file}`);
      if (!previous) single.set(k, f);
    }
  }
  return { single, lists };
}

export function specFromSources(sources: Source[]): Spec {
  if (sources.length === 0) throw new SparsegaugeError('io', 'no spec files given');
  const merged = mergeTopLevel(sources);
  const keys = merged.single;
  const need = (key: ModelKey): Field => {
    const f = keys.get(key);
    if (f && isPresent(f)) return f;
    if (f) fail({ ...f, node: f.key ?? f.anchor }, 'schema', `top-level key '${key}' is empty`);
    // Absent: name an empty file if there is one (the likely culprit), else the first file.
    const empty = sources.find((s) => !isPresent(rootField(s)));
    const names = sources.map((s) => basename(s.file)).join(', ');
    throw new SparsegaugeError(
      'schema',
      `missing required top-level key '${key}' (${empty ? `${basename(empty.file)} is empty; ` : ''}not in ${names})`,
      { file: (empty ?? sources[0]).file, field: key },
    );
  };
  const positions: NonNullable<SpecOrigin['positions']> = {};
  const { architecture, components } = parseArchitecture(need('architecture'), declaredAttributes(merged.lists.get('compound_components') ?? []));
  const problem = parseProblem(need('problem'), positions);
  // Sparse optimizations before the mapping: Timeloop aborts on some of them before any fanout check.
  const sparse = keys.get('sparse_optimizations');
  const sparseOptimizations = sparse && isPresent(sparse) ? parseSparseOptimizations(sparse, problem, architecture, positions) : null;
  const mapping = parseMapping(need('mapping'), problem, architecture, positions);
  const ert = parseErt(need('ERT'), components, positions);
  const art = parseArt(need('ART'), components, positions);
  const files: SpecOrigin['files'] = {};
  for (const [k, f] of keys) files[k] = f.source.file;
  const warnings = [...new Set(sources.map((s) => s.keys))].flatMap(unknownKeyWarnings);
  return { architecture, problem, mapping, sparseOptimizations, ert, art, origin: { files, positions }, ...(warnings.length ? { warnings } : {}) };
}

export function loadSpecFiles(files: readonly string[], options: LoadOptions = {}): Spec {
  const keys = keyPolicy(options.strict ?? false);
  const read = options.readSource ?? readSource;
  return specFromSources(files.map((f) => read(f, options.vars ?? {}, keys)));
}

/** The spec files of a Timeloop run dir, in a stable order. */
export function runDirFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SparsegaugeError('io', 'not a directory', { file: dir });
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && !RUN_DIR_OUTPUTS.test(n));
  const chosen = names.includes('aggregated_input.yaml') ? names.filter((n) => n === 'aggregated_input.yaml' || n === 'ERT.yaml' || n === 'ART.yaml') : names;
  for (const required of ['ERT.yaml', 'ART.yaml']) {
    if (!chosen.includes(required)) throw new SparsegaugeError('io', `the run dir has no ${required}`, { file: dir });
  }
  // a run dir is shared as a folder: a spec file in it that links outside would read (and quote in
  // errors) a file of the machine it runs on
  const root = realpathSync(dir);
  for (const n of chosen) {
    const target = realpathSync(join(dir, n));
    const rel = relative(root, target);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new SparsegaugeError('io', 'the file links outside its run dir; a run dir\'s spec files must lie inside it', { file: join(dir, n) });
  }
  return chosen.sort().map((n) => join(dir, n));
}

export function loadRunDir(dir: string, options: LoadOptions = {}): Spec {
  return loadSpecFiles(runDirFiles(dir), options);
}
