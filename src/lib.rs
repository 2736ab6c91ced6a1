//! quotient: a combinatorial-optimization solver service for TSP/ATSP, CVRP, job shop and MILP.
//!
//! The library entry point is [`solve`]: give it an instance of any family and [`Options`], get
//! an [`Outcome`] whose solution has passed the family's independent checker. The facade lives
//! in the `quotient-core` crate (so that the REST service, `quotient-server`, can call it while
//! this package's binary runs the service); this crate re-exports it whole.
//!
//! ```
//! use quotient::{Options, solve};
//! use quotient::problems::any::{AnyInstance, read_instance};
//!
//! let text = "NAME: sq\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
//!             NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
//! let instance = read_instance(text.as_bytes(), "sq.tsp", None).unwrap();
//! let outcome = solve(&instance, &Options::default()).unwrap();
//! assert_eq!(outcome.objective, Some(40.0));
//! ```

pub use quotient_core::*;
