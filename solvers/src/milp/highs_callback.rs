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
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the callback reads: the cancel flag, an optional soft deadline (past it, the MIP solve
/// stops as soon as it holds a feasible solution) and, optionally, a function that receives
/// every improving MIP solution: its (HiGHS-side, minimised, offset-free) objective and its
/// column values (empty when HiGHS gives none).
pub(crate) struct CallbackState<'a> {
    pub cancel: &'a AtomicBool,
    pub soft_deadline: Option<Instant>,
    pub on_improving: Option<OnImproving<'a>>,
}

/// The receiver of improving MIP solutions: objective and column values.
pub(crate) type OnImproving<'a> = &'a (dyn Fn(f64, &[f64]) + Sync);

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
        let out = unsafe { &*data_out };
        let objective = out.objective_function_value;
        let size = usize::try_from(out.mip_solution_size).unwrap_or(0);
        let x: &[f64] = if out.mip_solution.is_null() || size == 0 {
            &[]
        } else {
            // SAFETY: HiGHS points `mip_solution` at its incumbent's `mip_solution_size`
            // column values, alive for the duration of the callback.
            unsafe { std::slice::from_raw_parts(out.mip_solution, size) }
        };
        // A panic must not unwind into C++; the report is lost, the solve goes on.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(objective, x)));
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

/// A HiGHS model on its way to, or back from, the thread that solves it.
struct Moved(highs::Model);

// SAFETY: a HiGHS instance has no thread affinity. `Moved` hands the model whole to one other
// thread, which then owns it alone (nothing else keeps its pointer), and back the same way.
unsafe impl Send for Moved {}

/// What the solving thread sends: improving solutions while HiGHS runs, then its end.
enum Message<R> {
    Improving(f64, Vec<f64>),
    Done(Result<(R, Moved), highs::HighsStatus>),
}

/// How a detachable solve ended.
pub(crate) enum Detached<R> {
    /// HiGHS returned: what `read` made of the solved model, and the model for the next solve.
    Solved(R, highs::Model),
    /// HiGHS failed; the model is lost.
    Failed(highs::HighsStatus),
    /// The cancel flag was set and HiGHS had not returned `grace` later (its presolve does not
    /// look at the interrupt callbacks): the caller goes on without it, with the last improving
    /// solution HiGHS reported (objective as HiGHS gave it, column values), if any. The solving
    /// thread ends on its own at HiGHS's next interrupt check and frees the model.
    Abandoned(Option<(f64, Vec<f64>)>),
}

/// [`solve_with_callbacks`] on a thread of its own, so that a cancel reaches the caller even
/// while HiGHS is in a phase that does not poll: the caller waits for HiGHS (passing improving
/// objectives to `on_improving` on its own thread, and keeping a copy of the last improving
/// solution), except that `grace` after it sees the cancel flag set it stops waiting
/// ([`Detached::Abandoned`], with that copy).
pub(crate) fn solve_detachable<R: Send + 'static>(
    model: highs::Model,
    cancel: Arc<AtomicBool>,
    soft_deadline: Option<Instant>,
    on_improving: Option<&(dyn Fn(f64) + Sync)>,
    grace: Duration,
    read: impl FnOnce(&highs::SolvedModel) -> R + Send + 'static,
) -> Detached<R> {
    let (tx, rx) = mpsc::channel::<Message<R>>();
    let moved = Moved(model);
    let flag = cancel.clone();
    let thread = std::thread::Builder::new()
        .name("quotient-highs".into())
        .spawn(move || {
            let moved = moved;
            let improving = tx.clone();
            // Always on: the copy of the incumbent is what an abandoned solve returns.
            let report = move |obj: f64, x: &[f64]| {
                let _ = improving.send(Message::Improving(obj, x.to_vec()));
            };
            let state = CallbackState {
                cancel: &flag,
                soft_deadline,
                on_improving: Some(&report),
            };
            let out = solve_with_callbacks(moved.0, &state).map(|solved| {
                let r = read(&solved);
                (r, Moved(highs::Model::from(solved)))
            });
            let _ = tx.send(Message::Done(out));
        });
    if thread.is_err() {
        return Detached::Failed(highs::HighsStatus::Error);
    }
    let mut cancelled_at: Option<Instant> = None;
    let mut incumbent: Option<(f64, Vec<f64>)> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(2)) {
            Ok(Message::Improving(obj, x)) => {
                if let Some(f) = on_improving {
                    f(obj);
                }
                if !x.is_empty() {
                    incumbent = Some((obj, x));
                }
            }
            Ok(Message::Done(Ok((r, moved)))) => return Detached::Solved(r, moved.0),
            Ok(Message::Done(Err(e))) => return Detached::Failed(e),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if cancel.load(Ordering::Relaxed)
                    && cancelled_at.get_or_insert_with(Instant::now).elapsed() >= grace
                {
                    return Detached::Abandoned(incumbent);
                }
            }
            // The thread ended without a word (a panic in HiGHS's wrapper).
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Detached::Failed(highs::HighsStatus::Error);
            }
        }
    }
}
