/**
 * `sparse_optimizations` (Sparseloop): per target level, representation formats per data space
 * and rank, storage action optimizations (gating/skipping of a target conditioned on other data
 * spaces) and compute optimizations. Parsed and checked for names here; modelled in engine/sparse.
 */
import type {
  ActionOptimization,
  ActionOptimizationOption,
  Architecture,
  Problem,
  RankFormat,
  StorageLevelSpec,
  RankFormatName,
  RepresentationFormat,
  SparseOptimizations,
  SparseTarget,
} from './types.ts';
import { child, fail, isPresent, mapFields, optionalSeq, rememberPosition, required, seqFields, stringList, stringValue, type Field, type FieldPositions } from './field.ts';
import { integerField } from './numbers.ts';
import { THRESHOLDS } from '../sparse/vector-ratio.ts';

const FORMATS: readonly RankFormatName[] = ['UOP', 'RLE', 'B', 'CP', 'UB'];
/** Formats that drop empty coordinates (UOP and UB keep every coordinate). */
export const COMPRESSING_FORMATS: ReadonlySet<RankFormatName> = new Set(['RLE', 'CP', 'B']);
const COMPUTE_TYPES = ['gating', 'skipping'] as const;
const RANK_ORDERS = ['outer-to-inner', 'inner-to-outer'] as const;
const STORAGE_TYPES = ['gating', 'skipping', 'skipping-spatial'] as const;

function oneOf<T extends string>(f: Field, values: readonly T[], what = 'optimization type'): T {
  const t = stringValue(f);
  if (!(values as readonly string[]).includes(t)) fail(f, 'value', `unknown ${what} '${t}' (expected ${values.join(', ')})`);
  return t as T;
}

function dataSpaceName(f: Field, problem: Problem): string {
  const ds = stringValue(f);
  if (!problem.dataSpaces.some((d) => d.name === ds)) fail(f, 'reference', `unknown data space '${ds}' (data spaces: ${problem.dataSpaces.map((d) => d.name).join(', ')})`);
  return ds;
}

function rank(f: Field, problem: Problem): RankFormat {
  const keys = mapFields(f, ['format', 'flattened-rankIDs', 'payload-word-bits', 'metadata-word-bits']);
  const formatField = required(f, keys, 'format');
  const format = stringValue(formatField);
  if (!(FORMATS as readonly string[]).includes(format)) fail(formatField, 'value', `unknown rank format '${format}' (known: ${FORMATS.join(', ')})`);
  const flat = child(f, keys, 'flattened-rankIDs');
  const bits = (key: string): number | null => (isPresent(child(f, keys, key)) ? integerField(child(f, keys, key), { min: 0 }) : null);
  return {
    format: format as RankFormatName,
    flattenedRankIds: isPresent(flat)
      ? seqFields(flat).map((group) =>
          stringList(group).map((d, i) => {
            if (!problem.dimensions.includes(d)) fail(seqFields(group)[i], 'reference', `unknown dimension '${d}' in flattened-rankIDs`);
            return d;
          }),
        )
      : null,
    payloadWordBits: bits('payload-word-bits'),
    metadataWordBits: bits('metadata-word-bits'),
  };
}

/**
 * A tensor held compressed below density 1 at a level with blocks of several words: the reference
 * looks its vector-access threshold up in a table with rows for block sizes 2 to 32 only and
 * aborts on any other (std::out_of_range map::at; an odd size fails an assertion first). Checked
 * once the whole section is parsed (the reference's parse errors come first) and before the
 * mapping's fanouts (the reference checks none before it gets there).
 */
function checkVectorTable(f: Field, dataSpace: string, ranks: RankFormat[], level: StorageLevelSpec | undefined, problem: Problem): void {
  if (!level || level.blockSize <= 1 || Object.hasOwn(THRESHOLDS, level.blockSize)) return;
  if (!ranks.some((r) => COMPRESSING_FORMATS.has(r.format)) || (problem.densities[dataSpace]?.density ?? 1) >= 1) return;
  fail(f, 'unsupported', `${dataSpace} is compressed at ${level.name}, whose block size ${level.blockSize} Timeloop's vector-access table lacks (block sizes ${Object.keys(THRESHOLDS).join(', ')}; it aborts: std::out_of_range map::at)`);
}

