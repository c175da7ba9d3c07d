/**
 * Corpus suite: published Timeloop/Sparseloop run folders (golden/corpus/cases.yaml, 158 cases from
 * ../shared/timeloop-corpus), evaluated from their own inputs. Every case public Timeloop @ 0424956
 * runs must match its outputs (imported into golden/corpus/<case>.json); every case it refuses must
 * be refused with a positioned error naming the same cause; golden/corpus/known-gaps.yaml lists the
 * cases that do not yet, and each of those checks it is still that gap. Without ../shared every case
 * is skipped (the inputs are never copied into the repository).
 */
import { defineGoldenSuite } from './harness/golden-suite.ts';

defineGoldenSuite('corpus');
