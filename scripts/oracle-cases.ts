/**
 * `npx tsx scripts/oracle-cases.ts <corpus-dir> <case>...`: brings cases of an oracle corpus (one run
 * dir per case: aggregated_input.yaml, ERT.yaml, ART.yaml, output/) into the golden/oracle suite.
 * Per case it
 *
 *   - writes golden/oracle/spec/<case>.yaml: our CNN-layer problem shape (as in
 *     golden/table7/spec/problem.yaml) with the case's problem instance, and the case's mapping and
 *     sparse_optimizations. Only those three parts are read from aggregated_input.yaml (they are
 *     the corpus generator's choices); architecture, components, ERT and ART are never read: the
 *     suite uses golden/table7/spec/{arch,components,ERT,ART}.yaml, with the variables in
 *     CASE_VARS below where a case varies the architecture or the ERT;
 *   - copies output/timeloop-model.stats.txt and output/timeloop-model.map+stats.xml to
 *     golden/oracle/reference/<case>/output/ (the oracle's outputs, re-imported by import-golden);
 *   - appends an entry to golden/oracle/cases.yaml unless the case is already listed (the case's
 *     DESC file, when present, becomes the comment above it).
 *
 * Then run `npm run import-golden` and check that the new spec evaluates like the corpus input
 * (`sparsegauge evaluate` on both, `sparsegauge diff`). Nothing here runs Timeloop.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Document, parse, visit } from 'yaml';

const SUITE = resolve(dirname(new URL(import.meta.url).pathname), '..', 'golden', 'oracle');
const OUTPUTS = ['timeloop-model.stats.txt', 'timeloop-model.map+stats.xml'];

/** Template variables for cases that vary the architecture or the ERT (see golden/table7/spec/arch.yaml, ERT.yaml). */
const WSP_DECOMPRESSION = { weights_spad_decompression_supported: 'true', weights_spad_decompression_count_energy: '0' };
const CASE_VARS: Record<string, Record<string, string>> = {
  e_conv3_W_uoprle_dram: WSP_DECOMPRESSION,
  e_conv3_W_cp_dram: WSP_DECOMPRESSION,
  e_conv4_multi: WSP_DECOMPRESSION,
  p_conv3_W005_dram: WSP_DECOMPRESSION,
  p_conv3_W005_dram_spskip: WSP_DECOMPRESSION,
  // As e_conv3_W_uoprle_dram but with the ERT unchanged: no decompression_count action at weights_spad.
  e_conv3_W_uoprle_dram_rawERT: { weights_spad_decompression_supported: 'true' },
  e_conv3_O_ub_glb_md: { glb_metadata_datawidth: '4', glb_metadata_storage_width: '64', glb_metadata_storage_depth: '4096' },
  fz_hg_small_pmf: { glb_metadata_datawidth: '4', glb_metadata_storage_width: '64', glb_metadata_storage_depth: '4096' },
};

/** Our CNN-layer shape, as golden/table7/spec/problem.yaml writes it. */
const SHAPE = {
  name: 'CNN-Layer',
  dimensions: ['C', 'M', 'R', 'S', 'N', 'P', 'Q'],
  coefficients: ['Wstride', 'Hstride', 'Wdilation', 'Hdilation'].map((name) => ({ name, default: 1 })),
  'data-spaces': [
    { name: 'Weights', projection: [[['C']], [['M']], [['R']], [['S']]] },
    { name: 'Inputs', projection: [[['N']], [['C']], [['R', 'Wdilation'], ['P', 'Wstride']], [['S', 'Hdilation'], ['Q', 'Hstride']]] },
    { name: 'Outputs', projection: [[['N']], [['M']], [['Q']], [['P']]], 'read-write': true },
  ],
};

/**
 * Block YAML in the style of golden/table7/spec: a collection goes on one line (`{ a: 1 }`,
 * `[A, B]`) when it holds no mapping, has at most 6 entries if a mapping, and fits in 110 characters.
 */
