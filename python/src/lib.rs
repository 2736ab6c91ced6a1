//! `quotient._quotient`, the extension module of the `quotient` Python package: instances of
//! every family (read from files or built from numpy arrays), `solve` with the library's
//! solvers and router, the independent checker, the pictures and the solver list. The Python
//! package (`python/quotient/`) re-exports it with its exceptions and documentation.

mod arrays;
mod errors;
mod instance;
mod neural_config;
mod solve;

use pyo3::prelude::*;

#[pymodule]
fn _quotient(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<instance::PyInstance>()?;
    m.add_class::<instance::Tsp>()?;
    m.add_class::<instance::Cvrp>()?;
    m.add_class::<instance::JobShop>()?;
    m.add_class::<instance::FlexibleJobShop>()?;
    m.add_class::<instance::Milp>()?;
    m.add_class::<solve::PySolution>()?;
    m.add_class::<solve::PyResult_>()?;
    m.add_class::<solve::PyReport>()?;
    m.add_class::<solve::PyImprovement>()?;
    m.add_function(wrap_pyfunction!(instance::read, m)?)?;
    m.add_function(wrap_pyfunction!(solve::solve, m)?)?;
    m.add_function(wrap_pyfunction!(solve::check, m)?)?;
    m.add_function(wrap_pyfunction!(solve::plot_svg, m)?)?;
    m.add_function(wrap_pyfunction!(solve::solvers, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
