//! Machine shutdowns while a swap-allowed blocking shop runs: the *interrupting* part of
//! ISBJSSP (Wong, Kim, Park, Park & Law, arXiv 2302.02506), executed online.
//!
//! The paper evaluates dispatching rules over a range of machine shutdown probabilities; its
//! exact shutdown model could not be retrieved, so the model here is **quotient's own**,
//! chosen to be simple, reproducible and fair between policies:
//!
//! * **Failures strike while a machine processes.** Each unit of processing time on machine
//!   `m` is interrupted, at its beginning, with probability `p`, independently of all others
//!   (operation-dependent failures, the usual reliability model for machines that wear when
//!   they work; an idle or a blocked machine, holding a finished job, does not fail). The
//!   number of units between two failures is thus geometric, drawn directly (`O(failures)`
//!   work, whatever the processing times). A unit is interrupted at most once.
//! * **Preempt-resume.** A failure suspends the operation; the job stays on its machine, and
//!   after the repair the operation resumes where it stopped. An operation of processing time
//!   `d` that suffers failures with repairs `r1, r2, ...` ends `d + r1 + r2 + ...` after its
//!   start: its *realized* duration.
//! * **Repairs** take a uniformly drawn integer time in `[1, R]`; by default `R` is the mean
//!   processing time of the instance's operations, rounded (at least 1;
//!   [`ShutdownModel::default_repair`]), so a repair costs about half an average operation.
//! * **Scenarios are seeded and shared by the policies.** Scenario `k` of seed `s` gives
//!   machine `m` its own random stream (`worker_seed(s, k, ..)`, stream `m`), counted in units
//!   of the machine's processing: the machine's i-th unit of work fails or not whatever
//!   policy runs the shop. Every policy thus meets the same failures per unit of work (common
//!   random numbers), and one seed reproduces a run exactly.
//!
//! **Online execution** ([`execute`]): the event simulation of [`super::simulate`] with the
//! downtime added as operations start. Two kinds of policies:
//!
//! * [`OnlinePolicy::Rule`]: every `sim-*` rule; a rule's keys are the nominal processing
//!   times, the nominal remaining work and the time a job became ready, so it sees what has
//!   happened so far and nothing of future failures (the downtime of an operation is drawn
//!   when it starts, but no decision reads the end of an operation still in process; a test
//!   checks that the schedule before the first failure is the one without failures).
//! * [`OnlinePolicy::Sequences`]: an offline schedule executed by keeping its machine
//!   sequences ([`MachineSequences::from_schedule`]): each machine takes its operations in the
//!   offline order, as early as they can start; blocked cycles swap as in the simulation.
//!   This is the right-shift repair: with every realized duration at least the nominal one the
//!   sequences stay feasible (all arcs of the alternative graph only grow, and a
//!   zero-duration operation suffers no failure, so no zero-length cycle becomes positive).
//!
//! **Verification** ([`verify`]): a realized schedule is a feasible SBJSSP schedule of the
//! *realized instance* ([`realized_instance`]: the instance with each operation's processing
//! time replaced by its realized duration); the independent checker
//! (`quotient_problems::jssp::check`) is run on it, and [`evaluate`] does so for every
//! scenario, reporting any failure as an error.

use super::simulate::{self, Dispatch, Ended, SimRule};
use super::timetable::Problem;
use crate::engine::pool::worker_seed;
use quotient_problems::jssp::{JsspInstance, JsspSolution, JsspVariant, check};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Most scenarios one evaluation runs.
pub const MAX_SCENARIOS: usize = 100_000;
/// Largest repair-time bound `R`.
pub const MAX_REPAIR: i64 = 1_000_000_000;
/// Most failures one scenario may be expected to draw (probability x total processing time):
/// beyond, an evaluation is refused rather than left to run for hours.
pub const MAX_EXPECTED_FAILURES: f64 = 1e7;

/// The named streams of the scenario draws (per-machine failures) and of `sim-random`'s
/// per-scenario draws.
const FAILURE_STREAM: u64 = 0x5348_5554_444f_574e;
const RULE_STREAM: u64 = 0x5255_4c45;

