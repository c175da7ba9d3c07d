/**
 * The stats importer: both layouts, strict parsing (truncated and malformed files fail with file,
 * line and field; no output file is left), and the XML overlay's consistency checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import { applyXml, importStats, parseStatsText, parseXml, XmlView } from '../scripts/lib/stats/index.ts';
import { loadImportManifest, REPO_ROOT } from '../scripts/lib/stats/golden-cases.ts';
import { sharedRoot } from '../scripts/lib/shared-root.ts';

const manifest = loadImportManifest(join(REPO_ROOT, 'golden', 'table7', 'cases.yaml'));
const available = existsSync(manifest.referenceRoot);
const runDir = (ref: string) => join(manifest.referenceRoot, ref, 'output');
const SPARSE = 'ref_outputs/alexnet_conv3';
const DENSE = 'dense_outputs/alexnet_conv1';
const statsText = (ref: string) => readFileSync(join(runDir(ref), 'timeloop-model.stats.txt'), 'utf8');
const xmlText = (ref: string) => readFileSync(join(runDir(ref), 'timeloop-model.map+stats.xml'), 'utf8');

const work = mkdtempSync(join(tmpdir(), 'sparsegauge-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function parseError(fn: () => unknown): SparsegaugeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('expected a SparsegaugeError, got none');
}

function cli(args: string[]) {
  return spawnSync('node', ['bin/sparsegauge.js', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe.skipIf(!available)('stats layouts (reads the artifact: needs ../shared)', () => {
  test('Sparseloop layout: detected, sparse-only fields present, "-" becomes null', () => {
    const r = parseStatsText(statsText(SPARSE), 'conv3.txt', { compat: 'micro22' });
    expect(r.meta).toEqual({ producer: 'sparseloop-stats', statsFormat: 'sparseloop', compat: 'micro22' });
    expect(Object.keys(r.storage)).toEqual(['psum_spad', 'weights_spad', 'ifmap_spad', 'DummyBuffer', 'shared_glb', 'DRAM']);
    expect(r.storage.DRAM.specs.dataStorageSize).toBeNull();
    expect(r.storage.DRAM.specs.metadataStorageDepth).toBeNull();
    expect(r.storage.DRAM.tensors.Inputs.representationFormat).toEqual(['uop', 'rle']);
    expect(r.storage.DRAM.tensors.Inputs.maxUtilizedFormatCapacity).toEqual([
      { rank: 1, metadata: 0, payload: 65 },
      { rank: 0, metadata: 63361, payload: 0 },
    ]);
    expect(r.storage.psum_spad.tensors.Outputs.formatReads).toBeUndefined();
    expect(r.storage.DummyBuffer.tensors).toEqual({});
    expect(r.storage.DummyBuffer.loopNest).toEqual([
      { dimension: 'M', start: 0, end: 4, spatial: 'Y' },
      { dimension: 'S', start: 0, end: 3, spatial: 'Y' },
    ]);
    expect(r.networks['DummyBuffer <==> ifmap_spad'].tensors.Inputs.ingressHistogram).toEqual([{ multicast: 4, scatter: 3, accesses: 276480 }]);
    expect(r.networks['DRAM <==> shared_glb'].specs.routerEnergy).toBeNull();
    expect(r.operationalIntensity!.levels.DummyBuffer).toEqual({});
    expect(r.summary.algorithmicComputes).toBe(598081536);
    expect(r.summary.pJPerCompute.Total).toBe(9.33);
    expect(r.summary.edp).toBe(2940);
  });

  test('older dense layout: detected, dense field names mapped', () => {
    const r = parseStatsText(statsText(DENSE), 'conv1.txt', { compat: 'public' });
    expect(r.meta.statsFormat).toBe('timeloop-dense');
    expect(r.arithmetic.stats).toEqual({ utilizedInstancesMax: 154, cycles: 2838528, actualComputes: 437133312, energy: 961846283.06, area: 208236 });
    const w = r.storage.weights_spad;
    expect(w.specs.vectorAccessEnergy).toBe(1.13);
    expect(w.specs.vectorReadEnergy).toBeUndefined();
    expect(w.tensors.Weights.maxUtilizedDataStorageCapacity).toBe(176);
    expect(w.tensors.Weights.fills).toEqual({ actual: 50688 });
    expect(r.summary.actualComputes).toBe(437133312);
    expect(r.summary.pJPerAlgorithmicCompute).toBeUndefined();
  });

  test('the XML overlay replaces printed doubles and keeps counts', () => {
    const printed = parseStatsText(statsText(DENSE), 'conv1.txt', { compat: 'public' });
    const full = applyXml(printed, new XmlView('conv1.xml', parseXml(xmlText(DENSE), 'conv1.xml'), ''));
    expect(printed.storage.psum_spad.tensors.Outputs.energyPerInstance).toBe(1478707.94);
    expect(full.storage.psum_spad.tensors.Outputs.energyPerInstance).toBe(1.47870793727999995e6);
    expect(full.storage.psum_spad.tensors.Outputs.energyTotal).toBe(1.47870793727999995e6 * 154);
    expect(full.storage.psum_spad.tensors.Outputs.reads).toEqual(printed.storage.psum_spad.tensors.Outputs.reads);
    expect(full.storage.weights_spad.specs.vectorAccessEnergy).toBe(1.13); // no XML source: printed
  });

  test('an XML value that disagrees with the stats file is an error naming the field', () => {
    const printed = parseStatsText(statsText(DENSE), 'conv1.txt', { compat: 'public' });
    const xml = xmlText(DENSE).replace('<energy_>9.61846283059199929e+08</energy_>', '<energy_>9.61846293059199929e+08</energy_>');
    const e = parseError(() => applyXml(printed, new XmlView('conv1.xml', parseXml(xml, 'conv1.xml'), '')));
    expect(e.kind).toBe('stats-parse');
    expect(e.file).toBe('conv1.xml');
    expect(e.field).toBe('arithmetic.stats.energy');
  });

  test('sparse layout: bandwidth totals scale by the x·y expansion, energy totals by the average instances', () => {
    // Oracle reference with a fractional average at weights_spad (31.2 of 52: empty Weights tiles
    // under a DRAM format): Timeloop prints bandwidth totals as per-instance x utilized_x_expansion
    // x utilized_y_expansion (its `Utilized instances (max)`), energy totals x the average.
    const dir = join(REPO_ROOT, 'golden', 'oracle', 'reference', 'p_conv3_W005_dram', 'output');
    const stats = readFileSync(join(dir, 'timeloop-model.stats.txt'), 'utf8');
    const xml = readFileSync(join(dir, 'timeloop-model.map+stats.xml'), 'utf8');
    const printed = parseStatsText(stats, 'w005.txt', { compat: 'public' });
    const full = applyXml(printed, new XmlView('w005.xml', parseXml(xml, 'w005.xml'), ''));
    const t = full.storage.weights_spad.tensors.Weights;
    expect(t.utilizedInstancesMax).toBe(52);
    expect(t.utilizedInstancesAverage).toBeCloseTo(31.2, 12);
    expect(printed.storage.weights_spad.tensors.Weights.bandwidth.sharedTotal).toBe(33.6);
    expect(t.bandwidth.sharedTotal).toBe(t.bandwidth.sharedPerInstance! * 52);
    expect(t.bandwidth.readTotal).toBe(t.bandwidth.readPerInstance * 52);
    expect(t.energyTotal).toBe(t.energyPerInstance * t.utilizedInstancesAverage!);
  });

  test('uint64 counts printed wrapped modulo 2^64 are read as the negative values they stand for', () => {
    const load = (id: string) => {
      const dir = join(REPO_ROOT, 'golden', 'oracle', 'reference', id, 'output');
      const printed = parseStatsText(readFileSync(join(dir, 'timeloop-model.stats.txt'), 'utf8'), `${id}.txt`, { compat: 'public' });
      return applyXml(printed, new XmlView(`${id}.xml`, parseXml(readFileSync(join(dir, 'timeloop-model.map+stats.xml'), 'utf8'), `${id}.xml`), ''));
    };
    // `Total reduction ops : 18446744073709549176` = 2^64 − 2440 (computes skipped below the output size)
    const ops = load('fz_reduction_ops_wrap').operationalIntensity!;
    expect(ops.totalReductionOps).toBe(-2440);
    expect(ops.totalOps).toBe(ops.totalElementwiseOps - 2440);
    // `Skipped scalar reads : 18446744073709551518` (stats and XML) = 2^64 − 98: a negative SAF share
    expect(load('fz_clampB_negative_share').storage.psum_spad.tensors.Outputs.reads.skipped).toBe(-98);
    const lines = statsText(SPARSE).split('\n');
    const i = lines.findIndex((l) => l.includes('Total reduction ops'));
    lines[i] = lines[i].replace(/: \d+$/, ': 18446744073709551616'); // 2^64: not a uint64
    expect(parseError(() => parseStatsText(lines.join('\n'), 'conv3.txt', { compat: 'public' })).kind).toBe('stats-parse');
  });

  test('an XML from another run (different counts) is rejected', () => {
    const printed = parseStatsText(statsText(DENSE), 'conv1.txt', { compat: 'public' });
    const other = 'dense_outputs/alexnet_conv2';
    const e = parseError(() => applyXml(printed, new XmlView('conv2.xml', parseXml(xmlText(other), 'conv2.xml'), '')));
    expect(e.kind).toBe('stats-parse');
  });
});

describe.skipIf(!available)('strict parsing (reads the artifact: needs ../shared)', () => {
  // read only where the artifact is: a skipped block is still collected
  const lines = available ? statsText(SPARSE).split('\n') : [];
  const lastContent = lines.map((l) => l.trim() !== '').lastIndexOf(true);

  test('every truncation before the last line fails with a stats-parse error at a line', () => {
    let failures = 0;
    for (let k = 0; k <= lastContent; k++) {
      const e = parseError(() => parseStatsText(lines.slice(0, k).join('\n'), 't.txt', { compat: 'public' }));
      expect(e.kind).toBe('stats-parse');
      expect(e.position?.line).toBeGreaterThan(0);
      expect(e.field).toBeTruthy();
      failures++;
    }
    expect(failures).toBe(lastContent + 1);
  });

  test.each([
    ['a non-integer count', 'Actual scalar reads (per-instance)                          : 1054311', 'Actual scalar reads (per-instance)                          : 1054311.5', /Actual scalar reads/],
    ['a missing unit', 'Compute energy        : 2.20 pJ', 'Compute energy        : 2.20', /Compute energy/],
    ['a renamed field', '    Bandwidth throttling : 0.55', '    Bandwidth throttle   : 0.55', /Bandwidth throttling/],
    ['a bad instances value', 'Instances             : 168 (14*12)', 'Instances             : 168', /Instances/],
    ['a bad loop', 'for C in [0:64)', 'for C in [0:64]', /loop/],
  ])('%s is rejected with line and field', (_label, from, to, field) => {
    const text = statsText(SPARSE);
    expect(text).toContain(from);
    const bad = text.replace(from, to);
    const line = text.slice(0, text.indexOf(from)).split('\n').length;
    const e = parseError(() => parseStatsText(bad, 'bad.txt', { compat: 'public' }));
    expect(e.kind).toBe('stats-parse');
    expect(e.file).toBe('bad.txt');
    expect(e.position?.line).toBe(line);
    expect(e.field).toMatch(field);
  });

  test('an unexpected extra line is rejected', () => {
    const text = statsText(DENSE).replace('    Cycles               : 2838528\n', '    Cycles               : 2838528\n    Surprise : 1\n');
    const e = parseError(() => parseStatsText(text, 'x.txt', { compat: 'public' }));
    expect(e.field).toMatch(/Bandwidth throttling/);
  });

  test('trailing text after the summary is rejected', () => {
    const e = parseError(() => parseStatsText(`${statsText(DENSE)}\nextra\n`, 'x.txt', { compat: 'public' }));
    expect(e.field).toMatch(/end of file/);
  });
});

describe.skipIf(!available)('sparsegauge import (CLI) (reads the artifact: needs ../shared)', () => {
  test('writes the result JSON with --out and prints nothing else', () => {
    const out = join(work, 'ok.json');
    const r = cli(['import', join(runDir(SPARSE), 'timeloop-model.stats.txt'), '--xml', join(runDir(SPARSE), 'timeloop-model.map+stats.xml'), '--out', out]);
    expect(r.status).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.summary.cycles).toBe(1916929);
    expect(json.storage.DRAM.tensors.Inputs.bandwidth.sharedPerInstance).toBe(4.73373606080179365e-1);
  });

  test('writes to stdout without --out', () => {
    const r = cli(['import', join(runDir(DENSE), 'timeloop-model.stats.txt')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).storage.DRAM.tensors.Inputs.reads.actual).toBe(776160);
  });

  test('a truncated stats file: exit non-zero, message names file, line and field, no output file', () => {
    const lines = statsText(SPARSE).split('\n');
    const file = join(work, 'truncated.txt');
    writeFileSync(file, lines.slice(0, 300).join('\n'));
    const out = join(work, 'truncated.json');
    const r = cli(['import', file, '--out', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}:301:`);
    expect(r.stderr).toMatch(/stats-parse error in storage\.shared_glb: Data storage size: unexpected end of file, expected Data storage size/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('truncated.json'))).toEqual([]);
  });

  test('a malformed stats file: exit non-zero, message names file, line and field, no output file', () => {
    const text = statsText(DENSE);
    const from = '    Cycles                  : 2838528';
    const line = text.slice(0, text.indexOf(from)).split('\n').length;
    const file = join(work, 'malformed.txt');
    writeFileSync(file, text.replace(from, '    Cycles                  : many'));
    const out = join(work, 'malformed.json');
    const r = cli(['import', file, '--out', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}:${line}:1: stats-parse error in arithmetic: Cycles:`);
    expect(existsSync(out)).toBe(false);
  });

  test('a missing file and a bad option are one-line errors', () => {
    const missing = cli(['import', join(work, 'nope.txt')]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('nope.txt: io error');
    const bad = cli(['import', 'x.txt', '--frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown option --frobnicate');
  });
});

/** A committed public-Timeloop dense output, rewritten line by line into another build's layout. */
const DENSE_CONTROL = join(REPO_ROOT, 'golden', 'oracle', 'reference', 'z_conv3_dense_control', 'output', 'timeloop-model.stats.txt');

