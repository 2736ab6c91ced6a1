//! `cvrp.dc`: divide and conquer for large CVRPs.
//!
//! * Start: the customers by polar angle around the depot, cut into sectors of
//!   [`INIT_SECTOR`] customers; Clarke–Wright savings ([`savings::solve`]) on each sector as an
//!   instance of its own (O(sector^2) each, O(n * sector) in all; no n x n matrix), the sectors
//!   spread over the workers. Or the warm start, when the checker finds nothing wrong with it.
//! * Rounds: the routes in the order of their barycentre's polar angle around the depot, from a
//!   random route each round (so the boundaries move), grouped into runs of neighbouring routes
//!   of about [`DcOptions::group`] customers. Each group is a sub-instance (the depot and its
//!   customers, same capacity, route-length limit and service time) solved by `cvrp.sisr` on
//!   one thread from the group's routes, with its own budget; the groups are spread over the
//!   workers. A group whose routes come back cheaper is replaced. Groups are disjoint, so their
//!   gains add up.
//! * Budget per sub-problem: with a time limit, a share of the time left such that a round takes
//!   about a third of it (between [`MIN_SUB`] and [`MAX_SUB`]); without one,
//!   [`SUB_ITERATIONS_PER_CUSTOMER`] SISR iterations per customer. An iteration cap on the
//!   budget counts rounds.
//! * Temperatures ([`Anneal`]): by default the whole solve is one annealing, as a single
//!   `cvrp.sisr` run is: SISR's schedule (from [`SisrOptions::temp_start_edges`] to
//!   [`SisrOptions::temp_end_edges`] average edges, geometric in the elapsed share of the
//!   budget) is cut into the rounds, and each round's sub-problems anneal over the round's
//!   slice of it. [`Anneal::Restart`] anneals every sub-problem over the whole schedule.
//!
//! Memory is linear in n: the routes, the sub-instances in flight (each with its own matrix of
//! at most a group's size squared).

use super::savings::{self, solution_cost};
use super::sisr::{self, SisrOptions};
use crate::engine::pool::{run_workers, worker_seed};
use crate::engine::{Budget, Improvement, NoObserver, Observer, SolveResult};
use quotient_problems::any::AnySolution;
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution, CvrpWeights, check};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The seed stream of the sub-problems and the offsets.
const DC_STREAM: u64 = 0xC0_D1C0;

/// Default customers per sub-problem.
pub const DEFAULT_GROUP: usize = 500;

/// Customers per sector of the start's savings.
pub const INIT_SECTOR: usize = 1000;

/// Shortest and longest time a sub-problem gets under a time limit.
pub const MIN_SUB: Duration = Duration::from_millis(200);
pub const MAX_SUB: Duration = Duration::from_secs(30);

/// Without a time limit, SISR iterations per customer of a sub-problem.
pub const SUB_ITERATIONS_PER_CUSTOMER: u64 = 20;

/// Options of `cvrp.dc`.
#[derive(Debug, Clone, Default)]
pub struct DcOptions {
    /// Worker threads (0 or 1: one).
    pub threads: usize,
    pub seed: u64,
    /// Warm start; used when the checker finds no violation in it.
    pub initial: Option<CvrpSolution>,
    /// Customers per sub-problem (`None`: [`DEFAULT_GROUP`]; at least 10).
    pub group: Option<usize>,
    /// Without a time limit, SISR iterations per customer of a sub-problem (`None`:
    /// [`SUB_ITERATIONS_PER_CUSTOMER`]).
    pub sub_iterations: Option<u64>,
    /// The sub-problems' temperatures.
    pub anneal: Anneal,
}

/// How the sub-problems' annealing temperatures are set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Anneal {
    /// One schedule over the whole solve, each round taking its slice (falls back to
    /// [`Anneal::Restart`] when the budget has neither a time limit nor an iteration cap).
    #[default]
    Global,
    /// Every sub-problem anneals over the whole schedule, hot to cold, in every round.
    Restart,
}

