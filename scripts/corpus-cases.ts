/**
 * Writes golden/corpus/cases.yaml from the published Timeloop corpus (default ../shared/timeloop-corpus):
 * one case per row of its manifest.csv, in manifest order, with the spec files in the order Timeloop
 * was given them, and what public Timeloop @ 0424956 does with them: `expect: exact` when it wrote
 * stats, `expect: refused` with the refusal cause when it wrote error.txt.
 *
 *   npx tsx scripts/corpus-cases.ts [<corpus-dir>]
 *
 * The refusal causes below are data: what Timeloop prints, what in the inputs triggers it (found by
 * diffing refused inputs against accepted ones of the same design), and the pattern our one-line
 * error must match to name the same cause. A Timeloop message no cause recognizes is an error here,
 * so a new corpus cannot get an unexplained refusal.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from './lib/report/manifest.ts';
import { sharedRoot } from './lib/shared-root.ts';

interface Cause {
  id: string;
  /** Recognizes Timeloop's error.txt. */
  recognizes: RegExp;
  timeloop: string;
  trigger: string;
  ours: string;
}

const CAUSES: Cause[] = [
  {
    id: 'empty-condition-on',
    recognizes: /YAML::InvalidNode[\s\S]*first invalid key: "0"/,
    timeloop: 'terminate called after throwing an instance of \'YAML::InvalidNode\' what(): invalid node; first invalid key: "0"',
    trigger:
      'an action optimization with an empty `condition-on: []` (LRF position-skipping in every fig13 and fig15 DSTC run ' +
      "folder): Timeloop's sparse-optimization parser tells a list of names from a list of mappings by its first " +
      'element, which an empty list lacks (yaml-cpp throws reading node 0). Their `no_link_transfer` lists parse ' +
      'without reading an element.',
    ours: 'error in sparse_optimizations\\.\\S+\\.condition-on: empty condition-on list',
  },
  {
    id: 'vector-table-block-size',
    recognizes: /std::out_of_range[\s\S]*map::at/,
    timeloop: "terminate called after throwing an instance of 'std::out_of_range' what(): map::at",
    trigger:
      'a tensor held compressed below density 1 at SMEM, whose blocks are 512 / 8 = 64 words: the buffer model looks ' +
      "the vector-access threshold up in a table with rows for block sizes 2 to 32 only (A in the STC folders, B in " +
      'the dualCompress ones). tlax2022-base22-sparse_tensor_core_like, the same design and mapping with a 256-bit SMEM ' +
      '(32-word blocks), runs; so do the density-1.0 STC folders (no format at SMEM).',
    ours: 'unsupported error in sparse_optimizations\\.\\S+\\.representation-format\\.\\S+: \\S+ is compressed at \\S+, whose block size \\d+ Timeloop',
  },
  {
    id: 'timeout-vector-table',
    recognizes: /exit code: 124 \(timeout/,
    timeloop: 'killed after 120 s without printing anything (exit code 124)',
    trigger:
      'the same inputs, up to problem size, as its three dualCompress density-1.0 siblings, which abort with map::at ' +
      '(B compressed at SMEM with 64-word blocks)',
    ours: 'unsupported error in sparse_optimizations\\.\\S+\\.representation-format\\.\\S+: \\S+ is compressed at \\S+, whose block size \\d+ Timeloop',
  },
  {
    id: 'real-data-density',
    recognizes: /unrecognized density distribution type: real-data/,
    timeloop: 'ERROR: unrecognized density distribution type: real-data',
    trigger: 'a data space whose density is `distribution: real-data` (with a `data_file_path` to a mask file)',
    ours: '^\\S+ error in problem\\.instance\\.densities\\.\\S+: .*real-data',
  },
];

/** Timeloop's last printed lines, on one line (the file's own header lines dropped). */
function timeloopMessage(text: string): string {
  const [, printed = ''] = text.split('--- last lines printed ---');
  const lines = printed.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('Warning:'));
  if (lines.length > 0) return lines.join(' ');
  return text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('exit code')) ?? 'no message';
}

/** A YAML double-quoted scalar. */
const q = (s: string): string => JSON.stringify(s);

function main(): void {
  const corpus = resolve(process.argv[2] ?? join(sharedRoot(), 'timeloop-corpus'));
  const rows = parse(readFileSync(join(corpus, 'manifest.csv')), { columns: true }) as Record<string, string>[];
  const used = new Set<string>();
  const entries = rows.map((r) => {
    const errorFile = join(corpus, r.case, 'public-0424956', 'error.txt');
    const refused = existsSync(errorFile);
    if (refused !== (r.public_0424956 === 'refuses')) throw new Error(`${r.case}: manifest says ${r.public_0424956}, the folder disagrees`);
    const spec = r.spec_files.split(/\s+/).filter(Boolean);
    const head = `{ id: ${r.case}, source: ${q(r.source)}, architecture: ${q(r.architecture)}, compat: public, reference: ${r.case}, spec: [${spec.join(', ')}]`;
    const lines = [`  # ${r.what}`];
    if (!refused) {
      lines.push(`  - ${head}, expect: exact }`);
      return lines.join('\n');
    }
    const text = readFileSync(errorFile, 'utf8');
    const cause = CAUSES.find((c) => c.recognizes.test(text));
    if (!cause) throw new Error(`${r.case}: no refusal cause recognizes ${errorFile}`);
    used.add(cause.id);
    lines.push(`  - ${head}, expect: refused, cause: ${cause.id}, timeloop_error: ${q(timeloopMessage(text))} }`);
    return lines.join('\n');
  });
  const causes = CAUSES.filter((c) => used.has(c.id)).map(
    (c) => `  ${c.id}:\n    timeloop: ${q(c.timeloop)}\n    trigger: ${q(c.trigger)}\n    ours: ${q(c.ours)}`,
  );
  const text = `# Published Timeloop/Sparseloop run folders (../shared/timeloop-corpus, never copied into the repository).
# Written by scripts/corpus-cases.ts from the corpus's manifest.csv; do not edit by hand.
#
# Each case is a run folder's inputs exactly as published (spec files relative to <reference>/inputs,
# in the order Timeloop was given them), evaluated in public Timeloop's arithmetic (compat: public).
# expect: exact   public Timeloop @ 0424956 runs it; its outputs (public-0424956/stats.txt and
#                 map+stats.xml) are imported into <case>.json by import-golden, and we must match
#                 them (counts exact, energies 1e-6 via the XML).
# expect: refused public Timeloop @ 0424956 refuses it (public-0424956/error.txt); we must refuse it
#                 with a positioned error naming the same cause (refusal_causes: \`ours\` is a pattern
#                 over our \`kind error in field: message\`).
# A case that does not do what it expects today is listed in known-gaps.yaml with the reason.
suite: corpus
reference_root: ../shared/timeloop-corpus
# The inputs are the reference run folders' own, so there is no separate project spec to check them against.
reference_inputs: false
case_spec_root: inputs
reference_stats: public-0424956/stats.txt
reference_xml: public-0424956/map+stats.xml
# validate writes reports/corpus.md by status (per source and architecture), and compares the
# outputs published with each run folder (first of these that exists) with public Timeloop's.
report: status
published_stats: [ref/timeloop-model.stats.txt, ref/timeloop-mapper.stats.txt]
refusal_causes:
${causes.join('\n')}
cases:
${entries.join('\n')}
`;
  const out = join(REPO_ROOT, 'golden', 'corpus', 'cases.yaml');
  writeFileSync(out, text);
  console.log(`wrote ${relative(process.cwd(), out)}: ${rows.length} cases from ${relative(process.cwd(), corpus)}`);
}

main();
