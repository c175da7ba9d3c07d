/**
 * Emulation of x87 80-bit extended precision ("long double": 64-bit significand, round to nearest
 * even), enough to reproduce a long-double computation whose rounding errors matter: a value is a
 * double-double significand (about 106 bits) scaled by a separate binary exponent, and every
 * operation rounds its (nearly exact) result to 64 significand bits. pow/exp/log/sqrt are computed
 * to double-double accuracy and then rounded, so they may differ from the C library by an ulp of
 * the 64-bit significand; the basic operations are exact except in ~2⁻⁴⁰ of midpoint cases.
 */

/** (hi + lo)·2^e with |hi| in [1, 2) and hi + lo a normalized double-double (or all zero). */
export interface Ext {
  hi: number;
  lo: number;
  e: number;
}

const ZERO: Ext = { hi: 0, lo: 0, e: 0 };
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;

// ---------------------------------------------------------------- double-double primitives

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function split(a: number): [number, number] {
  const c = 134217729 * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [s, e] = twoSum(ah, bh);
  const [t, f] = twoSum(al, bl);
  const [s2, e2] = twoSum(s, e + t);
  return twoSum(s2, e2 + f);
}

function ddMul(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [p, e] = twoProd(ah, bh);
  return twoSum(p, e + (ah * bl + al * bh));
}

function ddDiv(ah: number, al: number, bh: number, bl: number): [number, number] {
  const q1 = ah / bh;
  let [rh, rl] = ddAdd(ah, al, ...ddMul(-q1, 0, bh, bl));
  const q2 = rh / bh;
  [rh, rl] = ddAdd(rh, rl, ...ddMul(-q2, 0, bh, bl));
  const q3 = rh / bh;
  const [h, l] = twoSum(q1, q2);
  return ddAdd(h, l, q3, 0);
}

/** e^(zh + zl) as a double-double times 2^k (any magnitude of z that fits a double). */
function ddExp(zh: number, zl: number): { h: number; l: number; k: number } {
  const k = Math.round(zh / LN2_HI);
  // r = z − k·ln2, |r| ≤ ~0.35
  let [rh, rl] = ddAdd(zh, zl, ...ddMul(-k, 0, LN2_HI, LN2_LO));
  const squarings = 10;
  rh /= 1 << squarings;
  rl /= 1 << squarings;
  // Taylor series of e^r − 1 (|r| < 4e-4): 14 terms reach far below 2⁻¹⁰⁶.
  let [th, tl] = [rh, rl];
  let [sh, sl] = [rh, rl];
  for (let i = 2; i <= 14; i++) {
    [th, tl] = ddDiv(...ddMul(th, tl, rh, rl), i, 0);
    [sh, sl] = ddAdd(sh, sl, th, tl);
  }
  // (1 + s)² − 1 = s·(2 + s), kept relative to 1 to keep the small part exact.
  for (let i = 0; i < squarings; i++) [sh, sl] = ddMul(sh, sl, ...ddAdd(2, 0, sh, sl));
  const [h, l] = ddAdd(1, 0, sh, sl);
  return { h, l, k };
}

/** ln(mh + ml) for a double-double in [1, 2): Newton on e^y = m from the double logarithm. */
function ddLog(mh: number, ml: number): [number, number] {
  let [yh, yl] = [Math.log(mh + ml), 0];
  for (let i = 0; i < 2; i++) {
    const { h, l, k } = ddExp(-yh, -yl);
    const [ph, pl] = ddMul(mh, ml, h * 2 ** k, l * 2 ** k);
    [yh, yl] = ddAdd(yh, yl, ...ddAdd(ph, pl, -1, 0));
  }
  return [yh, yl];
}

// ---------------------------------------------------------------- extended values

function exponentOf(x: number): number {
  let k = Math.floor(Math.log2(Math.abs(x)));
  while (2 ** k > Math.abs(x)) k--;
  while (2 ** (k + 1) <= Math.abs(x)) k++;
  return k;
}

