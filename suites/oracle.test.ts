/**
 * Oracle suite: Eyeriss v1 variants beyond Table 7 (shapes, densities, loop orders, spatial splits,
 * gating/skipping, formats), every case and metric family against golden/oracle, whose references
 * public Timeloop (NVlabs/timeloop @ 0424956) produced from our spec (golden/oracle/cases.yaml).
 */
import { defineGoldenSuite } from './harness/golden-suite.ts';

defineGoldenSuite('oracle');
