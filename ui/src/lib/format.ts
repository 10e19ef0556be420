import type { Money } from './bindings';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function count(n: number | bigint | null | undefined): string {
  return n === null || n === undefined ? '—' : int.format(n);
}

export function fixed1(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : dec1.format(n);
}

export function money(n: number | null | undefined, currency = 'USD'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(n);
}

export function pct(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(1)}%`;
}

/** Amounts per currency, never added across currencies: "$1,200 + €300". Nothing: 0 in `fallback`. */
export function amounts(m: Money[] | null | undefined, fallback = 'USD'): string {
  if (!m || m.length === 0) return money(0, fallback);
  return m.map((x) => money(x.amount, x.currency)).join(' + ');
}

/** `after − before`, currency by currency (a currency only one side has counts as 0 on the other). */
export function difference(before: Money[], after: Money[]): Money[] {
  const out = new Map<string, number>();
  for (const m of after) out.set(m.currency, (out.get(m.currency) ?? 0) + m.amount);
  for (const m of before) out.set(m.currency, (out.get(m.currency) ?? 0) - m.amount);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}
