import type { PlanSettingsForm } from './bindings';

/** The settings as the form shows them: shares as percentages (97 rather than 0.97). */
export type SettingsInputs = Omit<PlanSettingsForm, 'service_level_a' | 'service_level_b' | 'service_level_c' | 'safety_stock_weekly_cap' | 'fill_rate_floor'> & {
  service_level_a_pct: number;
  service_level_b_pct: number;
  service_level_c_pct: number;
  safety_stock_weekly_cap_pct: number;
  fill_rate_floor_pct: number;
};

// Rounded to 4 decimals so 0.97 * 100 shows as 97, not 97.00000000000001.
const pct = (share: number) => Math.round(share * 100 * 1e4) / 1e4;
const share = (p: number) => Math.round((p / 100) * 1e6) / 1e6;

export function toInputs(s: PlanSettingsForm): SettingsInputs {
  const { service_level_a, service_level_b, service_level_c, safety_stock_weekly_cap, fill_rate_floor, ...rest } = s;
  return {
    ...rest,
    service_level_a_pct: pct(service_level_a),
    service_level_b_pct: pct(service_level_b),
    service_level_c_pct: pct(service_level_c),
    safety_stock_weekly_cap_pct: pct(safety_stock_weekly_cap),
    fill_rate_floor_pct: pct(fill_rate_floor),
  };
}

export function fromInputs(i: SettingsInputs): PlanSettingsForm {
  const { service_level_a_pct, service_level_b_pct, service_level_c_pct, safety_stock_weekly_cap_pct, fill_rate_floor_pct, ...rest } = i;
  return {
    ...rest,
    service_level_a: share(Number(service_level_a_pct)),
    service_level_b: share(Number(service_level_b_pct)),
    service_level_c: share(Number(service_level_c_pct)),
    safety_stock_weekly_cap: share(Number(safety_stock_weekly_cap_pct)),
    fill_rate_floor: share(Number(fill_rate_floor_pct)),
    forecast_runs_kept: Number(rest.forecast_runs_kept),
    stockout_day_worth: Number(rest.stockout_day_worth),
    review_days: Number(rest.review_days),
    horizon_days: Number(rest.horizon_days),
    dead_after_days: Number(rest.dead_after_days),
    approval_value_threshold: Number(rest.approval_value_threshold),
    approval_change_pct: Number(rest.approval_change_pct),
    excess_cover_days: Number(rest.excess_cover_days),
    slow_cover_days: Number(rest.slow_cover_days),
  };
}
