//! MILP solvers. The model is built with good_lp and solved by HiGHS.

pub mod highs;