/// Why an online execution or evaluation could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShutdownError {
    #[error("shutdown probability {0} is outside [0, 1)")]
    Probability(f64),
    #[error("repair time bound {0} is outside 1..={MAX_REPAIR}")]
    Repair(i64),
    #[error("{0} scenarios: expected 1..={MAX_SCENARIOS}")]
    Scenarios(usize),
    #[error(
        "about {expected:.0} failures expected per scenario (probability x {work} units of \
         processing), above {max:.0}: use a smaller probability",
        max = MAX_EXPECTED_FAILURES
    )]
    TooManyFailures { expected: f64, work: i64 },
    #[error(
        "the instance is the {0} job shop; online execution under shutdowns is for the \
         swap-allowed blocking shop (iswap; swap is the same shop)"
    )]
    Variant(JsspVariant),
    #[error("instance: {0}")]
    Instance(String),
    #[error("schedule: {0}")]
    Schedule(String),
    #[error(
        "the schedule's machine sequences deadlock when executed (no schedule follows them; \
         is it feasible for the variant?)"
    )]
    Deadlock,
    #[error("{policy}, scenario {scenario}: the realized schedule fails the checker: {why}")]
    CheckFailed {
        policy: String,
        scenario: usize,
        why: String,
    },
    #[error("stopped")]
    Stopped,
}

/// The shutdown model: failure probability per unit of processing and the repair-time bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShutdownModel {
    prob: f64,
    repair_max: i64,
}

impl ShutdownModel {
    /// A model with failure probability `prob` per unit of processing (in `[0, 1)`) and
    /// repairs uniform in `[1, repair_max]` (`1..=MAX_REPAIR`).
    pub fn new(prob: f64, repair_max: i64) -> Result<ShutdownModel, ShutdownError> {
        if !(0.0..1.0).contains(&prob) {
            return Err(ShutdownError::Probability(prob));
        }
        if !(1..=MAX_REPAIR).contains(&repair_max) {
            return Err(ShutdownError::Repair(repair_max));
        }
        Ok(ShutdownModel { prob, repair_max })
    }

    /// No failures at all.
    pub fn none() -> ShutdownModel {
        ShutdownModel {
            prob: 0.0,
            repair_max: 1,
        }
    }

    /// The failure probability per unit of processing.
    pub fn prob(&self) -> f64 {
        self.prob
    }

    /// The repair-time bound `R`.
    pub fn repair_max(&self) -> i64 {
        self.repair_max
    }

    /// The default `R`: the mean processing time of the instance's operations, rounded, at
    /// least 1 (at most [`MAX_REPAIR`]).
    pub fn default_repair(inst: &JsspInstance) -> i64 {
        let (sum, count) = inst
            .jobs
            .iter()
            .flatten()
            .fold((0f64, 0usize), |(s, c), op| (s + op.duration as f64, c + 1));
        if count == 0 {
            return 1;
        }
        ((sum / count as f64).round() as i64).clamp(1, MAX_REPAIR)
    }
}

/// One failure: `machine` stopped at time `at` for `repair` time units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    pub machine: usize,
    pub at: i64,
    pub repair: i64,
}

/// One scenario of the shutdown model: each machine's failures, drawn lazily in units of its
/// processing (see the module doc), and the tally of what happened.
#[derive(Debug, Clone)]
pub struct Scenario {
    model: ShutdownModel,
    rngs: Vec<ChaCha8Rng>,
    /// `next[m]`: the index of the unit of machine m's processing that fails next.
    next: Vec<i64>,
    /// `busy[m]`: units of processing machine m has started so far.
    busy: Vec<i64>,
    /// Failures so far.
    pub failures: usize,
    /// Downtime so far (sum of the repairs).
    pub downtime: i64,
    log: Option<Vec<Failure>>,
}

impl Scenario {
    /// Scenario `index` of `seed` for a shop of `machines` machines.
    pub fn new(model: ShutdownModel, machines: usize, seed: u64, index: usize) -> Scenario {
        let base = worker_seed(seed, index, FAILURE_STREAM);
        let mut rngs: Vec<ChaCha8Rng> = (0..machines)
            .map(|m| {
                let mut r = ChaCha8Rng::seed_from_u64(base);
                r.set_stream(m as u64);
                r
            })
            .collect();
        let next = rngs.iter_mut().map(|r| gap(r, model.prob)).collect();
        Scenario {
            model,
            rngs,
            next,
            busy: vec![0; machines],
            failures: 0,
            downtime: 0,
            log: None,
        }
    }

    /// Keep every failure (for [`Scenario::log`]).
    pub fn recording(mut self) -> Scenario {
        self.log = Some(Vec::new());
        self
    }

