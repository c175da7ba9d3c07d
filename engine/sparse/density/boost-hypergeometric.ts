/**
 * The hypergeometric pmf as the reference computes it for large tensors. Timeloop asks Boost.Math
 * (1.74, `hypergeometric_distribution<double>`), which evaluates in long double and, for a
 * population N above 104729 (its largest tabulated prime), uses a Lanczos approximation of the
 * factorial ratios: nine powers (n + g + ½)^(n + ½) … combined pairwise before exponentiation.
 * Its bases are rounded to 64 bits and then raised to powers of order N, so the result is off by
 * up to ~10⁻¹³ relative — enough to move ⌊R·p⌋ when R·p is an integer (e.g. the empty
 * probability of a one-word tile, (N − r)/N, feeding storage gating). This file repeats that
 * evaluation operation by operation in emulated extended precision (extended-float.ts); the
 * rounding of the amplified steps (sums, reciprocals, products of bases, e^k) is reproduced
 * exactly, the rest (pow, the Lanczos sums) to within an ulp of the 64-bit significand.
 */
import { type Ext, below, div, ext, extFromPair, mul, pow, rational, sqrt, sum, toNumber } from './extended-float.ts';

/** Boost uses its Lanczos evaluation above this population (prime(9999), its last tabulated prime). */
export const LANCZOS_POPULATION = 104729;

/** lanczos17m64: g, and the numerator (long double constants as hi + lo) and denominator of the expG-scaled sum. */
const G = 12.2252227365970611572265625;
const NUM: [number, number][] = [
  [2715894658327.7173, 9.250640869140625e-5],
  [3590179526097.912, -4.291534423828125e-6],
  [2223966599737.815, 2.7894973754882812e-5],
  [856940834518.9563, -5.066394805908203e-5],
  [229885871668.74908, -1.1533498764038086e-5],
  [45526171687.546104, 3.725290298461914e-6],
  [6884887713.165179, -4.6798959374427795e-7],
  [811048596.1407531, 3.6496203392744064e-8],
  [75213915.96540822, 2.255546860396862e-9],
  [5509245.417224265, 4.4792614062316716e-10],
  [317673.5368435419, 1.949729266925715e-11],
  [14268.279898450355, 2.4868995751603507e-14],
  [489.3618720403264, -8.076872504148014e-15],
  [12.389413300384545, -5.316927453868914e-16],
  [0.2183627389504615, 8.429671891074797e-18],
  [0.002393749522058449, 6.162164691275035e-20],
  [1.2295414089094352e-5, 4.739744909928849e-22],
];
const DEN = [
  0, 1307674368000, 4339163001600, 6165817614720, 5056995703824, 2706813345600, 1009672107080, 272803210680, 54631129553, 8207628000,
  928095740, 78558480, 4899622, 218400, 6580, 120, 1,
];

/** e^k in extended precision for k = −9..9, as glibc's x87 expl returns it (not always correctly rounded). */
const EXPL: [number, number][] = [
  [0.00012340980408667956, -1.1712877473750872e-20],
  [0.00033546262790251185, -1.4399560103323106e-20],
  [0.0009118819655545162, -3.5734202462290796e-20],
  [0.0024787521766663585, -6.776263578034403e-20],
  [0.006737946999085467, 9.571472303973594e-20],
  [0.01831563888873418, 1.624609192833748e-18],
  [0.049787068367863944, -1.4840017235895342e-18],
  [0.1353352832366127, -1.0421893383016911e-17],
  [0.36787944117144233, -1.2414114874959026e-17],
  [1.0, 0.0],
  [2.718281828459045, 1.446325698095663e-16],
  [7.38905609893065, -1.7954387976359953e-16],
  [20.085536923187668, -1.8214596497756474e-16],
  [54.598150033144236, 2.8727020762175925e-15],
  [148.4131591025766, 3.4833247397614286e-15],
  [403.4287934927351, 1.2351231148954867e-14],
  [1096.6331584284585, 9.869882688917642e-14],
  [2980.9579870417283, -2.708944180085382e-14],
  [8103.083927575384, -2.1538326677728037e-13],
];

/** Smallest normal long double: 2^−16382. */
const MIN_EXPONENT = -16382;

function expInt(k: number): Ext {
  const e = EXPL[k + 9];
  if (!e) throw new Error(`e^${k} outside the tabulated range`);
  return extFromPair(e[0], e[1]);
}

