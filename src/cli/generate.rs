//! `quotient gen FAMILY ...`: seeded random instances in the family's standard format.

use anyhow::{Context, Result, bail};
use quotient::problems::any::AnyInstance;
use quotient::problems::{cvrp, fjsp, jssp, milp, tsp};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    #[command(subcommand)]
    pub family: GenFamily,
    /// Random seed.
    #[arg(long, global = true, default_value_t = 1)]
    pub seed: u64,
    /// Output file (default: standard output).
    #[arg(long, short = 'o', global = true)]
    pub out: Option<PathBuf>,
    /// Write JSON instead of the standard format.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum GenFamily {
    /// Euclidean TSP (TSPLIB EUC_2D).
    Tsp {
        #[arg(long, short = 'n', default_value_t = 100)]
        n: usize,
        /// uniform or clustered.
        #[arg(long, default_value = "uniform")]
        kind: String,
        /// Number of clusters (clustered only; default n/100, at least 1).
        #[arg(long)]
        clusters: Option<usize>,
    },
    /// CVRP in the style of the X set (Uchoa et al. 2017), or uniform (neural benchmarks).
    Cvrp {
        /// Number of customers.
        #[arg(long, short = 'n', default_value_t = 100)]
        n: usize,
        /// Depot position: central, eccentric, random.
        #[arg(long, default_value = "random")]
        depot: String,
        /// Customer positioning: random, clustered, random-clustered.
        #[arg(long, default_value = "random-clustered")]
        customers: String,
        /// Demand distribution: unitary, small-large-var (1-10), small-small-var (5-10),
        /// large-large-var (1-100), large-small-var (50-100), quadrant, many-small.
        #[arg(long, default_value = "small-large-var")]
        demand: String,
        /// Average route size (customers per route).
        #[arg(long, default_value_t = 10.0)]
        route_size: f64,
        /// Uniform instance with this vehicle capacity instead (demands 1..9, unit square).
        #[arg(long)]
        uniform_capacity: Option<i64>,
    },
    /// Job shop in Taillard's style.
    Jssp {
        #[arg(long, default_value_t = 15)]
        jobs: usize,
        #[arg(long, default_value_t = 15)]
        machines: usize,
        /// Taillard's generator with these seeds (reproduces the ta instances).
        #[arg(long, requires = "machine_seed")]
        time_seed: Option<u64>,
        #[arg(long, requires = "time_seed")]
        machine_seed: Option<u64>,
        /// Write Taillard's format instead of OR-Library's.
        #[arg(long)]
        taillard: bool,
        /// Job-shop variant: classic, blocking (BJSSP), swap (SBJSSP) or iswap (ISBJSSP),
        /// written as a `# variant:` line (and the JSON `variant` field).
        #[arg(long, default_value = "classic")]
        variant: jssp::JsspVariant,
    },
    /// Flexible job shop (Brandimarte / Hurink format): every operation has one or more
    /// eligible machines, each with its own processing time.
    Fjsp {
        #[arg(long, default_value_t = 10)]
        jobs: usize,
        #[arg(long, default_value_t = 6)]
        machines: usize,
        /// Operations per job (default: as many as machines).
        #[arg(long)]
        operations: Option<usize>,
        /// Share of the machines an operation may be eligible on at most, in (0, 1]: each
        /// operation gets 1 to round(flexibility * machines) eligible machines.
        #[arg(long, default_value_t = 0.5)]
        flexibility: f64,
    },
    /// MILP: set cover, combinatorial auction, capacitated facility location, independent set,
    /// generalized independent set, multiple knapsack, load balancing, bin packing, item
    /// placement.
    Milp {
        /// setcover, auction, facility, indset, gisp, mknap, loadbal, binpack, placement.
        #[arg(long, default_value = "setcover")]
        kind: String,
        /// Rows (setcover), items (auction, mknap, binpack, placement), customers (facility),
        /// nodes (indset, gisp), jobs (loadbal).
        #[arg(long, default_value_t = 500)]
        rows: usize,
        /// Columns (setcover), bids (auction), facilities (facility), affinity (indset),
        /// knapsacks (mknap), machines (loadbal), bins (placement); not used by gisp and binpack.
        #[arg(long, default_value_t = 1000)]
        cols: usize,
        /// Density (setcover), capacity ratio (facility) or edge probability (gisp, default 0.5).
        #[arg(long)]
        density: Option<f64>,
        /// Share of the edges that are removable (gisp).
        #[arg(long, default_value_t = 0.75)]
        alpha: f64,
        /// Write CPLEX LP instead of MPS.
        #[arg(long)]
        lp: bool,
    },
}

