//! HiGHS's callbacks, for the two things the safe `highs` crate cannot do: stop a running solve
//! when the caller's cancel flag is set (HiGHS's interrupt callbacks: simplex, IPM and MIP),
//! and report each improving MIP solution while HiGHS runs. This is the only `unsafe` code of
//! quotient: HiGHS's C callback API through `highs-sys`, kept to registering one `extern "C"`
//! function whose user data lives on the caller's stack for the whole solve.
#![allow(unsafe_code)]

use super::highs_model::{HighsMip, LinearModel, MipError, MipSettings};
use highs_sys::{
    Highs_setCallback, Highs_startCallback, Highs_stopCallback, HighsCallbackDataIn,
    HighsCallbackDataOut, kHighsCallbackCallbackMipUserSolution, kHighsCallbackIpmInterrupt,
    kHighsCallbackMipImprovingSolution, kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
};
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the callback reads: the cancel flag, an optional soft deadline (past it, the MIP solve
/// stops as soon as it holds a feasible solution) and, optionally, a function that receives
/// every improving MIP solution: its (HiGHS-side, minimised, offset-free) objective and its
/// column values (empty when HiGHS gives none).
pub(crate) struct CallbackState<'a> {
    pub cancel: &'a AtomicBool,
    pub soft_deadline: Option<Instant>,
    pub on_improving: Option<&'a OnImproving<'a>>,
    /// A caller that pauses and resumes the solve and hands it solutions ([`Steer`]).
    pub steer: Option<&'a Steer>,
}

/// How a caller steers a HiGHS solve that runs on a thread of its own ([`spawn_steered`]):
/// it pauses it (HiGHS waits inside its next interrupt callback, using no CPU), resumes it,
/// hands it solutions found elsewhere (HiGHS takes them, after checking them, at its next
/// user-solution query: before each dive of its branch and bound), and ends it.
#[derive(Debug, Default)]
pub(crate) struct Steer {
    paused: Mutex<bool>,
    wake: Condvar,
    /// HiGHS is waiting in a callback.
    parked: AtomicBool,
    /// End the solve at the next interrupt callback.
    stop: AtomicBool,
    /// A solution (original columns) for HiGHS to take.
    offer: Mutex<Option<Vec<f64>>>,
    /// When HiGHS's branch-and-bound node count (0 while its root node is being solved,
    /// positive once its tree search runs) was first seen positive in a MIP interrupt callback:
    /// nanoseconds after `Steer::started`, plus 1 (0: not yet).
    root_done_ns: AtomicU64,
    /// CPU time and run-queue wait of HiGHS's thread (nanoseconds, [`thread_times`]) when it
    /// last parked or ended.
    cpu_ns: AtomicU64,
    wait_ns: AtomicU64,
    /// When the solve's thread started.
    started: Mutex<Option<Instant>>,
    /// The solve has returned (it will not park again).
    ended: AtomicBool,
    /// HiGHS's relative gap between its incumbent and its dual bound (`mip_gap`, infinite
    /// without an incumbent) at its last MIP interrupt callback, as `f64` bits (0: none seen).
    gap_bits: AtomicU64,
}

/// The calling thread's CPU time and the time it waited runnable for a CPU, in nanoseconds
/// (Linux's `/proc/thread-self/schedstat`; `None` elsewhere).
pub(crate) fn thread_times() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = text.split_whitespace().map(|v| v.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
}

impl Steer {
    /// Ask HiGHS to wait at its next interrupt callback.
    pub fn pause(&self) {
        if let Ok(mut p) = self.paused.lock() {
            *p = true;
        }
    }

    /// Let HiGHS go on.
    pub fn resume(&self) {
        if let Ok(mut p) = self.paused.lock() {
            *p = false;
        }
        self.wake.notify_all();
    }

    /// End the solve (HiGHS stops at its next interrupt callback, a paused one at once).
    pub fn finish(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.resume();
    }