/** The expG-scaled Lanczos sum Σ num_i z^i / Σ den_i z^i, evaluated accurately and rounded. */
function lanczosSum(z: number): Ext {
  return rational(NUM, DEN, z);
}

/** pdf(x; r successes, n draws, population N), N > LANCZOS_POPULATION. */
export function boostHypergeometricPdf(x: number, r: number, n: number, N: number): number {
  return boostHypergeometricPdfOf(r, n, N)(x);
}

// (v + g) + ½ is exact in long double (v < 2³², g has 29 significant bits): one rounding suffices.
const base = (v: number): Ext => sum(v, G, 0.5);

/**
 * pdf(·; r, n, N) as a function of x, with the terms that do not depend on x (four bases, 1/base(N)
 * and five Lanczos sums) evaluated once: the same operations on the same values as evaluating each
 * x from scratch, for callers that sum over many x.
 */
export function boostHypergeometricPdfOf(r: number, n: number, N: number): (x: number) => number {
  const one = ext(1);
  const fixed: Ext[] = [base(n), base(r), base(N - n), base(N - r), div(one, base(N))];
  const L = lanczosSum;
  const numer = mul(mul(mul(L(n + 1), L(r + 1)), L(N - n + 1)), L(N - r + 1));
  const lanczosN = L(N + 1);
  return (x) => pdfAt(x, r, n, N, fixed, numer, lanczosN);
}

function pdfAt(x: number, r: number, n: number, N: number, fixed: Ext[], numer: Ext, lanczosN: Ext): number {
  const one = ext(1);
  const bases: Ext[] = [
    ...fixed,
    div(one, base(x)),
    div(one, base(n - x)),
    div(one, base(r - x)),
    div(one, base(N - n - r + x)),
  ];
  const exps = [n + 0.5, r + 0.5, N - n + 0.5, N - r + 0.5, N + 0.5, x + 0.5, n - x + 0.5, r - x + 0.5, N - n - r + x + 0.5];
  const factors = [-1, -1, -1, -1, 1, 1, 1, 1, 1];
  // Indexes by decreasing exponent; ties keep their order (an insertion sort, as for 9 elements).
  const s = [0, 1, 2, 3, 4, 5, 6, 7, 8].sort((i, j) => exps[j] - exps[i]);
  const bubbleDown = (from: number) => {
    for (let i = from; i + 1 < 9 && !(exps[s[i]] > exps[s[i + 1]]); i++) [s[i], s[i + 1]] = [s[i + 1], s[i]];
  };
  // x^a·y^b = x^(a−b)·(x·y)^b: fold the largest exponent into the next until at most one is > 1.
  do {
    exps[s[0]] -= exps[s[1]];
    bases[s[1]] = mul(bases[s[1]], bases[s[0]]);
    if (below(bases[s[1]], MIN_EXPONENT) && exps[s[1]] !== 0) return 0;
    factors[s[1]] += factors[s[0]];
    bubbleDown(0);
  } while (exps[s[1]] > 1);
  // Combine equal powers.
  let j = 8;
  while (j > 0 && exps[s[j]] === 0) j--;
  while (j > 0) {
    while (j > 0 && exps[s[j - 1]] === exps[s[j]]) {
      bases[s[j - 1]] = mul(bases[s[j - 1]], bases[s[j]]);
      exps[s[j]] = 0;
      factors[s[j - 1]] += factors[s[j]];
      bubbleDown(j);
      j--;
    }
    j--;
  }
  const term = (i: number): Ext => (factors[i] === 0 ? bases[i] : mul(bases[i], expInt(factors[i])));
  let result = pow(term(s[0]), exps[s[0]]);
  for (let i = 1; i < 9 && exps[s[i]] > 0; i++) {
    if (below(result, MIN_EXPONENT)) return 0;
    const t = term(s[i]);
    const e = exps[s[i]];
    result = mul(result, e === 1 ? t : e === 0.5 ? sqrt(t) : pow(t, e));
  }
  const L = lanczosSum;
  const denom = mul(mul(mul(mul(lanczosN, L(x + 1)), L(n - x + 1)), L(r - x + 1)), L(N - n - r + x + 1));
  result = mul(result, div(numer, denom));
  return Math.min(1, Math.max(0, toNumber(result)));
}