/// The share `[from, to]` of SISR's default temperature schedule, in average edges: the start
/// temperature at `from` and the end temperature at `to` (geometric in between).
fn temperature_slice(from: f64, to: f64) -> (f64, f64) {
    let d = SisrOptions::default();
    let at = |x: f64| {
        let x = x.clamp(0.0, 1.0);
        d.temp_start_edges * (d.temp_end_edges / d.temp_start_edges).powf(x)
    };
    (at(from), at(to))
}

/// The round's slice of the schedule: by elapsed time over the time limit (the round lasting
/// `round`), or by rounds over the iteration cap; `None` without either (or for
/// [`Anneal::Restart`]).
fn round_temperatures(
    anneal: Anneal,
    budget: &Budget,
    rounds: u64,
    round: Option<Duration>,
) -> Option<(f64, f64)> {
    if anneal == Anneal::Restart {
        return None;
    }
    if let (Some(limit), Some(round)) = (budget.time_limit(), round) {
        let l = limit.as_secs_f64().max(1e-9);
        let e = budget.elapsed().as_secs_f64();
        return Some(temperature_slice(e / l, (e + round.as_secs_f64()) / l));
    }
    let cap = budget.max_iterations().filter(|&c| c > 0)? as f64;
    Some(temperature_slice(
        rounds as f64 / cap,
        (rounds + 1) as f64 / cap,
    ))
}

/// Solve within the budget.
pub fn solve(
    inst: &CvrpInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &DcOptions,
) -> SolveResult<CvrpSolution> {
    if let Some(reason) = savings::infeasibility_reason(inst) {
        return SolveResult::infeasible(reason);
    }
    let customers = inst.n().saturating_sub(1);
    let group = opts.group.unwrap_or(DEFAULT_GROUP).max(10);
    let threads = opts.threads.max(1);
    let coords = inst.coords().filter(|c| c.len() == inst.n());
    let Some(coords) = coords.filter(|_| customers > 2 * group) else {
        let o = SisrOptions {
            threads,
            seed: opts.seed,
            initial: opts.initial.clone(),
            ..Default::default()
        };
        let mut r = sisr::solve(inst, budget, observer, &o);
        let why = if coords.is_none() {
            "no coordinates".to_string()
        } else {
            format!("{customers} customers <= 2 x {group}")
        };
        r.message = Some(format!("{why}: cvrp.sisr on the whole instance"));
        return r;
    };
    let angle = |p: [f64; 2]| (p[1] - coords[0][1]).atan2(p[0] - coords[0][0]);
    let mut start = "sector savings";
    let mut routes = match opts
        .initial
        .as_ref()
        .filter(|s| check(inst, s).violations.is_empty())
    {
        Some(s) => {
            start = "warm start";
            s.routes.iter().filter(|r| !r.is_empty()).cloned().collect()
        }
        None => {
            let mut order: Vec<usize> = (1..inst.n()).collect();
            order.sort_by(|&a, &b| {
                angle(coords[a])
                    .total_cmp(&angle(coords[b]))
                    .then(a.cmp(&b))
            });
            sector_savings(inst, &order, threads, budget)
        }
    };
    let mut cost = solution_cost(inst, &routes);
    report(observer, budget, &routes, cost, "start");
    let mut rng = ChaCha8Rng::seed_from_u64(worker_seed(opts.seed, 0, DC_STREAM));
    let (mut rounds, mut improved) = (0u64, 0usize);
    while !budget.is_done(rounds) {
        // Routes by the polar angle of their barycentre, from a random one.
        let mut keyed: Vec<(f64, usize)> = routes
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let k = r.len() as f64;
                let (x, y) = r.iter().fold((0.0, 0.0), |(x, y), &c| {
                    (x + coords[c][0] / k, y + coords[c][1] / k)
                });
                (angle([x, y]), i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let first = rng.random_range(0..keyed.len().max(1));
        let sorted: Vec<usize> = (0..keyed.len())
            .map(|k| keyed[(first + k) % keyed.len()].1)
            .collect();
        let groups = group_routes(&routes, &sorted, group);
        let per = sub_time(budget, groups.len(), threads);
        let round_time = per.map(|p| p.mul_f64(groups.len().div_ceil(threads) as f64));
        let temps = round_temperatures(opts.anneal, budget, rounds, round_time);
        let round_seed = worker_seed(opts.seed, rounds as usize + 1, DC_STREAM);
        let per = per.map_or(
            SubBudget::Iterations(opts.sub_iterations.unwrap_or(SUB_ITERATIONS_PER_CUSTOMER)),
            SubBudget::Time,
        );
        let results = solve_groups(
            inst, &routes, &groups, threads, round_seed, budget, per, temps,
        );
        rounds += 1;
        if results.is_empty() {
            if budget.time_limit().is_none() && budget.max_iterations().is_none() {
                break;
            }
            continue;
        }
        let mut gain = 0.0;
        let mut replaced = vec![false; routes.len()];
        let mut fresh = Vec::new();
        for (g, new_routes, g_gain) in results {
            for &r in &groups[g] {
                replaced[r] = true;
            }
            fresh.extend(new_routes);
            gain += g_gain;
            improved += 1;
        }
        routes = routes
            .into_iter()
            .zip(replaced)
            .filter(|(_, gone)| !gone)
            .map(|(r, _)| r)
            .chain(fresh)
            .collect();
        cost -= gain;
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            let scratch = solution_cost(inst, &routes);
            assert!(
                (cost - scratch).abs() <= 1e-6 * scratch.abs().max(1.0),
                "cvrp.dc round gain: {cost} vs {scratch}"
            );
        }
        report(observer, budget, &routes, cost, "route-groups");
    }
    // The sum of gains drifts by rounding for unrounded distances: the cost from scratch.
    let cost = solution_cost(inst, &routes);
    let mut r = SolveResult::feasible(CvrpSolution { routes }, cost);
    r.message = Some(format!(
        "{start}, then {rounds} rounds of route groups of about {group} customers by cvrp.sisr ({anneal}), {improved} groups improved",
        anneal = match opts.anneal {
            Anneal::Global => "one annealing schedule over the rounds",
            Anneal::Restart => "every sub-problem annealed from hot",
        }
    ));
    r
}

