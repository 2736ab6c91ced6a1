//! The start schedules of `jssp.tabu`: every dispatching rule (Giffler–Thompson active
//! schedules turned into machine sequences), the insertion heuristic (longest operation first)
//! and the caller's extra starts, best first; and the warm start.

use super::search::Sequences;
use crate::engine::Budget;
use crate::jssp::dispatch::{ALL_RULES, schedule_until};
use crate::jssp::graph::{Problem, Schedule};
use crate::jssp::insertion::{Order, construct_until};
use quotient_problems::jssp::{JsspInstance, JsspSolution};

/// Start schedules (machine sequences), best first, duplicates dropped: every dispatching
/// rule, the insertion heuristic (unless the budget is already spent) and `extra` (those whose
/// shape does not fit are ignored).
pub(super) fn start_schedules(
    inst: &JsspInstance,
    p: &Problem,
    budget: &Budget,
    extra: &[JsspSolution],
) -> Vec<Vec<Vec<u32>>> {
    let mut starts: Vec<(i64, u64, Vec<Vec<u32>>)> = Vec::new();
    // A stop (cancel or deadline) abandons the construction in flight once one start exists.
    for rule in ALL_RULES {
        let first = starts.is_empty();
        let stop = || !first && budget.is_exhausted();
        let Some((sol, _)) = schedule_until(inst, rule, &stop) else {
            break;
        };
        let Some(seq) = p.seqs_from_starts(&sol) else {
            continue;
        };
        if let Some(s) = Schedule::from_seqs(p, seq)
            && !starts.iter().any(|x| x.1 == s.hash)
        {
            starts.push((s.cmax, s.hash, s.seq));
        }
    }
    // The insertion heuristic, longest operation first (the job-wise order is rarely better
    // and costs as much: about 0.5 s on 100x20).
    let stop = || !starts.is_empty() && budget.is_exhausted();
    if !stop()
        && let Some((seq, _)) = construct_until(p, Order::LongestFirst, &stop)
        && let Some(s) = Schedule::from_seqs(p, seq)
        && !starts.iter().any(|x| x.1 == s.hash)
    {
        starts.push((s.cmax, s.hash, s.seq));
    }
    for extra in extra {
        if let Some(s) = p
            .seqs_from_starts(extra)
            .and_then(|seq| Schedule::from_seqs(p, seq))
            && !starts.iter().any(|x| x.1 == s.hash)
        {
            starts.push((s.cmax, s.hash, s.seq));
        }
    }
    starts.sort_by_key(|s| s.0);
    starts.into_iter().map(|s| s.2).collect()
}

/// The warm start as machine sequences, when its shape fits and it has no cycle.
pub(super) fn warm_start(p: &Problem, initial: Option<&JsspSolution>) -> Option<Sequences> {
    initial
        .and_then(|w| p.seqs_from_starts(w))
        .and_then(|seq| Schedule::from_seqs(p, seq))
        .map(|s| Sequences { seq: s.seq })
}
