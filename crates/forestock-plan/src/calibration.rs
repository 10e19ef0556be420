//! Empirical recalibration of the service-level parameter.
//!
//! The order-up-to level is the `p`-quantile of the engine's distribution of demand over the
//! protection interval. The cycle service a policy then achieves is not `p` exactly: the engine's
//! window distributions can be too wide or too narrow, and the replay's own structure (the first
//! cycle starts with the whole order-up-to level on hand, lost sales) moves it too. The fix is a
//! backtest recalibration in the spirit of the probability-integral-transform recalibration of
//! Kuleshov, Fenner & Ermon, *Accurate Uncertainty for Deep Learning Using Calibrated Regression*
//! (ICML 2018): measure the achieved service `c(p)` over a grid of quantile levels on data whose
//! outcome is already known (an earlier replay window of the same series), make it monotone
//! (running maximum, the isotonic step), and invert it: a target `τ` uses the smallest level
//! with `c(p) >= τ`, linearly interpolated between grid points.

/// Highest quantile level ever used (keeps order-up-to levels finite on heavy tails).
pub const MAX_LEVEL: f64 = 0.999;

/// Quantile levels at which the achieved service is measured.
pub fn grid() -> Vec<f64> {
    let mut g: Vec<f64> = (50..100).map(|i| f64::from(i) / 100.0).collect();
    g.extend([0.995, MAX_LEVEL]);
    g
}

/// A learned map from target service level to the quantile level to ask the engine for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LevelCalibration {
    /// (quantile level, achieved service), levels increasing, achieved non-decreasing.
    curve: Vec<(f64, f64)>,
}

impl LevelCalibration {
    /// Learn from measured (level, achieved service) pairs; non-finite pairs are dropped.
    pub fn from_curve(points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let mut pts: Vec<(f64, f64)> = points
            .into_iter()
            .filter(|(p, c)| p.is_finite() && c.is_finite())
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut best = f64::NEG_INFINITY;
        for pt in &mut pts {
            best = best.max(pt.1);
            pt.1 = best;
        }
        LevelCalibration { curve: pts }
    }

    /// The monotone (level, achieved service) curve learned.
    pub fn curve(&self) -> &[(f64, f64)] {
        &self.curve
    }

    /// Quantile level to use for a target service level. Without a curve, or for a target
    /// outside the range it covers: the target itself, capped at [`MAX_LEVEL`] above the range.
    pub fn level(&self, target: f64) -> f64 {
        let c = &self.curve;
        let (Some(first), Some(last)) = (c.first(), c.last()) else {
            return target;
        };
        if target <= first.1 {
            return target.min(first.0);
        }
        if target > last.1 {
            return target.max(last.0).min(MAX_LEVEL);
        }
        let k = c.partition_point(|pt| pt.1 < target);
        let (p0, c0) = c[k - 1];
        let (p1, c1) = c[k];
        if c1 - c0 <= f64::EPSILON {
            return p1;
        }
        p0 + (p1 - p0) * (target - c0) / (c1 - c0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_curve_maps_targets_to_themselves() {
        let c = LevelCalibration::from_curve(grid().into_iter().map(|p| (p, p)));
        for t in [0.6, 0.9, 0.95, 0.99] {
            assert!((c.level(t) - t).abs() < 1e-9, "{t} -> {}", c.level(t));
        }
        assert_eq!(LevelCalibration::default().level(0.9), 0.9);
    }

    #[test]
    fn over_covering_gets_lower_levels_and_stays_monotone() {
        // Achieved service above nominal: 1 - (1 - p) / 2.
        let c =
            LevelCalibration::from_curve(grid().into_iter().map(|p| (p, 1.0 - (1.0 - p) / 2.0)));
        assert!((c.level(0.9) - 0.8).abs() < 1e-9);
        let mut last = 0.0;
        for i in 50..100 {
            let l = c.level(f64::from(i) / 100.0);
            assert!(l >= last && l <= MAX_LEVEL);
            last = l;
        }
    }

    #[test]
    fn non_monotone_measurements_are_smoothed() {
        let c = LevelCalibration::from_curve([(0.5, 0.6), (0.6, 0.55), (0.7, 0.8)]);
        assert_eq!(c.curve()[1].1, 0.6);
        assert!(c.level(0.7) > 0.6 && c.level(0.7) < 0.7);
    }
}
