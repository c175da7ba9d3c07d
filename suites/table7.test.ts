/** Table 7 (MICRO'22 Sparseloop): every golden case, every metric family, against golden/table7. */
import { defineGoldenSuite } from './harness/golden-suite.ts';

defineGoldenSuite('table7');