    /// The failures so far when [`Scenario::recording`], in the order they were drawn.
    pub fn log(&self) -> Option<&[Failure]> {
        self.log.as_deref()
    }

    /// The downtime machine `m` suffers while processing an operation of processing time `d`
    /// started at `start` (advances the machine's processing count by `d`).
    pub fn downtime(&mut self, m: usize, start: i64, d: i64) -> i64 {
        let (Some(busy), Some(rng)) = (self.busy.get(m).copied(), self.rngs.get_mut(m)) else {
            return 0;
        };
        let end = busy.saturating_add(d.max(0));
        let mut down = 0i64;
        while self.next[m] < end {
            let f = self.next[m];
            let repair = rng.random_range(1..=self.model.repair_max);
            if let Some(log) = &mut self.log {
                log.push(Failure {
                    machine: m,
                    at: start.saturating_add(f - busy).saturating_add(down),
                    repair,
                });
            }
            down = down.saturating_add(repair);
            self.failures += 1;
            self.next[m] = f
                .saturating_add(1)
                .saturating_add(gap(rng, self.model.prob));
        }
        self.busy[m] = end;
        self.downtime = self.downtime.saturating_add(down);
        down
    }
}

/// Units of processing before the next failure: geometric with success probability `prob`
/// (number of units that do not fail before one that does); never for `prob = 0`.
fn gap(rng: &mut ChaCha8Rng, prob: f64) -> i64 {
    if prob <= 0.0 {
        return i64::MAX;
    }
    let u = 1.0 - rng.random::<f64>(); // in (0, 1]
    // Both logarithms are <= 0; the cast saturates.
    (u.ln() / (-prob).ln_1p()).floor() as i64
}

/// Each machine's operations `(job, op)` in the order a schedule runs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineSequences {
    seq: Vec<Vec<(usize, usize)>>,
}

impl MachineSequences {
    /// The machine sequences of `sol`: each machine's operations by start time (ties: the
    /// one that releases the machine first, then by job and operation). Only the shape is
    /// checked here (one start per operation); a schedule whose sequences no schedule follows
    /// ends in [`ShutdownError::Deadlock`] when executed, so check it first.
    pub fn from_schedule(
        p: &Problem,
        sol: &JsspSolution,
    ) -> Result<MachineSequences, ShutdownError> {
        if sol.start.len() != p.num_jobs() {
            return Err(ShutdownError::Schedule(format!(
                "{} job rows for {} jobs",
                sol.start.len(),
                p.num_jobs()
            )));
        }
        // (start, release, job, op) per machine.
        let mut ops: Vec<Vec<(i64, i64, usize, usize)>> = vec![Vec::new(); p.machines];
        for (j, (job, st)) in p.jobs.iter().zip(&sol.start).enumerate() {
            if job.len() != st.len() {
                return Err(ShutdownError::Schedule(format!(
                    "job {j} has {} start times for {} operations",
                    st.len(),
                    job.len()
                )));
            }
            for (k, &(m, d)) in job.iter().enumerate() {
                let release = st.get(k + 1).copied().unwrap_or(st[k].saturating_add(d));
                ops[m].push((st[k], release, j, k));
            }
        }
        let seq = ops
            .into_iter()
            .map(|mut v| {
                v.sort_unstable();
                v.into_iter().map(|(_, _, j, k)| (j, k)).collect()
            })
            .collect();
        Ok(MachineSequences { seq })
    }

    /// `seq[m]`: machine m's operations in order.
    pub fn as_slice(&self) -> &[Vec<(usize, usize)>] {
        &self.seq
    }
}

/// Who decides, online, which job a free machine takes.
#[derive(Debug, Clone)]
pub enum OnlinePolicy {
    /// A `sim-*` priority rule.
    Rule(SimRule),
    /// An offline schedule's machine sequences (right-shift repair).
    Sequences(MachineSequences),
}

/// One online execution: the realized schedule, each operation's realized duration
/// (processing time plus downtime), the makespan and the failures met.
#[derive(Debug, Clone)]
pub struct OnlineRun {
    pub solution: JsspSolution,
    pub durations: Vec<Vec<i64>>,
    pub makespan: i64,
    pub failures: usize,
    pub downtime: i64,
}

