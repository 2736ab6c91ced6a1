//! MILP solvers, all on HiGHS through one driver ([`highs_model`]): `milp.highs` (plain
//! branch-and-cut) and `milp.alns` (adaptive large-neighbourhood search over sub-MIPs).

pub mod alns;
pub mod highs;
pub(crate) mod highs_callback;
pub mod highs_model;