function normalize(h: number, l: number, e: number): Ext {
  [h, l] = twoSum(h, l);
  if (h === 0) return ZERO;
  const k = exponentOf(h);
  const s = 2 ** -k;
  return { hi: h * s, lo: l * s, e: e + k };
}

function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** Round to a 64-bit significand, ties to even (hi is a multiple of 2⁻⁵², so only lo moves). */
function round64(x: Ext): Ext {
  if (x.hi === 0) return ZERO;
  const belowBinade = Math.abs(x.hi) === 1 && x.lo !== 0 && Math.sign(x.lo) !== Math.sign(x.hi);
  const unit = belowBinade ? 2 ** -64 : 2 ** -63;
  const q = x.lo / unit;
  const r = roundHalfEven(q);
  return r === q ? x : normalize(x.hi, r * unit, x.e);
}

/** A double (exactly representable). */
export function ext(x: number): Ext {
  return normalize(x, 0, 0);
}

/** a + b + …, summed in double-double and rounded once. */
export function sum(...values: number[]): Ext {
  let [h, l] = [0, 0];
  for (const v of values) [h, l] = ddAdd(h, l, v, 0);
  return round64(normalize(h, l, 0));
}

/** A double-double rounded to extended precision (for constants given as hi + lo). */
export function extFromPair(hi: number, lo: number): Ext {
  return round64(normalize(hi, lo, 0));
}

export function mul(a: Ext, b: Ext): Ext {
  const [h, l] = ddMul(a.hi, a.lo, b.hi, b.lo);
  return round64(normalize(h, l, a.e + b.e));
}

export function div(a: Ext, b: Ext): Ext {
  const [h, l] = ddDiv(a.hi, a.lo, b.hi, b.lo);
  return round64(normalize(h, l, a.e - b.e));
}

export function sqrt(a: Ext): Ext {
  if (a.hi === 0) return ZERO;
  const odd = ((a.e % 2) + 2) % 2;
  const [mh, ml] = [a.hi * 2 ** odd, a.lo * 2 ** odd];
  const s = Math.sqrt(mh);
  // One Newton step s + (m − s²)/(2s) in double-double.
  const [rh, rl] = ddAdd(mh, ml, ...ddMul(-s, 0, s, 0));
  const [h, l] = ddAdd(s, 0, ...ddDiv(rh, rl, 2 * s, 0));
  return round64(normalize(h, l, (a.e - odd) / 2));
}

/** a^y for a > 0 and a double y, as e^(y·ln a). */
export function pow(a: Ext, y: number): Ext {
  if (y === 0) return ext(1);
  const [lh, ll] = ddAdd(...ddLog(a.hi, a.lo), ...ddMul(a.e, 0, LN2_HI, LN2_LO));
  const [zh, zl] = ddMul(lh, ll, y, 0);
  const { h, l, k } = ddExp(zh, zl);
  return round64(normalize(h, l, k));
}

/** Whether a non-negative value is below 2^exponent. */
export function below(a: Ext, exponent: number): boolean {
  return a.hi === 0 || a.e < exponent;
}

/** Narrowing to double (round to nearest). */
export function toNumber(a: Ext): number {
  const d = a.hi + a.lo;
  // Scale in two steps so that 2^e itself never overflows or underflows.
  const half = Math.trunc(a.e / 2);
  return d * 2 ** half * 2 ** (a.e - half);
}

/** Σ num_i z^i / Σ den_i z^i (Horner in double-double), rounded; num given as hi + lo pairs. */
export function rational(num: [number, number][], den: number[], z: number): Ext {
  let [nh, nl] = [0, 0];
  let [dh, dl] = [0, 0];
  for (let i = num.length - 1; i >= 0; i--) {
    [nh, nl] = ddAdd(...ddMul(nh, nl, z, 0), num[i][0], num[i][1]);
    [dh, dl] = ddAdd(...ddMul(dh, dl, z, 0), den[i], 0);
  }
  const [h, l] = ddDiv(nh, nl, dh, dl);
  return round64(normalize(h, l, 0));
}