    /// Whether HiGHS is waiting in a callback now.
    pub fn is_parked(&self) -> bool {
        self.parked.load(Ordering::Relaxed)
    }

    /// Wait (at most `timeout`) until a paused HiGHS is waiting in a callback; false when it
    /// has not reached one (a phase without interrupt callbacks, or it has ended: then at
    /// once).
    pub fn wait_parked(&self, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        while !self.is_parked() {
            if Instant::now() >= until || self.ended.load(Ordering::Relaxed) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }

    /// Hand HiGHS a solution (it replaces one not yet taken).
    pub fn offer(&self, x: Vec<f64>) {
        if let Ok(mut o) = self.offer.lock() {
            *o = Some(x);
        }
    }

    /// In a callback: wait while paused (and not cancelled or stopped).
    fn park(&self, cancel: &AtomicBool) {
        let Ok(mut p) = self.paused.lock() else {
            return;
        };
        if *p && !cancel.load(Ordering::Relaxed) && !self.stop.load(Ordering::Relaxed) {
            self.note_times();
        }
        while *p && !cancel.load(Ordering::Relaxed) && !self.stop.load(Ordering::Relaxed) {
            self.parked.store(true, Ordering::Relaxed);
            match self.wake.wait_timeout(p, Duration::from_millis(10)) {
                Ok((g, _)) => p = g,
                Err(_) => break,
            }
        }
        self.parked.store(false, Ordering::Relaxed);
    }

    /// Whether HiGHS's root node is done (its tree search has processed a node).
    pub fn root_done(&self) -> bool {
        self.root_done_ns.load(Ordering::Relaxed) > 0
    }

    /// When HiGHS's root node was done, after the start of its thread.
    pub fn root_done_after(&self) -> Option<Duration> {
        let ns = self.root_done_ns.load(Ordering::Relaxed);
        (ns > 0).then(|| Duration::from_nanos(ns - 1))
    }

    /// The CPU time HiGHS's thread had used, and the time it had waited runnable for a CPU,
    /// when it last parked (or ended): `None` until then, or where the OS does not say.
    pub fn thread_times(&self) -> Option<(Duration, Duration)> {
        let cpu = self.cpu_ns.load(Ordering::Relaxed);
        (cpu > 0).then(|| {
            (
                Duration::from_nanos(cpu),
                Duration::from_nanos(self.wait_ns.load(Ordering::Relaxed)),
            )
        })
    }

    /// On HiGHS's thread: note its CPU time so far.
    fn note_times(&self) {
        if let Some((cpu, wait)) = thread_times() {
            self.cpu_ns.store(cpu.max(1), Ordering::Relaxed);
            self.wait_ns.store(wait, Ordering::Relaxed);
        }
    }

    /// HiGHS's relative gap (incumbent to dual bound) at its last MIP interrupt callback:
    /// `None` before the first one, infinite while it holds no solution.
    pub fn gap(&self) -> Option<f64> {
        let bits = self.gap_bits.load(Ordering::Relaxed);
        (bits != 0).then(|| f64::from_bits(bits))
    }

    /// In a MIP interrupt callback: note HiGHS's gap (NaN counts as no solution).
    fn note_gap(&self, gap: f64) {
        let gap = if gap.is_nan() {
            f64::INFINITY
        } else {
            gap.abs()
        };
        // `0.0_f64.to_bits()` is 0, the "none seen" mark: a proved gap of 0 is stored as the
        // smallest positive value instead.
        self.gap_bits
            .store(gap.max(f64::MIN_POSITIVE).to_bits(), Ordering::Relaxed);
    }

    /// In a MIP interrupt callback: note HiGHS's node count.
    fn note_nodes(&self, nodes: i64) {
        if nodes > 0 && self.root_done_ns.load(Ordering::Relaxed) == 0 {
            let since = self.started.lock().ok().and_then(|s| *s).map_or(0, |t| {
                u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX - 1)
            });
            self.root_done_ns.store(since + 1, Ordering::Relaxed);
        }
    }

