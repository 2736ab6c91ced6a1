//! A job-shop Gantt chart: one row per machine, one colour per job, the critical path outlined,
//! the makespan and the lower bound drawn.

use crate::{PlotError, Style, Verdict, caption_font, colour, draw_err, num, svg_document, tick};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use quotient_problems::fjsp::{FjspInstance, FjspSolution};
use quotient_problems::jssp::{JsspInstance, JsspSolution, Operation, machine_sequences};

const MAKESPAN: RGBColor = RGBColor(214, 39, 40);
const BOUND: RGBColor = RGBColor(31, 119, 180);

/// A critical path of a schedule: a chain of operations from time 0 to the makespan in which
/// each starts when the one before it ends, on its job or on its machine (job predecessors
/// first). `(job, op)` in time order. A schedule with idle time before an operation of the
/// chain (not semi-active) yields the chain's tail from that operation on. Operations without a
/// start time are ignored; the solution is expected to have passed the structural checks.
pub fn critical_path(inst: &JsspInstance, sol: &JsspSolution) -> Vec<(usize, usize)> {
    let start = |j: usize, k: usize| sol.start.get(j).and_then(|s| s.get(k)).copied();
    let end = |j: usize, k: usize| Some(start(j, k)? + inst.jobs.get(j)?.get(k)?.duration);
    // Each operation's machine predecessor.
    let seqs = machine_sequences(inst, sol);
    let mut machine_pred = vec![Vec::new(); inst.jobs.len()];
    for (j, job) in inst.jobs.iter().enumerate() {
        machine_pred[j] = vec![None; job.len()];
    }
    for seq in &seqs {
        for w in seq.windows(2) {
            let (a, b) = (w[0], w[1]);
            if let Some(p) = machine_pred.get_mut(b.0).and_then(|v| v.get_mut(b.1)) {
                *p = Some(a);
            }
        }
    }
    let mut last: Option<((usize, usize), i64)> = None;
    for (j, job) in inst.jobs.iter().enumerate() {
        for k in 0..job.len() {
            if let Some(e) = end(j, k)
                && last.is_none_or(|(_, best)| e > best)
            {
                last = Some(((j, k), e));
            }
        }
    }
    let Some((mut at, _)) = last else {
        return Vec::new();
    };
    let mut path = vec![at];
    // Each step moves to an operation that ends no later than this one starts: at most one
    // visit per operation.
    for _ in 0..inst.jobs.iter().map(Vec::len).sum::<usize>() {
        let Some(s) = start(at.0, at.1) else { break };
        if s == 0 {
            break;
        }
        let job_pred = (at.1 > 0).then(|| (at.0, at.1 - 1));
        let mach_pred = machine_pred[at.0][at.1];
        let tight = |p: Option<(usize, usize)>| p.filter(|&(j, k)| end(j, k) == Some(s));
        match tight(job_pred).or_else(|| tight(mach_pred)) {
            Some(p) => {
                path.push(p);
                at = p;
            }
            None => break,
        }
    }
    path.reverse();
    path
}

pub(crate) fn svg(
    inst: &JsspInstance,
    sol: &JsspSolution,
    verdict: &Verdict,
    style: &Style,
) -> Result<String, PlotError> {
    gantt(inst, sol, verdict, style, inst.trivial_lower_bound())
}

/// The Gantt chart of a flexible job-shop schedule: the job shop of the chosen machines and
/// times, drawn with the flexible instance's lower bound (operations on an ineligible machine
/// are drawn with time 0; the caption counts the violation).
pub(crate) fn fjsp_svg(
    inst: &FjspInstance,
    sol: &FjspSolution,
    verdict: &Verdict,
    style: &Style,
) -> Result<String, PlotError> {
    let jobs = inst
        .jobs
        .iter()
        .zip(&sol.machine)
        .map(|(job, ms)| {
            job.iter()
                .zip(ms)
                .map(|(op, &machine)| Operation {
                    machine,
                    duration: op.duration_on(machine).unwrap_or(0),
                })
                .collect()
        })
        .collect();
    let fixed = JsspInstance {
        name: inst.name.clone(),
        machines: inst.machines,
        jobs,
        variant: Default::default(),
    };
    let start = JsspSolution {
        start: sol.start.clone(),
    };
    gantt(&fixed, &start, verdict, style, inst.trivial_lower_bound())
}