const MAX_GEN: usize = 10_000_000;

fn check_size(what: &str, v: usize, max: usize) -> Result<()> {
    if v == 0 || v > max {
        bail!("{what} = {v}: expected 1..={max}");
    }
    Ok(())
}

pub fn run(args: GenArgs) -> Result<ExitCode> {
    let seed = args.seed;
    let (inst, text) = match args.family {
        GenFamily::Tsp { n, kind, clusters } => {
            check_size("n", n, MAX_GEN)?;
            let inst = match kind.as_str() {
                "uniform" => tsp::generate::uniform(n, seed),
                "clustered" => {
                    let c = clusters.unwrap_or((n / 100).max(1));
                    check_size("clusters", c, n)?;
                    tsp::generate::clustered(n, c, seed)
                }
                other => bail!("--kind {other}: expected uniform or clustered"),
            };
            let text = tsp::write::write_tsplib(&inst);
            (AnyInstance::Tsp(inst), text)
        }
        GenFamily::Cvrp {
            n,
            depot,
            customers,
            demand,
            route_size,
            uniform_capacity,
        } => {
            check_size("n", n, 100_000)?;
            let inst = match uniform_capacity {
                Some(cap) => {
                    if cap < 9 {
                        bail!("--uniform-capacity {cap}: must be at least 9 (the largest demand)");
                    }
                    cvrp::generate::uniform(n, cap, seed)
                }
                None => {
                    if !(route_size.is_finite() && route_size >= 1.0 && route_size <= n as f64) {
                        bail!("--route-size {route_size}: expected a number in [1, n]");
                    }
                    use cvrp::generate::{CustomerPos, DemandKind, DepotPos, XParams};
                    let depot = match depot.as_str() {
                        "central" => DepotPos::Central,
                        "eccentric" => DepotPos::Eccentric,
                        "random" => DepotPos::Random,
                        other => bail!("--depot {other}: expected central, eccentric or random"),
                    };
                    let customers = match customers.as_str() {
                        "random" => CustomerPos::Random,
                        "clustered" => CustomerPos::Clustered,
                        "random-clustered" => CustomerPos::RandomClustered,
                        other => bail!(
                            "--customers {other}: expected random, clustered or random-clustered"
                        ),
                    };
                    let demand = match demand.as_str() {
                        "unitary" => DemandKind::Unitary,
                        "small-large-var" => DemandKind::SmallLargeVar,
                        "small-small-var" => DemandKind::SmallSmallVar,
                        "large-large-var" => DemandKind::LargeLargeVar,
                        "large-small-var" => DemandKind::LargeSmallVar,
                        "quadrant" => DemandKind::Quadrant,
                        "many-small" => DemandKind::ManySmallFewLarge,
                        other => bail!(
                            "--demand {other}: expected unitary, small-large-var, small-small-var, large-large-var, large-small-var, quadrant or many-small"
                        ),
                    };
                    cvrp::generate::x_style(
                        XParams {
                            n,
                            depot,
                            customers,
                            demand,
                            route_size,
                        },
                        seed,
                    )
                }
            };
            let text = cvrp::write::write_cvrplib(&inst);
            (AnyInstance::Cvrp(inst), text)
        }
        GenFamily::Jssp {
            jobs,
            machines,
            time_seed,
            machine_seed,
            taillard,
            variant,
        } => {
            check_size("jobs", jobs, 100_000)?;
            check_size("machines", machines, 10_000)?;
            check_size("jobs*machines", jobs * machines, MAX_GEN)?;
            let mut inst = match (time_seed, machine_seed) {
                (Some(t), Some(m)) => jssp::generate::taillard(jobs, machines, t, m),
                _ => jssp::generate::random(jobs, machines, seed),
            };
            inst.variant = variant;
            let text = if taillard {
                jssp::write::write_taillard(&inst)
            } else {
                jssp::write::write_orlib(&inst)
            };
            (AnyInstance::Jssp(inst), text)
        }
        GenFamily::Fjsp {
            jobs,
            machines,
            operations,
            flexibility,
        } => {
            check_size("jobs", jobs, 100_000)?;
            check_size("machines", machines, 10_000)?;
            let ops = operations.unwrap_or(machines);
            check_size("operations", ops, 10_000)?;
            check_size("jobs*operations*machines", jobs * ops * machines, MAX_GEN)?;
            if !(flexibility > 0.0 && flexibility <= 1.0) {
                bail!("--flexibility {flexibility}: expected (0, 1]");
            }
            let inst = fjsp::generate::random(jobs, machines, ops, flexibility, seed);
            let text = fjsp::write::write_fjsp(&inst);
            (AnyInstance::Fjsp(inst), text)
        }
        GenFamily::Milp {
            kind,
            rows,
            cols,
            density,
            alpha,
            lp,
        } => {
            check_size("rows", rows, 1_000_000)?;
            check_size("cols", cols, 1_000_000)?;
            // Models with a variable per (row, column) pair.
            if matches!(kind.as_str(), "mknap" | "loadbal" | "placement") {
                check_size("rows*cols", rows.saturating_mul(cols), MAX_GEN)?;
            }
            let inst = match kind.as_str() {
                "setcover" => {
                    let d = density.unwrap_or(0.05);
                    if !(d > 0.0 && d <= 1.0) {
                        bail!("--density {d}: expected (0, 1]");
                    }
                    milp::generate::set_cover(rows, cols, d, seed)
                }
                "auction" => milp::generate::combinatorial_auction(rows, cols, seed),
                "facility" => {
                    let r = density.unwrap_or(5.0);
                    if !(r.is_finite() && r > 0.0) {
                        bail!("--density {r}: the capacity ratio must be positive");
                    }
                    milp::generate::capacitated_facility_location(rows, cols, r, seed)
                }
                "indset" => milp::generate::independent_set(
                    rows,
                    cols.min(rows.saturating_sub(1)).max(1),
                    seed,
                ),
                "gisp" => {
                    let p = density.unwrap_or(0.5);
                    if !(p > 0.0 && p <= 1.0) {
                        bail!("--density {p}: the edge probability must be in (0, 1]");
                    }
                    if !(0.0..=1.0).contains(&alpha) {
                        bail!("--alpha {alpha}: expected [0, 1]");
                    }
                    // About rows^2 * p / 2 edges, each a row.
                    let edges = (rows as f64).powi(2) * p / 2.0;
                    if edges > MAX_GEN as f64 {
                        bail!(
                            "--rows {rows} --density {p}: about {edges:.0} edges, at most {MAX_GEN}"
                        );
                    }
                    milp::generate::gisp(rows, p, alpha, seed)
                }
                "mknap" => milp::generate::multiple_knapsack(rows, cols, seed),
                "loadbal" => milp::generate::load_balancing(rows, cols, seed),
                "binpack" => {
                    // First fit decreasing opens up to `rows` bins: rows^2 variables at worst.
                    check_size("rows", rows, 3_000)?;
                    milp::generate::bin_packing(rows, seed)
                }
                "placement" => milp::generate::item_placement(rows, cols, seed),
                other => bail!(
                    "--kind {other}: expected setcover, auction, facility, indset, gisp, mknap, loadbal, binpack or placement"
                ),
            };
            let text = if lp {
                milp::write::write_lp(&inst)
            } else {
                milp::write::write_mps(&inst)
            };
            (AnyInstance::Milp(inst), text)
        }
    };
    let text = if args.json {
        serde_json::to_string(&inst)?
    } else {
        text
    };
    match &args.out {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
