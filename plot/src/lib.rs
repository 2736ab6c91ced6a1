//! quotient-plot: pictures of answers, as SVG drawn with `plotters`.
//!
//! - a TSP tour over the node coordinates (or the instance's `DISPLAY_DATA`);
//! - CVRP routes: the depot, customers sized by demand, one colour per route and a legend with
//!   each route's load / capacity and length;
//! - a job-shop Gantt chart (flexible job shop: of the chosen machines): one row per machine, one colour per job, the critical path
//!   outlined, the makespan and the lower bound drawn;
//! - for any family, a solve's trace: the incumbent (and the bound, when the solver has one)
//!   against seconds.
//!
//! Every picture is checked first: a solution that does not fit its instance (a node out of
//! range, a missing operation) is refused with the checker's words; a solution that fits but
//! breaks a constraint is drawn, with the violations counted in the title. Big instances stay
//! usable: above [`MAX_DOTS`] nodes the tour or routes are drawn without a dot per node, and
//! plotters writes integer pixel coordinates, so a 20 000-node tour is a few hundred kB.

mod colour;
mod cvrp;
mod jssp;
mod trace;
mod tsp;

pub use jssp::critical_path;
pub use trace::{Trace, TracePoint};

use plotters::coord::Shift;
use plotters::prelude::*;
use quotient_problems::any::{self, AnyInstance, AnySolution, Family};
use quotient_problems::check::Violation;

/// Most nodes drawn with a dot of their own; above this, the lines alone show them.
pub const MAX_DOTS: usize = 2_000;

/// Default picture width in pixels.
pub const DEFAULT_WIDTH: u32 = 1000;

/// Narrowest and widest pictures accepted (`--width`, `?width=`).
pub const WIDTH_RANGE: std::ops::RangeInclusive<u32> = 200..=8000;

/// Why a picture could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlotError {
    /// A TSP or CVRP instance with nothing to place its nodes by.
    #[error(
        "instance `{instance}` has neither node coordinates nor DISPLAY_DATA: there is nothing to place the nodes by"
    )]
    NoCoordinates { instance: String },
    /// MILP: no picture of a solution.
    #[error("a {family} solution has no picture (plot the solve's trace instead)")]
    NotDrawable { family: Family },
    /// The checker found a structural violation (wrong family, index out of range, ...).
    #[error("the solution does not fit the instance: {reason}")]
    BadSolution { reason: String },
    /// A trace without any improvement.
    #[error("the trace holds no improvement: there is nothing to draw")]
    EmptyTrace,
    /// A trace file that is not valid JSON of the trace's shape.
    #[error("not a trace: {reason}")]
    BadTrace { reason: String },
    /// A picture option out of range (`width`).
    #[error("invalid picture option {option}: {reason}")]
    InvalidOption {
        option: &'static str,
        reason: String,
    },
    /// plotters failed (a bug).
    #[error("drawing failed: {0}")]
    Draw(String),
}

impl PlotError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PlotError::NoCoordinates { .. } => "plot.no_coordinates",
            PlotError::NotDrawable { .. } => "plot.not_drawable",
            PlotError::BadSolution { .. } => "plot.bad_solution",
            PlotError::EmptyTrace => "plot.empty_trace",
            PlotError::BadTrace { .. } => "plot.bad_trace",
            PlotError::InvalidOption { .. } => "plot.invalid_option",
            PlotError::Draw(_) => "plot.draw_failed",
        }
    }
}

/// How to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// The caption; `None`: the instance name and the objective.
    pub title: Option<String>,
    /// Width in pixels (the height follows the content).
    pub width: u32,
    /// A proven bound from the solve (JSSP: drawn as the lower bound when it beats the
    /// instance's trivial one).
    pub bound: Option<f64>,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            title: None,
            width: DEFAULT_WIDTH,
            bound: None,
        }
    }
}

impl Style {
    /// A style with `width` checked against [`WIDTH_RANGE`].
    pub fn new(title: Option<String>, width: Option<u32>) -> Result<Style, PlotError> {
        let width = width.unwrap_or(DEFAULT_WIDTH);
        if !WIDTH_RANGE.contains(&width) {
            return Err(PlotError::InvalidOption {
                option: "width",
                reason: format!(
                    "{width} is outside {}..={} pixels",
                    WIDTH_RANGE.start(),
                    WIDTH_RANGE.end()
                ),
            });
        }
        Ok(Style {
            title,
            width,
            bound: None,
        })
    }

    fn caption(&self, default: impl FnOnce() -> String) -> String {
        self.title.clone().unwrap_or_else(default)
    }
}

/// Whether [`solution_svg`] can draw a solution of `inst` (to refuse before a solve, not after).
///
/// # Errors
/// [`PlotError::NotDrawable`] for MILP, [`PlotError::NoCoordinates`] for a TSP or CVRP
/// instance without coordinates or display data.
pub fn can_draw(inst: &AnyInstance) -> Result<(), PlotError> {
    let no_coords = || PlotError::NoCoordinates {
        instance: inst.name().to_string(),
    };
    match inst {
        AnyInstance::Tsp(i) => tsp::positions(i).map(|_| ()).ok_or_else(no_coords),
        AnyInstance::Cvrp(i) => i.coords().map(|_| ()).ok_or_else(no_coords),
        AnyInstance::Jssp(_) | AnyInstance::Fjsp(_) => Ok(()),
        AnyInstance::Milp(_) => Err(PlotError::NotDrawable {
            family: inst.family(),
        }),
    }
}