/// Run the shop under `policy` while `scenario` shuts machines down (`rule_seed`: the draws of
/// `sim-random`). A fresh scenario per run: its tally counts this run.
pub fn execute(
    p: &Problem,
    policy: &OnlinePolicy,
    rule_seed: u64,
    scenario: &mut Scenario,
    stop: &dyn Fn() -> bool,
) -> Result<OnlineRun, ShutdownError> {
    let mut rng = ChaCha8Rng::seed_from_u64(rule_seed);
    let mut dispatch = match policy {
        OnlinePolicy::Rule(rule) => Dispatch::Rule(*rule, &mut rng),
        OnlinePolicy::Sequences(s) => Dispatch::Sequences(&s.seq),
    };
    let (failures, downtime) = (scenario.failures, scenario.downtime);
    let run = match simulate::run(
        p,
        &mut dispatch,
        &mut |m, t, d| scenario.downtime(m, t, d),
        stop,
    ) {
        Ended::Done(run) => run,
        Ended::Deadlock => return Err(ShutdownError::Deadlock),
        Ended::Stopped => return Err(ShutdownError::Stopped),
    };
    let makespan = run
        .solution
        .start
        .iter()
        .zip(&run.durations)
        .filter_map(|(s, d)| Some(s.last()?.saturating_add(*d.last()?)))
        .max()
        .unwrap_or(0)
        .max(0);
    Ok(OnlineRun {
        solution: run.solution,
        durations: run.durations,
        makespan,
        failures: scenario.failures - failures,
        downtime: scenario.downtime - downtime,
    })
}

/// The instance whose processing times are the run's realized durations (same variant).
pub fn realized_instance(
    inst: &JsspInstance,
    run: &OnlineRun,
) -> Result<JsspInstance, ShutdownError> {
    let mut out = inst.clone();
    if out.jobs.len() != run.durations.len() {
        return Err(ShutdownError::Schedule(
            "the run is of another instance (job count)".into(),
        ));
    }
    for (job, ds) in out.jobs.iter_mut().zip(&run.durations) {
        if job.len() != ds.len() {
            return Err(ShutdownError::Schedule(
                "the run is of another instance (operation count)".into(),
            ));
        }
        for (op, &d) in job.iter_mut().zip(ds) {
            if d < op.duration {
                return Err(ShutdownError::Schedule(format!(
                    "a realized duration {d} below the processing time {}",
                    op.duration
                )));
            }
            op.duration = d;
        }
    }
    Ok(out)
}

/// Check a run with the independent checker on its realized instance (as SBJSSP): feasible,
/// with the makespan the run reports. `policy` and `scenario` name it in the error.
pub fn verify(
    inst: &JsspInstance,
    run: &OnlineRun,
    policy: &str,
    scenario: usize,
) -> Result<(), ShutdownError> {
    let failed = |why: String| ShutdownError::CheckFailed {
        policy: policy.to_string(),
        scenario,
        why,
    };
    let mut realized = realized_instance(inst, run).map_err(|e| failed(e.to_string()))?;
    realized.variant = JsspVariant::Swap;
    let rep = check(&realized, &run.solution);
    if !rep.is_feasible() {
        let shown: Vec<String> = rep
            .violations
            .iter()
            .take(3)
            .map(|v| format!("{v:?}"))
            .collect();
        return Err(failed(format!(
            "{} violation(s): {}",
            rep.violations.len(),
            shown.join("; ")
        )));
    }
    if rep.objective != run.makespan as f64 {
        return Err(failed(format!(
            "makespan {} but the checker computes {}",
            run.makespan, rep.objective
        )));
    }
    Ok(())
}

/// A policy's makespans over the scenarios of one evaluation, each run verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Makespan of scenario k.
    pub makespans: Vec<i64>,
    /// Makespan of scenario k's policy draws without any failure (the same for every k but
    /// for `sim-random`, whose draws change with k).
    pub nominal: Vec<i64>,
    /// Failures and downtime met in scenario k.
    pub failures: Vec<usize>,
    pub downtime: Vec<i64>,
    /// Runs passed by the checker (all of them, twice the scenarios: with and without
    /// failures).
    pub verified: usize,
}

