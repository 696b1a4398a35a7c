/**
 * Kazakhstan IIN (individual identification number, Appendix 1): 12 digits,
 * YYMMDD of birth, a century-and-sex digit, a serial, and a check digit computed
 * with two weight rounds (the second used when the first gives 10; 10 again means invalid).
 */
const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  const sum = (w: number[]) => digits.reduce((acc, d, i) => acc + d * (w[i] ?? 0), 0) % 11;
  let check = sum(WEIGHTS_1);
  if (check === 10) check = sum(WEIGHTS_2);
  return check === 10 ? null : check;
}

export function isValidIin(iin: string): boolean {
  if (!/^\d{12}$/.test(iin)) return false;
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return iinCheckDigit(iin.slice(0, 11)) === Number(iin[11]);
}
