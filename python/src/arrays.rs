//! numpy arrays in and out. In: user data through `quotient._convert` (any array-like, checked,
//! errors naming the field). Out: read-only views of an instance's own memory where it is
//! flat, copies where it is nested.

use numpy::ndarray::{ArrayView1, ArrayView2};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyList;

fn convert<'py>(
    py: Python<'py>,
    func: &str,
    value: &Bound<'py, PyAny>,
    ndim: usize,
    field: &str,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("quotient._convert")?
        .getattr(func)?
        .call1((value, ndim, field))
}

/// An n x `N` table of finite floats (e.g. coordinates), from any array-like.
pub fn rows_of<const N: usize>(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    field: &str,
) -> PyResult<Vec<[f64; N]>> {
    let arr = convert(py, "float_array", value, 2, field)?;
    let arr: PyReadonlyArray2<'_, f64> = arr.extract()?;
    let view = arr.as_array();
    if view.ncols() != N {
        return Err(crate::errors::invalid(
            py,
            field,
            format!("expected {N} columns, got shape {:?}", view.shape()),
        ));
    }
    Ok(view
        .rows()
        .into_iter()
        .map(|r| std::array::from_fn(|k| r[k]))
        .collect())
}

/// A vector of integers, from any array-like.
pub fn i64_vec(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<i64>> {
    let arr = convert(py, "int_array", value, 1, field)?;
    let arr: PyReadonlyArray1<'_, i64> = arr.extract()?;
    Ok(arr.as_array().to_vec())
}

/// A square matrix of integers, row-major, and its order.
pub fn square_i64(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    field: &str,
) -> PyResult<(usize, Vec<i64>)> {
    let arr = convert(py, "int_array", value, 2, field)?;
    let arr: PyReadonlyArray2<'_, i64> = arr.extract()?;
    let view = arr.as_array();
    if view.nrows() != view.ncols() {
        return Err(crate::errors::invalid(
            py,
            field,
            format!("expected a square matrix, got shape {:?}", view.shape()),
        ));
    }
    Ok((view.nrows(), view.iter().copied().collect()))
}

/// A table of integers, one row per job, rows of any length.
pub fn i64_table(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<Vec<i64>>> {
    let rows = py
        .import("quotient._convert")?
        .getattr("int_rows")?
        .call1((value, field))?;
    let rows = rows.cast_into::<PyList>()?;
    rows.iter()
        .map(|row| {
            let row: PyReadonlyArray1<'_, i64> = row.extract()?;
            Ok(row.as_array().to_vec())
        })
        .collect()
}

/// Mark `arr` read-only: it views memory that must not change.
fn read_only<'py, T: numpy::Element, D: numpy::ndarray::Dimension>(
    arr: Bound<'py, numpy::PyArray<T, D>>,
) -> PyResult<Bound<'py, numpy::PyArray<T, D>>> {
    arr.readwrite().make_nonwriteable();
    Ok(arr)
}

/// A read-only n x 2 view of `rows`, kept alive by `owner`.
///
/// `owner` must be the frozen instance object whose `Arc<AnyInstance>` holds `rows`: the data
/// is never mutated nor reallocated while the object lives.
#[allow(unsafe_code)]
pub fn f64_matrix_view<'py>(
    owner: &Bound<'py, PyAny>,
    rows: &[[f64; 2]],
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let view = ArrayView2::from_shape((rows.len(), 2), rows.as_flattened())
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    // SAFETY: `rows` lives in the immutable instance that `owner` holds (frozen class, data
    // behind an `Arc` never mutated), so the memory stays valid and unmoved as long as `owner`,
    // which becomes the array's base object, is alive.
    read_only(unsafe { PyArray2::borrow_from_array(&view, owner.clone()) })
}

/// A read-only view of `values` (see [`f64_matrix_view`] for `owner`).
#[allow(unsafe_code)]
pub fn i64_vec_view<'py>(
    owner: &Bound<'py, PyAny>,
    values: &[i64],
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let view = ArrayView1::from(values);
    // SAFETY: as in `f64_matrix_view`.
    read_only(unsafe { PyArray1::borrow_from_array(&view, owner.clone()) })
}

/// A read-only n x n view of the row-major `values` (see [`f64_matrix_view`] for `owner`).
#[allow(unsafe_code)]
pub fn square_view<'py, T: numpy::Element>(
    owner: &Bound<'py, PyAny>,
    values: &[T],
    n: usize,
) -> PyResult<Bound<'py, PyArray2<T>>> {
    let view = ArrayView2::from_shape((n, n), values)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    // SAFETY: as in `f64_matrix_view`.
    read_only(unsafe { PyArray2::borrow_from_array(&view, owner.clone()) })
}

/// A k x `width` array (a copy) of `rows`, each `width` long.
pub fn i64_rows<'py>(
    py: Python<'py>,
    rows: &[Vec<i64>],
    width: usize,
) -> PyResult<Bound<'py, PyArray2<i64>>> {
    let flat: Vec<i64> = rows.iter().flatten().copied().collect();
    PyArray1::from_vec(py, flat).reshape([rows.len(), width])
}

/// A table as a 2-D array when its rows have one length, else a list of 1-D arrays.
pub fn table_to_py(py: Python<'_>, rows: &[Vec<i64>]) -> PyResult<Py<PyAny>> {
    let width = rows.first().map_or(0, Vec::len);
    if rows.iter().all(|r| r.len() == width) {
        return Ok(i64_rows(py, rows, width)?.into_any().unbind());
    }
    let list = PyList::empty(py);
    for r in rows {
        list.append(PyArray1::from_vec(py, r.clone()))?;
    }
    Ok(list.into_any().unbind())
}