impl Evaluation {
    /// Mean makespan.
    pub fn mean(&self) -> f64 {
        mean_of(&self.makespans)
    }
    /// Median makespan (the mean of the two middle ones for an even count).
    pub fn median(&self) -> f64 {
        let mut v = self.makespans.clone();
        v.sort_unstable();
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2] as f64,
            n => (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0,
        }
    }
    /// Largest makespan.
    pub fn max(&self) -> i64 {
        self.makespans.iter().copied().max().unwrap_or(0)
    }
    /// Smallest makespan.
    pub fn min(&self) -> i64 {
        self.makespans.iter().copied().min().unwrap_or(0)
    }
    /// Mean makespan without failures.
    pub fn nominal_mean(&self) -> f64 {
        mean_of(&self.nominal)
    }
    /// Mean failures per scenario.
    pub fn mean_failures(&self) -> f64 {
        let n = self.failures.len().max(1) as f64;
        self.failures.iter().map(|&f| f as f64).sum::<f64>() / n
    }
    /// Mean downtime per scenario.
    pub fn mean_downtime(&self) -> f64 {
        mean_of(&self.downtime)
    }
}

fn mean_of(v: &[i64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64
}

/// The shop of `inst` as online execution needs it: the swap-allowed blocking variants only.
pub fn problem(inst: &JsspInstance) -> Result<Problem, ShutdownError> {
    if !inst.variant.allows_swap() {
        return Err(ShutdownError::Variant(inst.variant));
    }
    Problem::new(inst).map_err(ShutdownError::Instance)
}

/// Run `policy` over scenarios `0..scenarios` of `seed` (and each once without failures),
/// verifying every realized schedule ([`verify`]); `name` names the policy in errors. `stop`
/// is asked at every event.
pub fn evaluate(
    inst: &JsspInstance,
    policy: &OnlinePolicy,
    name: &str,
    model: ShutdownModel,
    scenarios: usize,
    seed: u64,
    stop: &dyn Fn() -> bool,
) -> Result<Evaluation, ShutdownError> {
    if !(1..=MAX_SCENARIOS).contains(&scenarios) {
        return Err(ShutdownError::Scenarios(scenarios));
    }
    let p = problem(inst)?;
    let work: i64 = p.work.iter().fold(0i64, |a, &w| a.saturating_add(w));
    let expected = model.prob * work as f64;
    if expected > MAX_EXPECTED_FAILURES {
        return Err(ShutdownError::TooManyFailures { expected, work });
    }
    let mut out = Evaluation {
        makespans: Vec::with_capacity(scenarios),
        nominal: Vec::with_capacity(scenarios),
        failures: Vec::with_capacity(scenarios),
        downtime: Vec::with_capacity(scenarios),
        verified: 0,
    };
    for k in 0..scenarios {
        let rule_seed = worker_seed(seed, k, RULE_STREAM);
        let mut calm = Scenario::new(ShutdownModel::none(), p.machines, seed, k);
        let base = execute(&p, policy, rule_seed, &mut calm, stop)?;
        verify(inst, &base, name, k)?;
        let mut scenario = Scenario::new(model, p.machines, seed, k);
        let run = execute(&p, policy, rule_seed, &mut scenario, stop)?;
        verify(inst, &run, name, k)?;
        out.verified += 2;
        out.nominal.push(base.makespan);
        out.makespans.push(run.makespan);
        out.failures.push(run.failures);
        out.downtime.push(run.downtime);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::dispatch;
    use super::super::simulate::{SIM_RULES, makespan as sim_makespan, simulate};
    use super::*;
    use crate::engine::{Budget, NoObserver};
    use quotient_problems::jssp::generate::random;
    use quotient_problems::jssp::{JsspInstance, Operation, read_jssp};

    fn iswap(jobs: usize, machines: usize, seed: u64) -> JsspInstance {
        let mut inst = random(jobs, machines, seed);
        inst.variant = JsspVariant::InterruptingSwap;
        inst
    }

    /// `jssp.blocking-dispatch`'s schedule as machine sequences.
    fn offline(inst: &JsspInstance) -> (OnlinePolicy, i64) {
        let r = dispatch::solve(inst, &Budget::new(None), &NoObserver);
        let sol = r.solution.unwrap();
        let rep = check(inst, &sol);
        assert!(rep.is_feasible());
        let seq = MachineSequences::from_schedule(&problem(inst).unwrap(), &sol).unwrap();
        (OnlinePolicy::Sequences(seq), rep.objective as i64)
    }

    fn policies(inst: &JsspInstance) -> Vec<(String, OnlinePolicy)> {
        let mut out: Vec<(String, OnlinePolicy)> = SIM_RULES
            .into_iter()
            .map(|r| (r.name().to_string(), OnlinePolicy::Rule(r)))
            .collect();
        out.push(("schedule".into(), offline(inst).0));
        out
    }

    #[test]
    fn without_failures_every_rule_gives_the_offline_simulators_schedule() {
        for seed in 0..6u64 {
            let inst = iswap(6 + seed as usize % 4, 3 + seed as usize % 3, seed);
            let p = problem(&inst).unwrap();
            for rule in SIM_RULES {
                for rule_seed in [seed, 99] {
                    let want = simulate(&p, rule, rule_seed, &|| false).unwrap();
                    let mut calm = Scenario::new(ShutdownModel::none(), p.machines, 7, 0);
                    let run = execute(&p, &OnlinePolicy::Rule(rule), rule_seed, &mut calm, &|| {
                        false
                    })
                    .unwrap();
                    assert_eq!(run.solution, want, "{rule:?} seed {seed}");
                    assert_eq!(run.makespan, sim_makespan(&p, &want));
                    assert_eq!((run.failures, run.downtime), (0, 0));
                    let nominal: Vec<Vec<i64>> = inst
                        .jobs
                        .iter()
                        .map(|o| o.iter().map(|op| op.duration).collect())
                        .collect();
                    assert_eq!(run.durations, nominal);
                }
            }
            // Through `evaluate` at p = 0 too: every scenario is the nominal run.
            let model = ShutdownModel::new(0.0, 5).unwrap();
            for (name, pol) in policies(&inst) {
                let ev = evaluate(&inst, &pol, &name, model, 4, seed, &|| false).unwrap();
                assert_eq!(ev.makespans, ev.nominal, "{name}");
                assert!(ev.failures.iter().all(|&f| f == 0));
                if let OnlinePolicy::Rule(r) = pol
                    && r != SimRule::Random
                {
                    let want = sim_makespan(&p, &simulate(&p, r, 0, &|| false).unwrap());
                    assert!(ev.makespans.iter().all(|&c| c == want), "{name}");
                }
            }
        }
    }

    #[test]
    fn realized_schedules_pass_the_checker_on_their_realized_instance() {
        let mut failures = 0;
        for seed in 0..4u64 {
            let inst = iswap(7, 4, seed);
            let p = problem(&inst).unwrap();
            for prob in [0.005, 0.02, 0.1, 0.3] {
                let model = ShutdownModel::new(prob, 20).unwrap();
                for (name, pol) in policies(&inst) {
                    let ev = evaluate(&inst, &pol, &name, model, 5, seed, &|| false).unwrap();
                    assert_eq!(ev.verified, 10);
                    failures += ev.failures.iter().sum::<usize>();
                    // One run by hand: the downtime is what the realized durations add, and
                    // the checker (on the realized instance) agrees with the makespan.
                    let mut sc = Scenario::new(model, p.machines, seed, 1).recording();
                    let run = execute(&p, &pol, 3, &mut sc, &|| false).unwrap();
                    let added: i64 = run
                        .durations
                        .iter()
                        .flatten()
                        .zip(inst.jobs.iter().flatten())
                        .map(|(&r, op)| r - op.duration)
                        .sum();
                    assert_eq!(added, run.downtime, "{name}");
                    let log = sc.log().unwrap();
                    assert_eq!(log.len(), run.failures);
                    assert_eq!(log.iter().map(|f| f.repair).sum::<i64>(), run.downtime);
                    assert!(log.iter().all(|f| (1..=20).contains(&f.repair)));
                    let realized = realized_instance(&inst, &run).unwrap();
                    let rep = check(&realized, &run.solution);
                    assert!(rep.is_feasible(), "{name} p {prob}: {:?}", rep.violations);
                    assert_eq!(rep.objective, run.makespan as f64);
                    // A failure strikes while its machine processes the job it holds.
                    for f in log {
                        let busy = (0..inst.jobs.len()).any(|j| {
                            inst.jobs[j].iter().enumerate().any(|(k, op)| {
                                let s = run.solution.start[j][k];
                                op.machine == f.machine
                                    && s <= f.at
                                    && f.at < s + run.durations[j][k]
                            })
                        });
                        assert!(busy, "{name}: failure {f:?} on an idle machine");
                    }
                }
            }
        }
        assert!(
            failures > 100,
            "the probabilities draw failures: {failures}"
        );
    }

    #[test]
    fn lawrence_instances_under_shutdowns_pass_the_checker() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/jssp");
        if !dir.is_dir() {
            eprintln!("SKIPPED: {} not found (no Lawrence files)", dir.display());
            return;
        }
        for name in ["la01", "la16", "la21"] {
            let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
            let mut inst = read_jssp(&text, name).unwrap();
            inst.variant = JsspVariant::InterruptingSwap;
            let r = ShutdownModel::default_repair(&inst);
            for (prob, seed) in [(0.002, 1), (0.01, 2), (0.05, 3)] {
                let model = ShutdownModel::new(prob, r).unwrap();
                for (pname, pol) in policies(&inst) {
                    let ev = evaluate(&inst, &pol, &pname, model, 3, seed, &|| false).unwrap();
                    assert_eq!(ev.verified, 6, "{name} {pname}");
                    assert!(ev.failures.iter().sum::<usize>() > 0, "{name} p {prob}");
                }
            }
        }
    }

    #[test]
    fn a_seed_reproduces_a_run_and_another_seed_draws_other_failures() {
        let inst = iswap(8, 5, 3);
        let model = ShutdownModel::new(0.02, 30).unwrap();
        for (name, pol) in policies(&inst) {
            let a = evaluate(&inst, &pol, &name, model, 6, 11, &|| false).unwrap();
            let b = evaluate(&inst, &pol, &name, model, 6, 11, &|| false).unwrap();
            assert_eq!(a, b, "{name}");
            let c = evaluate(&inst, &pol, &name, model, 6, 12, &|| false).unwrap();
            assert_ne!(a.downtime, c.downtime, "{name}");
        }
        // The scenarios are the policies' common random numbers: a machine's failures are
        // drawn per unit of its work, whatever the policy.
        let p = problem(&inst).unwrap();
        let mut s1 = Scenario::new(model, p.machines, 5, 2);
        let mut s2 = Scenario::new(model, p.machines, 5, 2);
        let d1: Vec<i64> = (0..40).map(|_| s1.downtime(1, 0, 17)).collect();
        let d2: i64 = s2.downtime(1, 0, 17 * 40);
        assert_eq!(d1.iter().sum::<i64>(), d2);
    }

    #[test]
    fn executing_a_schedule_only_shifts_it_right() {
        for seed in 0..5u64 {
            let inst = iswap(8, 5, seed);
            let p = problem(&inst).unwrap();
            let (pol, offline_makespan) = offline(&inst);
            let mut calm = Scenario::new(ShutdownModel::none(), p.machines, 0, 0);
            let base = execute(&p, &pol, 0, &mut calm, &|| false).unwrap();
            assert!(base.makespan <= offline_makespan, "seed {seed}");
            for prob in [0.01, 0.05, 0.2] {
                let model = ShutdownModel::new(prob, 25).unwrap();
                for k in 0..5 {
                    let mut sc = Scenario::new(model, p.machines, seed, k);
                    let run = execute(&p, &pol, 0, &mut sc, &|| false).unwrap();
                    assert!(run.makespan >= base.makespan, "seed {seed} p {prob}");
                    for (a, b) in run
                        .solution
                        .start
                        .iter()
                        .flatten()
                        .zip(base.solution.start.iter().flatten())
                    {
                        assert!(a >= b, "an operation started earlier under failures");
                    }
                    // The same machine sequences.
                    let again = MachineSequences::from_schedule(&p, &run.solution).unwrap();
                    if let OnlinePolicy::Sequences(s) = &pol {
                        assert_eq!(again.as_slice(), s.as_slice());
                    }
                }
                let ev = evaluate(&inst, &pol, "schedule", model, 10, seed, &|| false).unwrap();
                assert!(ev.makespans.iter().zip(&ev.nominal).all(|(a, b)| a >= b));
                assert!(ev.mean() >= base.makespan as f64);
            }
        }
    }

    #[test]
    fn no_decision_sees_a_failure_before_it_happens() {
        let mut compared = 0;
        for seed in 0..6u64 {
            let inst = iswap(8, 4, seed);
            let p = problem(&inst).unwrap();
            let model = ShutdownModel::new(0.01, 40).unwrap();
            for (name, pol) in policies(&inst) {
                let mut calm = Scenario::new(ShutdownModel::none(), p.machines, seed, 0);
                let base = execute(&p, &pol, 5, &mut calm, &|| false).unwrap();
                let mut sc = Scenario::new(model, p.machines, seed, 0).recording();
                let run = execute(&p, &pol, 5, &mut sc, &|| false).unwrap();
                let Some(first) = sc.log().unwrap().iter().map(|f| f.at).min() else {
                    continue;
                };
                for (a, b) in run
                    .solution
                    .start
                    .iter()
                    .flatten()
                    .zip(base.solution.start.iter().flatten())
                {
                    if *b < first || *a < first {
                        assert_eq!(
                            a, b,
                            "{name} seed {seed}: a start before the first failure ({first}) changed"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 50, "{compared}");
    }

    #[test]
    fn bad_inputs_are_errors() {
        for p in [-0.1, 1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(ShutdownModel::new(p, 5), Err(ShutdownError::Probability(_))),
                "{p}"
            );
        }
        for r in [0, -3, MAX_REPAIR + 1] {
            assert_eq!(ShutdownModel::new(0.1, r), Err(ShutdownError::Repair(r)));
        }
        let inst = iswap(4, 3, 1);
        let model = ShutdownModel::new(0.01, 5).unwrap();
        let rule = OnlinePolicy::Rule(SimRule::Mwkr);
        for k in [0, MAX_SCENARIOS + 1] {
            assert_eq!(
                evaluate(&inst, &rule, "r", model, k, 1, &|| false),
                Err(ShutdownError::Scenarios(k))
            );
        }
        for v in [JsspVariant::Classic, JsspVariant::Blocking] {
            let mut other = inst.clone();
            other.variant = v;
            assert_eq!(
                evaluate(&other, &rule, "r", model, 1, 1, &|| false),
                Err(ShutdownError::Variant(v))
            );
        }
        let mut bad = inst.clone();
        bad.jobs[0][0].machine = 9;
        assert!(matches!(
            evaluate(&bad, &rule, "r", model, 1, 1, &|| false),
            Err(ShutdownError::Instance(_))
        ));
        let mut huge = inst.clone();
        huge.jobs[0][0].duration = 1 << 40;
        assert!(matches!(
            evaluate(
                &huge,
                &rule,
                "r",
                ShutdownModel::new(0.5, 5).unwrap(),
                1,
                1,
                &|| false
            ),
            Err(ShutdownError::TooManyFailures { .. })
        ));
        // Schedules of the wrong shape, and sequences that no schedule follows.
        let p = problem(&inst).unwrap();
        let short = JsspSolution {
            start: vec![vec![0; 3]; 3],
        };
        assert!(matches!(
            MachineSequences::from_schedule(&p, &short),
            Err(ShutdownError::Schedule(_))
        ));
        let ragged = JsspSolution {
            start: vec![vec![0; 3], vec![0; 2], vec![0; 3], vec![0; 3]],
        };
        assert!(matches!(
            MachineSequences::from_schedule(&p, &ragged),
            Err(ShutdownError::Schedule(_))
        ));
        let op = |machine, duration| Operation { machine, duration };
        let pair = JsspInstance {
            name: "pair".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 2)], vec![op(1, 2), op(0, 2)]],
            variant: JsspVariant::InterruptingSwap,
        };
        let pp = problem(&pair).unwrap();
        // Machine 0 first takes job 1's second operation, machine 1 job 0's: a deadlock.
        let crossed = JsspSolution {
            start: vec![vec![5, 0], vec![5, 0]],
        };
        let seq = OnlinePolicy::Sequences(MachineSequences::from_schedule(&pp, &crossed).unwrap());
        assert_eq!(
            evaluate(&pair, &seq, "s", model, 2, 1, &|| false),
            Err(ShutdownError::Deadlock)
        );
        // A stop is an error, not a partial answer.
        assert_eq!(
            evaluate(&inst, &rule, "r", model, 2, 1, &|| true),
            Err(ShutdownError::Stopped)
        );
    }

    #[test]
    fn the_default_repair_bound_is_the_mean_processing_time() {
        let op = |machine, duration| Operation { machine, duration };
        let inst = JsspInstance {
            name: "x".into(),
            machines: 2,
            jobs: vec![vec![op(0, 10), op(1, 30)], vec![op(1, 21)]],
            variant: JsspVariant::InterruptingSwap,
        };
        assert_eq!(ShutdownModel::default_repair(&inst), 20);
        let empty = JsspInstance {
            jobs: vec![],
            ..inst
        };
        assert_eq!(ShutdownModel::default_repair(&empty), 1);
    }
}
