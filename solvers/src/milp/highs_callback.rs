//! HiGHS's callbacks, for the two things the safe `highs` crate cannot do: stop a running solve
//! when the caller's cancel flag is set (HiGHS's interrupt callbacks: simplex, IPM and MIP),
//! and report each improving MIP solution while HiGHS runs. This is the only `unsafe` code of
//! quotient: HiGHS's C callback API through `highs-sys`, kept to registering one `extern "C"`
//! function whose user data lives on the caller's stack for the whole solve.
#![allow(unsafe_code)]

use highs_sys::{
    Highs_setCallback, Highs_startCallback, Highs_stopCallback, HighsCallbackDataIn,
    HighsCallbackDataOut, kHighsCallbackIpmInterrupt, kHighsCallbackMipImprovingSolution,
    kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
};
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What the callback reads: the cancel flag, an optional soft deadline (past it, the MIP solve
/// stops as soon as it holds a feasible solution) and, optionally, a function that receives
/// the (HiGHS-side, minimised, offset-free) objective of every improving MIP solution.
pub(crate) struct CallbackState<'a> {
    pub cancel: &'a AtomicBool,
    pub soft_deadline: Option<Instant>,
    pub on_improving: Option<&'a (dyn Fn(f64) + Sync)>,
}

const INTERRUPTS: [c_int; 3] = [
    kHighsCallbackSimplexInterrupt,
    kHighsCallbackIpmInterrupt,
    kHighsCallbackMipInterrupt,
];

unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    data_out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    if user.is_null() {
        return;
    }
    // SAFETY: `user` is the `CallbackState` passed to `solve_with_callbacks`, which outlives the
    // solve; callbacks are stopped before that function returns.
    let state = unsafe { &*(user as *const CallbackState<'_>) };
    if INTERRUPTS.contains(&kind) {
        // SAFETY: HiGHS fills `data_out` (when not null) before a MIP interrupt callback.
        let soft_stop = kind == kHighsCallbackMipInterrupt
            && state.soft_deadline.is_some_and(|d| Instant::now() >= d)
            && !data_out.is_null()
            && unsafe { (*data_out).mip_primal_bound }.is_finite();
        if (soft_stop || state.cancel.load(Ordering::Relaxed)) && !data_in.is_null() {
            // SAFETY: HiGHS passes a valid, writable `data_in` to interrupt callbacks.
            unsafe { (*data_in).user_interrupt = 1 };
        }
    } else if kind == kHighsCallbackMipImprovingSolution
        && let Some(f) = state.on_improving
        && !data_out.is_null()
    {
        // SAFETY: HiGHS passes a valid `data_out` to the improving-solution callback.
        let objective = unsafe { (*data_out).objective_function_value };
        // A panic must not unwind into C++; the report is lost, the solve goes on.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(objective)));
    }
}

/// Solve `model` with the callbacks of `state` active for the duration of the solve.
pub(crate) fn solve_with_callbacks(
    mut model: highs::Model,
    state: &CallbackState<'_>,
) -> Result<highs::SolvedModel, highs::HighsStatus> {
    let ptr = model.as_mut_ptr();
    let user = state as *const CallbackState<'_> as *mut c_void;
    let mut kinds: Vec<c_int> = INTERRUPTS.to_vec();
    if state.on_improving.is_some() {
        kinds.push(kHighsCallbackMipImprovingSolution);
    }
    // SAFETY: `ptr` is the live HiGHS instance owned by `model`; `user` points to `state`,
    // which outlives this function, and the callbacks are stopped below before returning.
    let registered = unsafe { Highs_setCallback(ptr, Some(callback), user) } == 0;
    if registered {
        for &k in &kinds {
            // SAFETY: as above.
            unsafe { Highs_startCallback(ptr, k) };
        }
    }
    let mut solved = model.try_solve()?;
    if registered {
        let ptr = solved.as_mut_ptr();
        for &k in &kinds {
            // SAFETY: `solved` owns the same HiGHS instance, still alive.
            unsafe { Highs_stopCallback(ptr, k) };
        }
    }
    Ok(solved)
}
