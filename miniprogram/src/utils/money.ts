/** Money arrives as integer fen; it is turned into yuan text only here, at the edge. */

/** 350 → "3.50" */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${Math.floor(abs / 100)}.${cents}`;
}

/** 350 → "¥3.50" */
export function price(fen: number): string {
  return `¥${yuan(fen)}`;
}