/** The 2019-2020 layout of the same numbers: what that build printed differently, and nothing else. */
function as2020Layout(text: string): string {
  return text
    .replace(/^( {4}Compute energy {8}):/m, '    Energy-per-op        :')
    .replace(/^ {4}Computes \(total\) +: \d+\n/m, '')
    .replace(/^ +Shared [bB]andwidth.*\n/gm, '')
    .replace(/^( +@multicast \d+) @scatter \d+:/gm, '$1:')
    .replace(/\nOperational Intensity Stats\n[\s\S]*?\n(?=Summary Stats\n)/, '\nTotal topology energy: 1.00 pJ\nTotal topology area: 1.00 um^2\nMax topology cycles: 1\n\n')
    .replace(/^(GFLOPs|EDP).*\n/gm, '')
    .replace(/^Computes = /m, 'MACCs = ')
    .replace(/^pJ\/Compute$/m, 'pJ/MACC');
}

describe('published stats layouts', () => {
  const current = parseStatsText(readFileSync(DENSE_CONTROL, 'utf8'), 'dense.txt', { compat: 'public' });

  test('the 2019-2020 layout is read into the same fields, without those it does not print', () => {
    const old = parseStatsText(as2020Layout(readFileSync(DENSE_CONTROL, 'utf8')), 'old.txt', { compat: 'public' });
    expect(old.meta).toMatchObject({ statsFormat: 'timeloop-dense', statsLayout: 'timeloop-2020' });
    expect(current.meta.statsLayout).toBeUndefined();
    expect(old.storage).toEqual(
      JSON.parse(JSON.stringify(current.storage, (k, v) => (k === 'sharedBandwidth' || k === 'sharedPerInstance' || k === 'sharedTotal' ? undefined : v))),
    );
    expect(old.arithmetic.stats.actualComputes).toBeUndefined();
    expect(old.summary.actualComputes).toBe(current.summary.actualComputes);
    expect(old.summary.pJPerCompute).toEqual(current.summary.pJPerCompute);
    expect(old.operationalIntensity).toBeUndefined();
    const hist = Object.values(old.networks)[0].tensors.Weights.ingressHistogram;
    expect(hist.every((e) => e.scatter === undefined)).toBe(true);
    expect(hist.map((e) => e.accesses)).toEqual(Object.values(current.networks)[0].tensors.Weights.ingressHistogram.map((e) => e.accesses));
  });

  test('a layout that mixes features of known ones is an unknown layout: a positioned stats-parse error naming the difference', () => {
    const text = readFileSync(DENSE_CONTROL, 'utf8').replace(/^( {4}Compute energy {8}):/m, '    Energy-per-op        :');
    const e = parseError(() => parseStatsText(text, 'mixed.txt', { compat: 'public' }));
    expect(e.kind).toBe('stats-parse');
    expect(e.file).toBe('mixed.txt');
    const line = text.split('\n').findIndex((l) => l.includes('Energy-per-op')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(e.position).toEqual({ line, column: 1 });
    expect(e.message).toBe(`unknown stats layout: closest known layout 'timeloop-dense' differs in computeEnergyLabel: "Energy-per-op"`);
  });

});

const corpus = join(sharedRoot(), 'timeloop-corpus');
const corpusHere = existsSync(corpus);
const corpusCases = corpusHere ? readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'inputs'))) : [];
const statsFiles = (folder: string) =>
  corpusCases.flatMap((c) => {
    const dir = join(corpus, c, folder);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('stats.txt')).map((f) => join(dir, f)) : [];
  });