    fn take_offer(&self) -> Option<Vec<f64>> {
        self.offer.lock().ok().and_then(|mut o| o.take())
    }
}

/// Receives an improving solution: its objective and its column values.
pub(crate) type OnImproving<'a> = dyn Fn(f64, &[f64]) + Sync + 'a;

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
        if let Some(steer) = state.steer {
            if kind == kHighsCallbackMipInterrupt && !data_out.is_null() {
                // SAFETY: HiGHS fills `data_out` (when not null) before a MIP interrupt
                // callback.
                let out = unsafe { &*data_out };
                steer.note_nodes(out.mip_node_count);
                steer.note_gap(out.mip_gap);
            }
            steer.park(state.cancel);
        }
        let stopped = state.steer.is_some_and(|s| s.stop.load(Ordering::Relaxed));
        // SAFETY: HiGHS fills `data_out` (when not null) before a MIP interrupt callback.
        let soft_stop = kind == kHighsCallbackMipInterrupt
            && state.soft_deadline.is_some_and(|d| Instant::now() >= d)
            && !data_out.is_null()
            && unsafe { (*data_out).mip_primal_bound }.is_finite();
        if (soft_stop || stopped || state.cancel.load(Ordering::Relaxed)) && !data_in.is_null() {
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
    } else if kind == kHighsCallbackCallbackMipUserSolution
        && let Some(steer) = state.steer
        && !data_in.is_null()
    {
        // SAFETY: HiGHS passes a valid, writable `data_in` to the user-solution callback, its
        // `user_solution` pointing at `user_solution_size` writable values (the columns of the
        // model as loaded).
        let din = unsafe { &mut *data_in };
        let size = usize::try_from(din.user_solution_size).unwrap_or(0);
        if let Some(x) = steer.take_offer()
            && x.len() == size
            && !din.user_solution.is_null()
        {
            // SAFETY: as above; `x` has exactly `size` values.
            let dst = unsafe { std::slice::from_raw_parts_mut(din.user_solution, size) };
            dst.copy_from_slice(&x);
            din.user_has_solution = 1;
        }
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
    if state.steer.is_some() {
        kinds.push(kHighsCallbackCallbackMipUserSolution);
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

/// A model loaded on a thread of its own, on its way back to the caller.
struct MovedMip(HighsMip);

// SAFETY: as for `Moved`: the `HighsMip` (its HiGHS instance included) is handed whole from the
// loading thread, which keeps nothing of it, to the caller.
unsafe impl Send for MovedMip {}

/// [`HighsMip::new_unless`] on a thread of its own, so that a stop reaches the caller even
/// while the load is in a step that cannot look at it (good_lp turning 500 000 columns into
/// HiGHS's problem, HiGHS's own load: 0.3-0.5 s in a debug build): `grace` after `stop` says
/// so, the caller gets [`MipError::Stopped`] and the thread is told to give up at its next
/// look (the model it may still finish is dropped there).
pub(crate) fn load_detachable(
    lm: LinearModel,
    settings: MipSettings,
    stop: &dyn Fn() -> bool,
    grace: Duration,
) -> Result<HighsMip, MipError> {
    let (tx, rx) = mpsc::channel::<Result<MovedMip, MipError>>();
    let give_up = Arc::new(AtomicBool::new(false));
    let flag = give_up.clone();
    let thread = std::thread::Builder::new()
        .name("quotient-highs-load".into())
        .spawn(move || {
            let loaded = HighsMip::new_unless(&lm, &settings, &|| flag.load(Ordering::Relaxed))
                .map(MovedMip);
            let _ = tx.send(loaded);
        });
    if thread.is_err() {
        return Err(MipError::Rejected("cannot start the loading thread".into()));
    }
    let mut stopped_at: Option<Instant> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(2)) {
            Ok(loaded) => return loaded.map(|m| m.0),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if (stopped_at.is_some() || stop())
                    && stopped_at.get_or_insert_with(Instant::now).elapsed() >= grace
                {
                    give_up.store(true, Ordering::Relaxed);
                    return Err(MipError::Stopped);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(MipError::Rejected(
                    "the loading thread ended without a model".into(),
                ));
            }
        }
    }
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
    /// The cancel flag was set, or the deadline passed, and HiGHS had not returned `grace`
    /// later (its presolve does not look at the interrupt callbacks, nor at its time limit):
    /// the caller goes on without it, with the last improving
    /// solution HiGHS reported (objective as HiGHS gave it, column values), if any. The solving
    /// thread ends on its own at HiGHS's next interrupt check and frees the model.
    Abandoned(Option<(f64, Vec<f64>)>),
}