/// The picture of `sol` for `inst`, as SVG text.
///
/// # Errors
/// [`PlotError::NotDrawable`] for MILP; [`PlotError::NoCoordinates`] for a TSP or CVRP
/// instance without coordinates or display data; [`PlotError::BadSolution`] when the checker
/// finds that the solution does not fit the instance (wrong family, nodes out of range, ...).
pub fn solution_svg(
    inst: &AnyInstance,
    sol: &AnySolution,
    style: &Style,
) -> Result<String, PlotError> {
    can_draw(inst)?;
    if any::solution_family(sol) != inst.family() {
        return Err(PlotError::BadSolution {
            reason: format!(
                "a {} solution for a {} instance",
                any::solution_family(sol),
                inst.family()
            ),
        });
    }
    let report = any::check(inst, sol);
    if let Some(v) = report.typed.iter().find(|v| v.is_structural()) {
        return Err(PlotError::BadSolution {
            reason: v.to_string(),
        });
    }
    let verdict = Verdict {
        objective: report.objective,
        violations: report.typed.len(),
    };
    match (inst, sol) {
        (AnyInstance::Tsp(i), AnySolution::Tsp(s)) => tsp::svg(i, s, &verdict, style),
        (AnyInstance::Cvrp(i), AnySolution::Cvrp(s)) => cvrp::svg(i, s, &verdict, style),
        (AnyInstance::Jssp(i), AnySolution::Jssp(s)) => jssp::svg(i, s, &verdict, style),
        (AnyInstance::Fjsp(i), AnySolution::Fjsp(s)) => jssp::fjsp_svg(i, s, &verdict, style),
        _ => Err(PlotError::NotDrawable {
            family: inst.family(),
        }),
    }
}

/// The picture of a solve's trace (incumbent and bound against seconds), as SVG text.
///
/// # Errors
/// [`PlotError::EmptyTrace`] when the trace has no improvement.
pub fn trace_svg(trace: &Trace, style: &Style) -> Result<String, PlotError> {
    trace::svg(trace, style)
}

/// What the checker said of the solution drawn.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    objective: f64,
    violations: usize,
}

impl Verdict {
    /// ` — INFEASIBLE (3 violations)` or nothing.
    fn suffix(&self) -> String {
        match self.violations {
            0 => String::new(),
            1 => " — INFEASIBLE (1 violation)".into(),
            n => format!(" — INFEASIBLE ({n} violations)"),
        }
    }
}

/// A number as people read it: integers without decimals, others with up to 2.
pub(crate) fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.2}")
    }
}

/// An axis tick: no decimals on whole numbers, at most two otherwise.
pub(crate) fn tick(v: &f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", *v as i64)
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Map a plotters error to ours.
pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Draw(format!("{e:?}"))
}

/// The bounding box of `points`, padded by 3 % on each side (and never empty), with the
/// height-to-width ratio of the data.
pub(crate) fn padded_box(points: &[[f64; 2]]) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in points {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if x0 > x1 {
        return (0.0..1.0, 0.0..1.0);
    }
    let pad = |lo: f64, hi: f64| {
        let span = hi - lo;
        let p = if span > 0.0 {
            span * 0.03
        } else {
            lo.abs().max(1.0) * 0.05
        };
        (lo - p)..(hi + p)
    };
    (pad(x0, x1), pad(y0, y1))
}

/// The plot height for a chart `width` wide whose data box is `xr` by `yr` (kept to the data's
/// aspect ratio within 0.4..=1.6 of the width), plus `extra` pixels for caption and axes.
pub(crate) fn height_for(
    width: u32,
    xr: &std::ops::Range<f64>,
    yr: &std::ops::Range<f64>,
    extra: u32,
) -> u32 {
    let ratio = ((yr.end - yr.start) / (xr.end - xr.start)).clamp(0.4, 1.6);
    (f64::from(width) * ratio) as u32 + extra
}

/// An SVG document `width` x `height` on white, drawn by `draw`.
pub(crate) fn svg_document(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), PlotError>,
) -> Result<String, PlotError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(out)
}

/// A chart of points in the plane (TSP nodes, CVRP customers) on `area`: `caption` above,
/// axes with six ticks, no grid.
pub(crate) fn plane_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    caption: String,
    xr: std::ops::Range<f64>,
    yr: std::ops::Range<f64>,
) -> Result<Plane<'a, 'b>, PlotError> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, caption_font())
        .margin(10)
        .x_label_area_size(25)
        .y_label_area_size(50)
        .build_cartesian_2d(xr, yr)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// The chart [`plane_chart`] makes.
pub(crate) type Plane<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The caption font.
pub(crate) fn caption_font() -> TextStyle<'static> {
    ("sans-serif", 20).into_font().into()
}

#[cfg(test)]
pub(crate) mod testutil {
    /// How many times `needle` occurs in `svg`.
    pub fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// The text contents of the `<text>` elements.
    pub fn texts(svg: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find("<text") {
            rest = &rest[i..];
            let (Some(open), Some(close)) = (rest.find('>'), rest.find("</text>")) else {
                break;
            };
            out.push(rest[open + 1..close].trim().to_string());
            rest = &rest[close..];
        }
        out
    }

    /// The elements `<tag` whose attributes contain every one of `attrs`.
    pub fn elements<'a>(svg: &'a str, tag: &str, attrs: &[&str]) -> Vec<&'a str> {
        let open = format!("<{tag} ");
        svg.split(open.as_str())
            .skip(1)
            .map(|e| &e[..e.find('>').unwrap_or(e.len())])
            .filter(|e| attrs.iter().all(|a| e.contains(a)))
            .collect()
    }

    /// Whether `svg` is well-formed at the top: one `<svg` root, closed.
    pub fn is_svg(svg: &str) -> bool {
        svg.trim_start().starts_with("<svg") && svg.trim_end().ends_with("</svg>")
    }
}
