//! A solve's trace: the improvements an observer saw, and their picture (incumbent and bound
//! against seconds).

use crate::{PlotError, Style, caption_font, draw_err, num, svg_document, tick};
use plotters::prelude::*;
use quotient_problems::any::Family;
use serde::{Deserialize, Serialize};

const INCUMBENT: RGBColor = RGBColor(214, 39, 40);
const BOUND: RGBColor = RGBColor(31, 119, 180);

/// The improvements of one solve, as `quotient solve --trace FILE.json` writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    /// The instance's name.
    pub instance: String,
    pub family: Family,
    /// The solver that ran (`tsp.ils`, ...).
    pub solver: String,
    /// The new bests in the order they came.
    pub improvements: Vec<TracePoint>,
    /// How long the solve ran, in milliseconds (the last step is drawn to there).
    #[serde(default)]
    pub elapsed_ms: Option<u64>,
    /// The final objective, as the checker recomputed it.
    #[serde(default)]
    pub objective: Option<f64>,
    /// The final bound.
    #[serde(default)]
    pub bound: Option<f64>,
}

/// One new best: the fields of the REST service's `incumbent` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TracePoint {
    /// Milliseconds since the solve started.
    pub elapsed_ms: u64,
    /// The new best objective.
    pub objective: f64,
    /// The solver's bound at that moment, when it has one.
    #[serde(default)]
    pub bound: Option<f64>,
    /// The solver component that found it.
    #[serde(default)]
    pub source: String,
}

impl Trace {
    /// Read a trace from its JSON text.
    ///
    /// # Errors
    /// [`PlotError::BadTrace`] with the line and column of a JSON error, or the improvement
    /// whose numbers are not finite.
    pub fn from_json(text: &str) -> Result<Trace, PlotError> {
        let trace: Trace = serde_json::from_str(text).map_err(|e| PlotError::BadTrace {
            reason: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?;
        for (i, p) in trace.improvements.iter().enumerate() {
            if !p.objective.is_finite() || p.bound.is_some_and(|b| !b.is_finite()) {
                return Err(PlotError::BadTrace {
                    reason: format!("improvements[{i}]: objective and bound must be finite"),
                });
            }
        }
        Ok(trace)
    }
}

/// A step line through `(t, y)` points, held until `end`.
fn steps(points: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut line = Vec::with_capacity(points.len() * 2 + 1);
    for (i, &(t, y)) in points.iter().enumerate() {
        if i > 0 {
            line.push((t, points[i - 1].1));
        }
        line.push((t, y));
    }
    if let Some(&(t, y)) = points.last() {
        line.push((end.max(t), y));
    }
    line
}

pub(crate) fn svg(trace: &Trace, style: &Style) -> Result<String, PlotError> {
    let mut pts: Vec<&TracePoint> = trace.improvements.iter().collect();
    if pts.is_empty() {
        return Err(PlotError::EmptyTrace);
    }
    pts.sort_by_key(|p| p.elapsed_ms);
    let secs = |ms: u64| ms as f64 / 1000.0;
    let incumbent: Vec<(f64, f64)> = pts
        .iter()
        .map(|p| (secs(p.elapsed_ms), p.objective))
        .collect();
    let bound: Vec<(f64, f64)> = pts
        .iter()
        .filter_map(|p| p.bound.map(|b| (secs(p.elapsed_ms), b)))
        .collect();
    let last = pts.last().map_or(0, |p| p.elapsed_ms);
    let end = secs(trace.elapsed_ms.unwrap_or(last).max(last));
    let xmax = if end > 0.0 { end * 1.03 } else { 1.0 };
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for &(_, y) in incumbent.iter().chain(&bound) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.06
    } else {
        lo.abs().max(1.0) * 0.05
    };
    // Each improvement beats the ones before it: the last is the best.
    let (best_at, best) = incumbent.last().copied().unwrap_or((0.0, 0.0));
    let caption = style.caption(|| {
        format!(
            "{} — {}: {} improvements, best {} at {:.2} s",
            trace.instance,
            trace.solver,
            pts.len(),
            num(best),
            best_at
        )
    });
    let width = style.width;
    let height = (width * 9 / 16).max(240);
    svg_document(width, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, caption_font())
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..xmax, (lo - pad)..(hi + pad))
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("seconds")
            .y_desc("objective")
            .light_line_style(RGBColor(240, 240, 240))
            .max_light_lines(2)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                steps(&incumbent, end),
                INCUMBENT.stroke_width(2),
            )))
            .map_err(draw_err)?
            .label("incumbent")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], INCUMBENT.stroke_width(2))
            });
        if incumbent.len() <= crate::MAX_DOTS {
            chart
                .draw_series(
                    incumbent
                        .iter()
                        .map(|&p| Circle::new(p, 3, INCUMBENT.filled())),
                )
                .map_err(draw_err)?;
        }
        if !bound.is_empty() {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    steps(&bound, end),
                    BOUND.stroke_width(2),
                )))
                .map_err(draw_err)?
                .label("bound")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], BOUND.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.85))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(draw_err)?;
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testutil::{count, is_svg, texts};

    fn trace(bounds: bool) -> Trace {
        let p = |ms, objective, bound: Option<f64>| TracePoint {
            elapsed_ms: ms,
            objective,
            bound: bound.filter(|_| bounds),
            source: "ls".into(),
        };
        Trace {
            instance: "ft10".into(),
            family: Family::Jssp,
            solver: "jssp.tabu".into(),
            improvements: vec![
                p(10, 1200.0, Some(800.0)),
                p(400, 1000.0, Some(850.0)),
                p(2500, 930.0, Some(900.0)),
            ],
            elapsed_ms: Some(5000),
            objective: Some(930.0),
            bound: Some(900.0),
        }
    }

    #[test]
    fn steps_hold_each_value_until_the_next_and_to_the_end() {
        let s = steps(&[(0.0, 5.0), (1.0, 3.0)], 4.0);
        assert_eq!(s, vec![(0.0, 5.0), (1.0, 5.0), (1.0, 3.0), (4.0, 3.0)]);
    }

    #[test]
    fn the_trace_is_a_step_line_with_a_dot_per_improvement_and_the_bound_when_known() {
        let svg = svg(&trace(true), &Style::default()).unwrap();
        assert!(is_svg(&svg));
        assert_eq!(count(&svg, "<circle"), 3);
        let texts = texts(&svg);
        assert!(texts.iter().any(|t| t == "incumbent"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "bound"), "{texts:?}");
        assert!(
            texts
                .iter()
                .any(|t| t == "ft10 — jssp.tabu: 3 improvements, best 930 at 2.50 s"),
            "{texts:?}"
        );
        let without = super::svg(&trace(false), &Style::default()).unwrap();
        assert!(!texts_has(&without, "bound"));
    }

    fn texts_has(svg: &str, t: &str) -> bool {
        texts(svg).iter().any(|x| x == t)
    }

    #[test]
    fn an_empty_trace_is_refused_and_a_malformed_one_names_its_line() {
        let mut t = trace(true);
        t.improvements.clear();
        assert_eq!(svg(&t, &Style::default()), Err(PlotError::EmptyTrace));
        let err = Trace::from_json("{\n \"instance\": 3\n}").unwrap_err();
        assert_eq!(err.code(), "plot.bad_trace");
        assert!(err.to_string().contains("line 2"), "{err}");
        let back = Trace::from_json(&serde_json::to_string(&trace(true)).unwrap()).unwrap();
        assert_eq!(back, trace(true));
    }
}