fn report(
    observer: &dyn Observer,
    budget: &Budget,
    routes: &[Vec<usize>],
    cost: f64,
    source: &str,
) {
    let solution = || -> Option<Box<dyn std::any::Any + Send>> {
        Some(Box::new(AnySolution::Cvrp(CvrpSolution {
            routes: routes.to_vec(),
        })))
    };
    observer.improved_with(
        &Improvement {
            objective: cost,
            bound: None,
            elapsed: budget.elapsed(),
            source,
        },
        &solution,
    );
}

/// The instance of the depot and `customers` (sub-instance node `i + 1` is `customers[i]`),
/// with the same capacity, route-length limit and service time, and an unlimited fleet.
pub(crate) fn sub_instance(inst: &CvrpInstance, customers: &[usize]) -> CvrpInstance {
    let nodes = || std::iter::once(0).chain(customers.iter().copied());
    let weights = match &inst.weights {
        CvrpWeights::Coords { rounding, coords } => CvrpWeights::Coords {
            rounding: *rounding,
            coords: nodes().map(|v| coords[v]).collect(),
        },
        CvrpWeights::Matrix { .. } => CvrpWeights::Matrix {
            n: customers.len() + 1,
            matrix: nodes()
                .flat_map(|a| nodes().map(move |b| inst.dist(a, b)))
                .collect(),
        },
    };
    CvrpInstance {
        name: format!("{}-group", inst.name),
        comment: String::new(),
        capacity: inst.capacity,
        demands: nodes().map(|v| inst.demands[v]).collect(),
        weights,
        distance_limit: inst.distance_limit,
        service_time: inst.service_time,
        vehicles: None,
        display: None,
    }
}