/// [`solve_with_callbacks`] on a thread of its own, so that a cancel reaches the caller even
/// while HiGHS is in a phase that does not poll: the caller waits for HiGHS (passing improving
/// objectives to `on_improving` on its own thread, and keeping a copy of the last improving
/// solution), except that `grace` after it sees the cancel flag set, or after `deadline`
/// (the whole solve's end, not a cap of this run), it stops waiting ([`Detached::Abandoned`],
/// with that copy).
pub(crate) fn solve_detachable<R: Send + 'static>(
    model: highs::Model,
    cancel: Arc<AtomicBool>,
    deadline: Option<Instant>,
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
                steer: None,
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
                let stopped_at = if cancel.load(Ordering::Relaxed) {
                    Some(*cancelled_at.get_or_insert_with(Instant::now))
                } else {
                    deadline.filter(|d| Instant::now() >= *d)
                };
                if stopped_at.is_some_and(|t| t.elapsed() >= grace) {
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

/// What a steered solve ([`spawn_steered`]) sends its caller.
pub(crate) enum SteerEvent<R> {
    /// An improving solution's column values (as HiGHS gives them: integers not snapped).
    Improving(Vec<f64>),
    /// The solve ended: what `read` made of the solved model (the model is dropped).
    Done(Result<R, highs::HighsStatus>),
}

/// Solve `model` on a thread of its own, steered by `steer` ([`Steer`]: pause, resume, hand
/// in solutions, finish), stopped by `cancel`; its improving solutions and its end come
/// through the returned channel. `None` when the thread cannot be started. The caller need
/// not wait for the end: [`Steer::finish`] ends it at HiGHS's next interrupt callback, and the
/// thread frees the model.
pub(crate) fn spawn_steered<R: Send + 'static>(
    model: highs::Model,
    cancel: Arc<AtomicBool>,
    steer: Arc<Steer>,
    read: impl FnOnce(&highs::SolvedModel) -> R + Send + 'static,
) -> Option<mpsc::Receiver<SteerEvent<R>>> {
    let (tx, rx) = mpsc::channel::<SteerEvent<R>>();
    let moved = Moved(model);
    std::thread::Builder::new()
        .name("quotient-highs-steered".into())
        .spawn(move || {
            let moved = moved;
            if let Ok(mut s) = steer.started.lock() {
                *s = Some(Instant::now());
            }
            let improving = tx.clone();
            let report = move |_: f64, x: &[f64]| {
                let _ = improving.send(SteerEvent::Improving(x.to_vec()));
            };
            let state = CallbackState {
                cancel: &cancel,
                soft_deadline: None,
                on_improving: Some(&report),
                steer: Some(&steer),
            };
            let out = solve_with_callbacks(moved.0, &state).map(|solved| read(&solved));
            steer.note_times();
            steer.ended.store(true, Ordering::Relaxed);
            let _ = tx.send(SteerEvent::Done(out));
        })
        .ok()?;
    Some(rx)
}