const importWithXml = (stats: string) => {
  const xml = stats.replace(/stats\.txt$/, 'map+stats.xml');
  return importStats({ statsPath: stats, xmlPath: existsSync(xml) ? xml : undefined, compat: 'public' });
};

describe.skipIf(!corpusHere)('published Timeloop corpus (skipped: ../shared/timeloop-corpus is not beside this clone)', () => {
  test('every ref/ stats file imports with its XML, in six layouts', () => {
    const layouts = new Map<string, number>();
    for (const f of statsFiles('ref')) {
      const r = importWithXml(f);
      const id = r.meta.statsLayout ?? r.meta.statsFormat;
      layouts.set(id, (layouts.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries([...layouts].sort())).toEqual({
      sparseloop: 108,
      'sparseloop-2021': 7,
      'sparseloop-2021-dense': 2,
      'sparseloop-2021-metadata': 3,
      'timeloop-2020': 13,
      'timeloop-dense': 16,
    });
  });

  test('every public-0424956/ stats file imports with its XML in the layouts public Timeloop prints', () => {
    const files = statsFiles('public-0424956');
    expect(files).toHaveLength(77);
    for (const f of files) expect(importWithXml(f).meta.statsLayout).toBeUndefined();
  });

  test('2019-2020 layout: MACCs, histogram without scatter, no operational intensity', () => {
    const r = importWithXml(join(corpus, 'tlax2022-ex2020-00-1level', 'ref', 'timeloop-model.stats.txt'));
    expect(r.meta.statsLayout).toBe('timeloop-2020');
    expect(r.summary.actualComputes).toBe(48);
    expect(r.storage.Buffer.tensors.Outputs.reads.actual).toBe(32);
    expect(r.storage.Buffer.tensors.Outputs.updates.actual).toBe(48);
    expect(r.networks['Buffer <==> MACC'].tensors.Weights.ingressHistogram).toEqual([{ multicast: 1, accesses: 48 }]);
    expect(r.operationalIntensity).toBeUndefined();
  });

  test("the artifact build's streamed tensors are their own entries, outside the XML's keep set", () => {
    const r = importWithXml(join(corpus, 'micro22-fig15-TC-RF2x-24-bandwidth-M512-K1024-N256-WD-0.25', 'ref', 'timeloop-model.stats.txt'));
    expect(Object.keys(r.storage.SMEM.tensors)).toEqual(['A (Streamed)', 'B']);
    expect(r.storage.SMEM.tensors['A (Streamed)'].reads.actual).toBe(1048576);
    expect(r.storage.SMEM.tensors['A (Streamed)'].maxUtilizedDataStorageCapacity).toBe(0);
  });

  test('2021 Sparseloop layout: no per-tensor average instances, a bare format capacity is no format', () => {
    const r = importWithXml(join(corpus, 'tlax2022-isca21-01.2.2-SUDU-gating', 'ref', 'timeloop-model.stats.txt'));
    expect(r.meta.statsLayout).toBe('sparseloop-2021');
    expect(r.arithmetic.stats).toMatchObject({ algorithmicComputes: 16, actualComputes: 4 });
    expect(r.storage.Buffer.tensors.A.utilizedInstancesAverage).toBeUndefined();
    expect(r.storage.Buffer.tensors.A.maxUtilizedFormatCapacity).toEqual([]);
  });

  test('every public-head/ stats file (Timeloop v3, master @ 4cf6d4c) imports with its XML', () => {
    const layouts = statsFiles('public-head').map((f) => importWithXml(f).meta.statsLayout);
    expect(layouts.filter((l) => l === 'timeloop-v3')).toHaveLength(46);
    expect(layouts.filter((l) => l === 'timeloop-v3-dense')).toHaveLength(31);
  });
});