/// Savings on each sector of `order` (customers by angle), spread over the workers. A sector
/// whose savings did not finish (budget) keeps one route per customer.
fn sector_savings(
    inst: &CvrpInstance,
    order: &[usize],
    threads: usize,
    budget: &Budget,
) -> Vec<Vec<usize>> {
    let sectors: Vec<&[usize]> = order.chunks(INIT_SECTOR).collect();
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<(usize, Vec<Vec<usize>>)>> = Mutex::new(Vec::new());
    run_workers(threads.min(sectors.len()), |_| {
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&sector) = sectors.get(k) else {
                break;
            };
            let sub = sub_instance(inst, sector);
            let routes: Vec<Vec<usize>> = match savings::solve(&sub, budget, &NoObserver).solution {
                Some(s) => s
                    .routes
                    .iter()
                    .map(|r| r.iter().map(|&i| sector[i - 1]).collect())
                    .collect(),
                None => sector.iter().map(|&c| vec![c]).collect(),
            };
            if let Ok(mut o) = out.lock() {
                o.push((k, routes));
            }
        }
    });
    let mut out = out.into_inner().unwrap_or_default();
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().flat_map(|(_, r)| r).collect()
}

/// Runs of consecutive routes of `sorted` (route indices) of at least `group` customers each;
/// a last run of under half a group joins the one before.
fn group_routes(routes: &[Vec<usize>], sorted: &[usize], group: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut cur = Vec::new();
    let mut size = 0;
    for &r in sorted {
        cur.push(r);
        size += routes[r].len();
        if size >= group {
            groups.push(std::mem::take(&mut cur));
            size = 0;
        }
    }
    if !cur.is_empty() {
        match groups.last_mut() {
            Some(last) if 2 * size < group => last.extend(cur),
            _ => groups.push(cur),
        }
    }
    groups
}

/// What one sub-problem may spend.
#[derive(Debug, Clone, Copy)]
enum SubBudget {
    Time(Duration),
    /// SISR iterations per customer.
    Iterations(u64),
}

/// Each sub-problem's time: with a time limit, a round of `groups` over `threads` workers
/// takes about a third of the time left; without one, `None` (an iteration cap per group).
fn sub_time(budget: &Budget, groups: usize, threads: usize) -> Option<Duration> {
    budget.remaining().map(|left| {
        let share = left.mul_f64(threads as f64 / (3.0 * groups.max(1) as f64));
        share.clamp(MIN_SUB, MAX_SUB)
    })
}

/// `cvrp.sisr` on every group, spread over the workers, annealing from `temps.0` to `temps.1`
/// average edges (`None`: SISR's defaults); the improved ones as `(group, routes, gain)`.
#[allow(clippy::too_many_arguments)]
fn solve_groups(
    inst: &CvrpInstance,
    routes: &[Vec<usize>],
    groups: &[Vec<usize>],
    threads: usize,
    seed: u64,
    budget: &Budget,
    per: SubBudget,
    temps: Option<(f64, f64)>,
) -> Vec<(usize, Vec<Vec<usize>>, f64)> {
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Vec::new());
    run_workers(threads.min(groups.len()), |_| {
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(members) = groups.get(k) else {
                break;
            };
            if budget.is_exhausted() {
                break;
            }
            let own: Vec<Vec<usize>> = members.iter().map(|&r| routes[r].clone()).collect();
            let sub_seed = worker_seed(seed, k, DC_STREAM);
            if let Some((new, gain)) = improve_group(inst, &own, budget, per, sub_seed, temps)
                && let Ok(mut o) = out.lock()
            {
                o.push((k, new, gain));
            }
        }
    });
    out.into_inner().unwrap_or_default()
}

