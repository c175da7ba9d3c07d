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
// Each primitive leaves its double-double result in the registers H + L (and ddExp its power of
// two in K) instead of returning a pair: the same operations in the same order, without an array
// per operation (an emulated Boost pdf performs thousands of them).

let H = 0;
let L = 0;
let K = 0;

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  H = s;
  L = a - (s - bb) + (b - bb);
}

function twoProd(a: number, b: number): void {
  const p = a * b;
  let c = 134217729 * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = 134217729 * b;
  const bh = c - (c - b);
  const bl = b - bh;
  H = p;
  L = ah * bh - p + ah * bl + al * bh + al * bl;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s = H;
  const e = L;
  twoSum(al, bl);
  const t = H;
  const f = L;
  twoSum(s, e + t);
  twoSum(H, L + f);
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  twoSum(H, L + (ah * bl + al * bh));
}

function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(-q1, 0, bh, bl);
  ddAdd(ah, al, H, L);
  let rh = H;
  let rl = L;
  const q2 = rh / bh;
  ddMul(-q2, 0, bh, bl);
  ddAdd(rh, rl, H, L);
  rh = H;
  rl = L;
  const q3 = rh / bh;
  twoSum(q1, q2);
  ddAdd(H, L, q3, 0);
}

/** e^(zh + zl) as a double-double (H + L) times 2^K (any magnitude of z that fits a double). */
function ddExp(zh: number, zl: number): void {
  const k = Math.round(zh / LN2_HI);
  // r = z − k·ln2, |r| ≤ ~0.35
  ddMul(-k, 0, LN2_HI, LN2_LO);
  ddAdd(zh, zl, H, L);
  const squarings = 10;
  const rh = H / (1 << squarings);
  const rl = L / (1 << squarings);
  // Taylor series of e^r − 1 (|r| < 4e-4): 14 terms reach far below 2⁻¹⁰⁶.
  let th = rh;
  let tl = rl;
  let sh = rh;
  let sl = rl;
  for (let i = 2; i <= 14; i++) {
    ddMul(th, tl, rh, rl);
    ddDiv(H, L, i, 0);
    th = H;
    tl = L;
    ddAdd(sh, sl, th, tl);
    sh = H;
    sl = L;
  }
  // (1 + s)² − 1 = s·(2 + s), kept relative to 1 to keep the small part exact.
  for (let i = 0; i < squarings; i++) {
    ddAdd(2, 0, sh, sl);
    ddMul(sh, sl, H, L);
    sh = H;
    sl = L;
  }
  ddAdd(1, 0, sh, sl);
  K = k;
}

/** ln(mh + ml) for a double-double in [1, 2), into H + L: Newton on e^y = m from the double logarithm. */
function ddLog(mh: number, ml: number): void {
  let yh = Math.log(mh + ml);
  let yl = 0;
  for (let i = 0; i < 2; i++) {
    ddExp(-yh, -yl);
    ddMul(mh, ml, H * 2 ** K, L * 2 ** K);
    ddAdd(H, L, -1, 0);
    ddAdd(yh, yl, H, L);
    yh = H;
    yl = L;
  }
  H = yh;
  L = yl;
}

// ---------------------------------------------------------------- extended values

function exponentOf(x: number): number {
  let k = Math.floor(Math.log2(Math.abs(x)));
  while (2 ** k > Math.abs(x)) k--;
  while (2 ** (k + 1) <= Math.abs(x)) k++;
  return k;
}

function normalize(h: number, l: number, e: number): Ext {
  twoSum(h, l);
  h = H;
  l = L;
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
  let h = 0;
  let l = 0;
  for (const v of values) {
    ddAdd(h, l, v, 0);
    h = H;
    l = L;
  }
  return round64(normalize(h, l, 0));
}

/** A double-double rounded to extended precision (for constants given as hi + lo). */
export function extFromPair(hi: number, lo: number): Ext {
  return round64(normalize(hi, lo, 0));
}

export function mul(a: Ext, b: Ext): Ext {
  ddMul(a.hi, a.lo, b.hi, b.lo);
  return round64(normalize(H, L, a.e + b.e));
}

export function div(a: Ext, b: Ext): Ext {
  ddDiv(a.hi, a.lo, b.hi, b.lo);
  return round64(normalize(H, L, a.e - b.e));
}

export function sqrt(a: Ext): Ext {
  if (a.hi === 0) return ZERO;
  const odd = ((a.e % 2) + 2) % 2;
  const [mh, ml] = [a.hi * 2 ** odd, a.lo * 2 ** odd];
  const s = Math.sqrt(mh);
  // One Newton step s + (m − s²)/(2s) in double-double.
  ddMul(-s, 0, s, 0);
  ddAdd(mh, ml, H, L);
  ddDiv(H, L, 2 * s, 0);
  ddAdd(s, 0, H, L);
  return round64(normalize(H, L, (a.e - odd) / 2));
}

/** a^y for a > 0 and a double y, as e^(y·ln a). */
export function pow(a: Ext, y: number): Ext {
  if (y === 0) return ext(1);
  ddLog(a.hi, a.lo);
  const gh = H;
  const gl = L;
  ddMul(a.e, 0, LN2_HI, LN2_LO);
  ddAdd(gh, gl, H, L);
  ddMul(H, L, y, 0);
  ddExp(H, L);
  return round64(normalize(H, L, K));
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
  let nh = 0;
  let nl = 0;
  let dh = 0;
  let dl = 0;
  for (let i = num.length - 1; i >= 0; i--) {
    ddMul(nh, nl, z, 0);
    ddAdd(H, L, num[i][0], num[i][1]);
    nh = H;
    nl = L;
    ddMul(dh, dl, z, 0);
    ddAdd(H, L, den[i], 0);
    dh = H;
    dl = L;
  }
  ddDiv(nh, nl, dh, dl);
  return round64(normalize(H, L, 0));
}