function compactYaml(value: unknown): string {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  /** Whether a mapping occurs anywhere below `v`. */
  const holdsMap = (v: unknown): boolean => {
    const children = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [];
    return children.some((x) => isMap(x) || holdsMap(x));
  };
  const flowLength = (v: unknown) => new Document(v).toString({ collectionStyle: 'flow', flowCollectionPadding: true, lineWidth: 0 }).trim().length;
  const doc = new Document(value);
  visit(doc, {
    Collection(_key, node) {
      const json: unknown = node.toJSON();
      if (holdsMap(json) || (isMap(json) && Object.keys(json).length > 6)) return;
      if (flowLength(json) <= 110) node.flow = true;
    },
  });
  // Padding inside braces only, as the table7 specs write them (no value here contains '[ ' or ' ]').
  return doc.toString({ flowCollectionPadding: true, lineWidth: 0, indentSeq: true }).replace(/\[ /g, '[').replace(/ \]/g, ']');
}

function specText(id: string, description: string | undefined, input: Record<string, unknown>): string {
  const problem = input.problem as { instance?: unknown } | undefined;
  if (!problem?.instance || !Array.isArray(input.mapping)) throw new Error(`${id}: aggregated_input.yaml lacks problem.instance or mapping`);
  const body: Record<string, unknown> = { problem: { shape: SHAPE, instance: problem.instance }, mapping: input.mapping };
  if (input.sparse_optimizations !== undefined) body.sparse_optimizations = input.sparse_optimizations;
  const header = [
    `# Oracle case ${id}${description ? `: ${description}` : ''}`,
    '# Problem instance, mapping and sparse optimizations of the case (written by scripts/oracle-cases.ts);',
    '# the problem shape is ours, as in golden/table7/spec/problem.yaml. Evaluated together with',
    '# golden/table7/spec/{arch,components,ERT,ART}.yaml, see golden/oracle/cases.yaml.',
  ];
  return `${header.join('\n')}\n${compactYaml(body)}`;
}

function manifestEntry(id: string, description: string | undefined): string {
  const vars = CASE_VARS[id];
  const varsText = vars ? `, vars: { ${Object.entries(vars).map(([k, v]) => `${k}: '${v}'`).join(', ')} }` : '';
  return `${description ? `  # ${description}\n` : ''}  - { id: ${id}, compat: public, reference: ${id}, spec: [spec/${id}.yaml]${varsText} }\n`;
}

function main(args: string[]): number {
  const [corpus, ...ids] = args;
  if (!corpus || ids.length === 0) {
    console.error('usage: npx tsx scripts/oracle-cases.ts <corpus-dir> <case>...');
    return 2;
  }
  const manifestFile = join(SUITE, 'cases.yaml');
  if (!existsSync(manifestFile)) {
    console.error(`${manifestFile} not found (it carries the suite's header and provenance; write it first)`);
    return 1;
  }
  const listed = new Set(((parse(readFileSync(manifestFile, 'utf8')) as { cases?: { id: string }[] }).cases ?? []).map((c) => c.id));
  let appended = '';
  for (const id of ids) {
    const dir = join(corpus, id);
    const missing = OUTPUTS.filter((f) => !existsSync(join(dir, 'output', f)));
    if (missing.length > 0) {
      console.error(`${id}: no ${missing.join(', ')} in ${join(dir, 'output')} (not a golden case), skipped`);
      continue;
    }
    const descFile = join(dir, 'DESC');
    const description = existsSync(descFile) ? readFileSync(descFile, 'utf8').trim() : undefined;
    const input = parse(readFileSync(join(dir, 'aggregated_input.yaml'), 'utf8')) as Record<string, unknown>;
    mkdirSync(join(SUITE, 'spec'), { recursive: true });
    writeFileSync(join(SUITE, 'spec', `${id}.yaml`), specText(id, description, input));
    const out = join(SUITE, 'reference', id, 'output');
    mkdirSync(out, { recursive: true });
    for (const f of OUTPUTS) copyFileSync(join(dir, 'output', f), join(out, f));
    if (!listed.has(id)) appended += manifestEntry(id, description);
    console.log(`${id}: spec and reference written${listed.has(id) ? '' : ', added to cases.yaml'}`);
  }
  if (appended) writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replace(/\n*$/, '\n') + appended);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