/// `cvrp.sisr` on the customers of `own` from `own` (temperatures as in [`solve_groups`]); the
/// cheaper routes and the gain, or `None`.
fn improve_group(
    inst: &CvrpInstance,
    own: &[Vec<usize>],
    budget: &Budget,
    per: SubBudget,
    seed: u64,
    temps: Option<(f64, f64)>,
) -> Option<(Vec<Vec<usize>>, f64)> {
    let customers: Vec<usize> = own.iter().flatten().copied().collect();
    let sub_inst = sub_instance(inst, &customers);
    // Each sub-problem's clock starts when it starts, and stops at the solve's deadline.
    let cancel = budget.cancel_flag().clone();
    let sub = match per {
        SubBudget::Time(t) => {
            let t = budget.remaining().map_or(t, |left| t.min(left));
            Budget::new(Some(t)).with_cancel(cancel)
        }
        SubBudget::Iterations(per_customer) => Budget::new(None)
            .with_cancel(cancel)
            .with_max_iterations(Some(per_customer * customers.len() as u64)),
    };
    let mut next = 1;
    let warm: Vec<Vec<usize>> = own
        .iter()
        .map(|r| {
            let ids = (next..next + r.len()).collect();
            next += r.len();
            ids
        })
        .collect();
    let defaults = SisrOptions::default();
    let (temp_start_edges, temp_end_edges) =
        temps.unwrap_or((defaults.temp_start_edges, defaults.temp_end_edges));
    let opts = SisrOptions {
        threads: 1,
        seed,
        initial: Some(CvrpSolution { routes: warm }),
        temp_start_edges,
        temp_end_edges,
        ..defaults
    };
    let r = sisr::solve(&sub_inst, &sub, &NoObserver, &opts);
    let sol = r.solution?;
    if !check(&sub_inst, &sol).violations.is_empty() {
        return None;
    }
    let new: Vec<Vec<usize>> = sol
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.iter().map(|&i| customers[i - 1]).collect())
        .collect();
    let old_cost = solution_cost(inst, own);
    let new_cost = solution_cost(inst, &new);
    (new_cost < old_cost - 1e-9 * old_cost.abs().max(1.0)).then_some((new, old_cost - new_cost))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::cvrp::{CustomerPos, DemandKind, DepotPos, XParams, x_style};

    fn inst(n: usize, depot: DepotPos, seed: u64) -> CvrpInstance {
        let p = XParams {
            n,
            depot,
            customers: CustomerPos::RandomClustered,
            demand: DemandKind::SmallLargeVar,
            route_size: 8.0,
        };
        x_style(p, seed)
    }

    fn checked(inst: &CvrpInstance, r: &SolveResult<CvrpSolution>) -> f64 {
        let sol = r.solution.as_ref().expect("a solution");
        let rep = check(inst, sol);
        assert!(rep.violations.is_empty(), "{:?}", rep.violations);
        let obj = r.objective.unwrap();
        assert!(
            (obj - rep.objective).abs() <= 1e-6 * obj.max(1.0),
            "reported objective"
        );
        rep.objective
    }

    #[test]
    fn groups_take_every_route_once_in_order() {
        let routes: Vec<Vec<usize>> = (0..20).map(|i| vec![1; 1 + i % 7]).collect();
        let sorted: Vec<usize> = (0..20).rev().collect();
        for group in [1, 10, 25, 1000] {
            let groups = group_routes(&routes, &sorted, group);
            let flat: Vec<usize> = groups.iter().flatten().copied().collect();
            assert_eq!(flat, sorted);
            let sizes: Vec<usize> = groups
                .iter()
                .map(|g| g.iter().map(|&r| routes[r].len()).sum())
                .collect();
            // Every group but the last reaches the size; the last holds at least half of it.
            assert!(
                sizes[..sizes.len() - 1].iter().all(|&s| s >= group),
                "{sizes:?}"
            );
            assert!(
                groups.len() == 1 || 2 * sizes[sizes.len() - 1] >= group,
                "{sizes:?}"
            );
        }
    }

    #[test]
    fn a_group_instance_prices_its_routes_as_the_instance() {
        let mut inst = inst(300, DepotPos::Random, 3);
        inst.distance_limit = Some(1e9);
        inst.service_time = Some(2.0);
        let customers = [17, 4, 250, 99, 3];
        let sub = sub_instance(&inst, &customers);
        assert_eq!(sub.n(), 6);
        assert_eq!(sub.demands[3], inst.demands[250]);
        let routes = vec![vec![17, 4], vec![250, 99, 3]];
        let local = vec![vec![1, 2], vec![3, 4, 5]];
        assert_eq!(solution_cost(&sub, &local), solution_cost(&inst, &routes));
        assert_eq!(sub.service_time, Some(2.0));
    }

    fn opts(threads: usize) -> DcOptions {
        DcOptions {
            threads,
            seed: 5,
            group: Some(60),
            sub_iterations: Some(5),
            ..Default::default()
        }
    }

    #[test]
    fn rounds_improve_the_sector_savings_and_keep_every_route_feasible() {
        for (depot, threads) in [(DepotPos::Central, 2), (DepotPos::Eccentric, 1)] {
            let inst = inst(700, depot, 9);
            let b0 = Budget::new(None).with_max_iterations(Some(0));
            let c0 = checked(&inst, &solve(&inst, &b0, &NoObserver, &opts(1)));
            let b = Budget::new(None).with_max_iterations(Some(2));
            let r = solve(&inst, &b, &NoObserver, &opts(threads));
            let c = checked(&inst, &r);
            assert!(c < c0, "{c} < {c0}");
            assert!(r.message.unwrap().contains("then 2 rounds"));
        }
    }

    #[test]
    fn the_rounds_cut_one_schedule_into_slices() {
        let d = SisrOptions::default();
        let (s, e) = temperature_slice(0.0, 1.0);
        assert!((s - d.temp_start_edges).abs() < 1e-12 && (e - d.temp_end_edges).abs() < 1e-12);
        // An iteration cap of 4 rounds: four slices, each starting where the last ended.
        let b = Budget::new(None).with_max_iterations(Some(4));
        let slices: Vec<(f64, f64)> = (0..4)
            .map(|r| round_temperatures(Anneal::Global, &b, r, None).unwrap())
            .collect();
        assert!((slices[0].0 - d.temp_start_edges).abs() < 1e-12);
        assert!((slices[3].1 - d.temp_end_edges).abs() < 1e-12);
        for w in slices.windows(2) {
            assert!((w[0].1 - w[1].0).abs() < 1e-12 && w[0].0 > w[0].1, "{w:?}");
        }
        // A time limit: the slice of the round's expected time, clamped to the schedule's end.
        let t = Budget::new(Some(Duration::from_secs(100)));
        let (s, e) =
            round_temperatures(Anneal::Global, &t, 0, Some(Duration::from_secs(500))).unwrap();
        assert!(s <= d.temp_start_edges && s > 0.9 * d.temp_start_edges);
        assert!((e - d.temp_end_edges).abs() < 1e-12);
        // Restart, or no limit at all: SISR's own schedule in every sub-problem.
        assert_eq!(round_temperatures(Anneal::Restart, &b, 1, None), None);
        assert_eq!(
            round_temperatures(Anneal::Global, &Budget::new(None), 1, None),
            None
        );
    }

    #[test]
    fn restarted_annealing_improves_too() {
        let inst = inst(500, DepotPos::Random, 2);
        let b0 = Budget::new(None).with_max_iterations(Some(0));
        let c0 = checked(&inst, &solve(&inst, &b0, &NoObserver, &opts(1)));
        let o = DcOptions {
            anneal: Anneal::Restart,
            ..opts(1)
        };
        let r = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(2)),
            &NoObserver,
            &o,
        );
        assert!(checked(&inst, &r) < c0);
        assert!(r.message.unwrap().contains("annealed from hot"));
    }

    #[test]
    fn warm_starts_and_small_instances() {
        let inst = inst(400, DepotPos::Random, 4);
        let b = Budget::new(None).with_max_iterations(Some(1));
        let r = solve(&inst, &b, &NoObserver, &opts(2));
        let c = checked(&inst, &r);
        let warm = DcOptions {
            initial: r.solution.clone(),
            seed: 6,
            ..opts(2)
        };
        let r2 = solve(&inst, &b, &NoObserver, &warm);
        assert!(checked(&inst, &r2) <= c + 1e-9);
        // A broken warm start is not taken: the sector savings are.
        let mut broken = r.solution.clone().unwrap();
        broken.routes.pop();
        let bad = DcOptions {
            initial: Some(broken),
            ..opts(1)
        };
        checked(&inst, &solve(&inst, &b, &NoObserver, &bad));
        // At most two groups of customers: cvrp.sisr on the whole instance.
        let small = DcOptions {
            group: Some(300),
            ..opts(1)
        };
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_millis(300))),
            &NoObserver,
            &small,
        );
        checked(&inst, &r);
        assert!(
            r.message
                .unwrap()
                .contains("cvrp.sisr on the whole instance")
        );
    }
}