function representationFormat(f: Field, problem: Problem, positions: FieldPositions, at: string, level: StorageLevelSpec | undefined, afterParse: (() => void)[]): RepresentationFormat[] {
  const keys = mapFields(f, ['data-spaces']);
  return seqFields(required(f, keys, 'data-spaces')).map((ds) => {
    const dk = mapFields(ds, ['name', 'ranks', 'rank-application-order']);
    const order = child(ds, dk, 'rank-application-order');
    const dataSpace = dataSpaceName(required(ds, dk, 'name'), problem);
    rememberPosition(positions, `${at}.representation-format.data-spaces.${dataSpace}`, ds);
    const rankFields = seqFields(required(ds, dk, 'ranks'));
    const ranks = rankFields.map((r) => rank(r, problem));
    afterParse.push(() => checkVectorTable(ds, dataSpace, ranks, level, problem));
    // Listed outermost first: a compressed rank above an uncompressed one cannot be addressed.
    for (let r = 1; r < ranks.length; r++) {
      if (COMPRESSING_FORMATS.has(ranks[r - 1].format) && !COMPRESSING_FORMATS.has(ranks[r].format)) {
        fail(rankFields[r - 1], 'unsupported', `${dataSpace}: compressed rank ${ranks[r - 1].format} above uncompressed ${ranks[r].format}`);
      }
    }
    return {
      dataSpace,
      ranks,
      rankApplicationOrder: isPresent(order) ? oneOf(order, RANK_ORDERS, 'rank application order') : 'outer-to-inner',
    };
  });
}

function option(f: Field, keys: Map<string, Field>, problem: Problem): ActionOptimizationOption {
  const target = dataSpaceName(required(f, keys, 'target'), problem);
  const conditionField = required(f, keys, 'condition-on');
  const conditionOn = seqFields(conditionField);
  // Timeloop tells a list of names from a list of mappings by its first element, so an empty
  // list aborts it (yaml-cpp: invalid node, first invalid key "0").
  if (conditionOn.length === 0) fail(conditionField, 'value', 'empty condition-on list (Timeloop aborts reading it: a list of data-space names needs at least one)');
  return { target, conditionOn: conditionOn.map((c) => dataSpaceName(c, problem)) };
}

/** `{type, options: [{target, condition-on}]}`, or the short form `{type, target, condition-on}`. */
function actionOptimization(f: Field, problem: Problem): ActionOptimization {
  const keys = mapFields(f, ['type', 'options', 'target', 'condition-on']);
  const typeField = required(f, keys, 'type');
  // As Timeloop, the options are read before the type is checked.
  const optionsField = child(f, keys, 'options');
  let options: ActionOptimizationOption[];
  if (!isPresent(optionsField)) options = [option(f, keys, problem)];
  else {
    for (const k of ['target', 'condition-on']) if (keys.has(k)) fail(keys.get(k)!, 'schema', `'${k}' goes inside 'options' when 'options' is given`);
    options = seqFields(optionsField).map((o) => option(o, mapFields(o, ['target', 'condition-on']), problem));
  }
  return { type: oneOf(typeField, STORAGE_TYPES), options };
}

/**
 * `positions` receives where each target and data-space format is
 * (`sparse_optimizations.targets.<level>[.representation-format.data-spaces.<ds>]`), the paths the
 * sparse analysis names in its errors.
 */
export function parseSparseOptimizations(f: Field, problem: Problem, architecture: Architecture, positions: FieldPositions = {}): SparseOptimizations {
  const afterParse: (() => void)[] = [];
  const keys = mapFields(f, ['targets', 'version']);
  const levels = [...architecture.storage.map((s) => s.name), architecture.arithmetic.name];
  const seen = new Set<string>();
  const targets = optionalSeq(child(f, keys, 'targets')).map((t): SparseTarget => {
    const tk = mapFields(t, ['name', 'representation-format', 'action-optimization', 'compute-optimization']);
    const nameField = required(t, tk, 'name');
    const name = stringValue(nameField);
    if (!levels.includes(name)) fail(nameField, 'reference', `sparse optimization target '${name}' is not a level (levels: ${levels.join(', ')})`);
    if (seen.has(name)) fail(nameField, 'schema', `target '${name}' listed twice`);
    seen.add(name);
    const at = `sparse_optimizations.targets.${name}`;
    rememberPosition(positions, at, t);
    const rf = child(t, tk, 'representation-format');
    const ao = child(t, tk, 'action-optimization');
    if (name === architecture.arithmetic.name) {
      for (const [key, given] of [['representation-format', rf], ['action-optimization', ao]] as const) {
        if (isPresent(given)) fail(given, 'unsupported', `${key} cannot target the arithmetic level '${name}' (only compute-optimization)`);
      }
    }
    return {
      name,
      representationFormat: isPresent(rf) ? representationFormat(rf, problem, positions, at, architecture.storage.find((l) => l.name === name), afterParse) : [],
      actionOptimization: optionalSeq(ao).map((a) => actionOptimization(a, problem)),
      computeOptimization: optionalSeq(child(t, tk, 'compute-optimization')).map((c) => {
        const ck = mapFields(c, ['type']);
        return { type: oneOf(required(c, ck, 'type'), COMPUTE_TYPES) };
      }),
    };
  });
  for (const check of afterParse) check();
  return { targets };
}
