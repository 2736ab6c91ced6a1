//! The reward-driven share of HiGHS's own search in the interleaving
//! ([`super::AlnsOptions::adapt_share`], issue 26).
//!
//! Each side is rewarded by how much of the remaining gap to the dual bound it closed per second
//! of its own time, as `-ln(1 - closed)` (additive over consecutive parts: closing half the gap
//! twice counts as closing three quarters once). HiGHS's branch and bound builds on all the work
//! it did before (its best solutions come late and in jumps: at the end of its root node on the
//! auctions and the GISP), so its rate is its gain over **all** its time, with a prior of one
//! unit of gain (63 % of the gap) over a third of the budget, which it keeps until it has run
//! that long. The LNS has no such memory: its rate is an exponential mean over its recent parts.
//! HiGHS's share of the next round is its rate over the sum of both, within
//! [[`MIN_SHARE`], [`MAX_SHARE`]]; before the LNS has run, [`MAX_SHARE`] (the LNS earns its
//! time: one sub-MIP probes it).

/// The smallest share of a round HiGHS is given.
pub const MIN_SHARE: f64 = 0.2;
/// The largest share of a round HiGHS is given (the LNS keeps about one sub-MIP a round).
pub const MAX_SHARE: f64 = 0.9;
/// Weight of the newest LNS part in the LNS's rate.
const LNS_WEIGHT: f64 = 0.5;
/// The largest part of the gap one part is credited with closing (a part that reaches the bound
/// would otherwise be worth an infinite gain).
const MAX_CLOSED: f64 = 0.999;

/// How much of the gap between `from` and the dual `bound` a move from `from` to `to` closed
/// (all three minimised), as `-ln(1 - closed)`; without a bound (or with `from` at it) the gap
/// is `from`'s own magnitude. 0 when `to` is not better.
pub fn gain(from: f64, to: f64, bound: Option<f64>) -> f64 {
    if !(from.is_finite() && to.is_finite()) || to >= from {
        return 0.0;
    }
    let scale = from.abs().max(to.abs()).max(1e-9);
    let gap = match bound {
        Some(b) if b.is_finite() && from - b > 1e-9 * scale => from - b,
        _ => scale,
    };
    let closed = ((from - to) / gap).clamp(0.0, MAX_CLOSED);
    -(1.0 - closed).ln()
}

/// The share controller of one interleaved solve.
#[derive(Debug, Clone)]
pub struct ShareControl {
    /// The prior: HiGHS is credited with a gain of `prior_secs * prior_rate` over `prior_secs`.
    prior_secs: f64,
    highs_gain: f64,
    highs_secs: f64,
    /// The LNS's rate (gain per second), once it has run.
    lns_rate: Option<f64>,
}

impl ShareControl {
    /// A controller for a budget of `budget_secs` (`None`: no time limit, taken as 60 s).
    pub fn new(budget_secs: Option<f64>) -> Self {
        ShareControl {
            prior_secs: budget_secs.unwrap_or(60.0).max(1e-3) / 3.0,
            highs_gain: 0.0,
            highs_secs: 0.0,
            lns_rate: None,
        }
    }

    /// HiGHS ran `secs` and gained `g` ([`gain`]).
    pub fn highs(&mut self, g: f64, secs: f64) {
        self.highs_gain += g.max(0.0);
        self.highs_secs += secs.max(0.0);
    }

    /// The LNS ran `secs` and gained `g`. Parts shorter than a millisecond are not counted.
    pub fn lns(&mut self, g: f64, secs: f64) {
        if secs < 1e-3 {
            return;
        }
        let rate = g.max(0.0) / secs;
        self.lns_rate = Some(match self.lns_rate {
            None => rate,
            Some(r) => (1.0 - LNS_WEIGHT) * r + LNS_WEIGHT * rate,
        });
    }

    /// HiGHS's rate: its gain with the prior's over its time with the prior's.
    pub fn highs_rate(&self) -> f64 {
        (1.0 + self.highs_gain) / (self.prior_secs + self.highs_secs)
    }

    /// HiGHS's share of the next round, in [[`MIN_SHARE`], [`MAX_SHARE`]].
    pub fn share(&self) -> f64 {
        let Some(l) = self.lns_rate else {
            return MAX_SHARE;
        };
        let h = self.highs_rate();
        let s = if h + l > 0.0 { h / (h + l) } else { 0.5 };
        s.clamp(MIN_SHARE, MAX_SHARE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gain_is_the_log_of_the_gap_left() {
        // Half of the gap to the bound closed: ln 2; twice a half = three quarters once.
        let g = gain(10.0, 6.0, Some(2.0));
        assert!((g - 2f64.ln()).abs() < 1e-12, "{g}");
        let two = gain(10.0, 6.0, Some(2.0)) + gain(6.0, 4.0, Some(2.0));
        assert!((two - gain(10.0, 4.0, Some(2.0))).abs() < 1e-12, "{two}");
        // No bound: the gap is the value's magnitude.
        assert!((gain(-100.0, -150.0, None) - 1.5f64.ln()).abs() < 1e-12);
        // Not better, or reaching the bound.
        assert_eq!(gain(5.0, 5.0, Some(1.0)), 0.0);
        assert_eq!(gain(5.0, 6.0, Some(1.0)), 0.0);
        assert!((gain(5.0, 1.0, Some(1.0)) - (-(1.0 - MAX_CLOSED).ln())).abs() < 1e-12);
        assert_eq!(gain(f64::INFINITY, 1.0, None), 0.0);
    }

    #[test]
    fn share_follows_the_rewards() {
        let mut c = ShareControl::new(Some(60.0));
        // Before the LNS has run: HiGHS gets the most.
        assert_eq!(c.share(), MAX_SHARE);
        // An LNS that closes little: HiGHS keeps the most.
        c.lns(gain(-1515.0, -1803.0, Some(-22000.0)), 3.0);
        c.lns(0.01, 3.0);
        assert!(c.share() > 0.8, "{}", c.share());
        // An LNS that closes much (independent set from a trivial solution): the least.
        let mut d = ShareControl::new(Some(60.0));
        d.lns(gain(-27.0, -317.0, Some(-750.0)), 2.0);
        assert_eq!(d.share(), MIN_SHARE);
        // HiGHS's jump is remembered over its time; an LNS that stalls loses its rate.
        let mut e = ShareControl::new(Some(60.0));
        e.lns(0.3, 3.0);
        e.highs(0.0, 10.0);
        let before = e.share();
        e.highs(gain(-1515.0, -19910.0, Some(-22000.0)), 5.0);
        assert!(e.share() > before, "{} vs {before}", e.share());
        let after_jump = e.share();
        e.lns(0.0, 3.0);
        e.lns(0.0, 3.0);
        assert!(e.share() > after_jump, "{} vs {after_jump}", e.share());
        // The share is the rates' ratio between the limits.
        let (h, l) = (e.highs_rate(), e.lns_rate.unwrap_or(0.0));
        let want = (h / (h + l)).clamp(MIN_SHARE, MAX_SHARE);
        assert!((e.share() - want).abs() < 1e-12);
    }
}