fn gantt(
    inst: &JsspInstance,
    sol: &JsspSolution,
    verdict: &Verdict,
    style: &Style,
    lower_bound: i64,
) -> Result<String, PlotError> {
    let m = inst.machines.max(1);
    let makespan = verdict.objective;
    let bound = (lower_bound as f64).max(style.bound.unwrap_or(f64::MIN));
    let xmax = makespan.max(bound).max(1.0) * 1.02;
    let row = (640 / m as u32).clamp(12, 28);
    let width = style.width;
    let height = m as u32 * row + 135;
    let caption = style.caption(|| {
        format!(
            "{} — makespan {} ({} jobs × {} machines){}",
            inst.name,
            num(makespan),
            inst.jobs.len(),
            inst.machines,
            verdict.suffix()
        )
    });
    let critical = critical_path(inst, sol);
    let mut on_path = vec![Vec::new(); inst.jobs.len()];
    for (j, job) in inst.jobs.iter().enumerate() {
        on_path[j] = vec![false; job.len()];
    }
    for &(j, k) in &critical {
        on_path[j][k] = true;
    }
    svg_document(width, height, |root| {
        let (top, bottom) = root.split_vertically(height - 28);
        let mut chart = ChartBuilder::on(&top)
            .caption(caption, caption_font())
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(45)
            .build_cartesian_2d(0.0..xmax, 0.0..m as f64)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .y_labels(0)
            .x_labels(10)
            .x_label_formatter(&tick)
            .x_desc("time")
            .draw()
            .map_err(draw_err)?;
        // Machine 0 on the top row.
        let row_of = |machine: usize| (m - 1 - machine.min(m - 1)) as f64;
        let label_font = ("sans-serif", 12).into_font();
        for machine in 0..inst.machines {
            let (px, py) = chart.backend_coord(&(0.0, row_of(machine) + 0.5));
            root.draw(&Text::new(
                format!("M{machine}"),
                (px - 6, py),
                label_font
                    .clone()
                    .into_text_style(root)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        let bar_font = ("sans-serif", (row as i32 - 4).clamp(8, 12)).into_font();
        for (j, job) in inst.jobs.iter().enumerate() {
            let c = colour::nth(j);
            for (k, op) in job.iter().enumerate() {
                let Some(&s) = sol.start.get(j).and_then(|v| v.get(k)) else {
                    continue;
                };
                let (s, e) = (s as f64, (s + op.duration) as f64);
                let y = row_of(op.machine);
                let corners = [(s, y + 0.12), (e, y + 0.88)];
                chart
                    .draw_series(std::iter::once(Rectangle::new(corners, c.filled())))
                    .map_err(draw_err)?;
                if on_path[j][k] {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            corners,
                            BLACK.stroke_width(2),
                        )))
                        .map_err(draw_err)?;
                }
                // The job's number, where the bar is wide enough for it.
                let label = j.to_string();
                let (x0, _) = chart.backend_coord(&(s, y));
                let (x1, yc) = chart.backend_coord(&(e, y + 0.5));
                if x1 - x0 >= 7 * label.len() as i32 + 4 {
                    root.draw(&Text::new(
                        label,
                        ((x0 + x1) / 2, yc),
                        bar_font
                            .clone()
                            .into_text_style(root)
                            .color(&WHITE)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))
                    .map_err(draw_err)?;
                }
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(makespan, 0.0), (makespan, m as f64)],
                MAKESPAN.stroke_width(2),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                vec![(bound, 0.0), (bound, m as f64)],
                6,
                4,
                BOUND.stroke_width(2),
            )))
            .map_err(draw_err)?;
        // The key, under the chart.
        let key = ("sans-serif", 13).into_font();
        let gap = if bound > 0.0 {
            format!(", gap {:.1} %", 100.0 * (makespan - bound) / bound)
        } else {
            String::new()
        };
        let items = [
            ("critical path (outlined)".to_string(), BLACK, (10, 26)),
            (format!("makespan {}", num(makespan)), MAKESPAN, (260, 26)),
            (format!("lower bound {}{gap}", num(bound)), BOUND, (470, 26)),
        ];
        for (text, c, (x, _)) in items {
            bottom
                .draw(&PathElement::new(
                    vec![(x, 10), (x + 20, 10)],
                    c.stroke_width(3),
                ))
                .map_err(draw_err)?;
            bottom
                .draw(&Text::new(
                    text,
                    (x + 26, 10),
                    key.clone()
                        .into_text_style(root)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::critical_path;
    use crate::testutil::{count, elements, is_svg, texts};
    use crate::{Style, solution_svg};
    use quotient_problems::any::{AnyInstance, AnySolution};
    use quotient_problems::jssp::{JsspInstance, JsspSolution, Operation};

    /// 2 jobs × 2 machines: J0 = M0(3) M1(2), J1 = M1(4) M0(1).
    fn inst() -> JsspInstance {
        let op = |machine, duration| Operation { machine, duration };
        JsspInstance {
            name: "tiny".into(),
            machines: 2,
            jobs: vec![vec![op(0, 3), op(1, 2)], vec![op(1, 4), op(0, 1)]],
            variant: Default::default(),
        }
    }

    #[test]
    fn the_critical_path_runs_from_zero_to_the_makespan_through_tight_predecessors() {
        // J0: 0-3 on M0, 4-6 on M1 (waits for J1 on M1); J1: 0-4 on M1, 4-5 on M0.
        let sol = JsspSolution {
            start: vec![vec![0, 4], vec![0, 4]],
        };
        // Makespan 6 ends J0's op 1, which starts at 4 when J1's op 0 ends on M1.
        assert_eq!(critical_path(&inst(), &sol), vec![(1, 0), (0, 1)]);
    }

    #[test]
    fn one_bar_per_operation_the_critical_ones_outlined_and_the_key() {
        let sol = JsspSolution {
            start: vec![vec![0, 4], vec![0, 4]],
        };
        let svg = solution_svg(
            &AnyInstance::Jssp(inst()),
            &AnySolution::Jssp(sol),
            &Style::default(),
        )
        .unwrap();
        assert!(is_svg(&svg));
        // Bars are filled with the job colours; outlines have no fill.
        assert_eq!(count(&svg, "fill=\"#1F77B4\""), 2, "job 0's bars");
        assert_eq!(count(&svg, "fill=\"#FF7F0E\""), 2, "job 1's bars");
        let outlined = elements(&svg, "rect", &["stroke=\"#000000\"", "fill=\"none\""]).len();
        assert_eq!(outlined, 2, "the critical path");
        let texts = texts(&svg);
        for want in [
            "tiny — makespan 6 (2 jobs × 2 machines)",
            "M0",
            "M1",
            "makespan 6",
            "lower bound 6, gap 0.0 %",
            "critical path (outlined)",
        ] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
    }

    #[test]
    fn a_solve_bound_above_the_trivial_one_is_drawn() {
        // J0's second operation waits one unit: makespan 7 against a trivial bound of 6.
        let sol = JsspSolution {
            start: vec![vec![0, 5], vec![0, 4]],
        };
        let style = Style {
            bound: Some(6.5),
            ..Style::default()
        };
        let svg =
            solution_svg(&AnyInstance::Jssp(inst()), &AnySolution::Jssp(sol), &style).unwrap();
        let texts = texts(&svg);
        assert!(
            texts.iter().any(|t| t == "lower bound 6.50, gap 7.7 %"),
            "{texts:?}"
        );
    }
}
