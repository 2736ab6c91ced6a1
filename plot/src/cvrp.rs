//! CVRP routes: the depot, customers sized by demand, one colour per route, and a legend with
//! each route's load / capacity and length.

use crate::{
    PlotError, Style, Verdict, colour, draw_err, height_for, num, padded_box, plane_chart,
    svg_document,
};
use plotters::prelude::*;
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution};

/// Width of the legend panel, in pixels.
const LEGEND: u32 = 270;
/// Most routes listed one per line in the legend; the rest are summed up in one line.
const LEGEND_ROUTES: usize = 40;
/// Height of one legend line.
const LINE: i32 = 17;

/// One route's figures.
struct RouteFigures {
    load: i64,
    length: f64,
}

fn figures(inst: &CvrpInstance, route: &[usize]) -> RouteFigures {
    let load = route
        .iter()
        .filter_map(|&c| inst.demands.get(c))
        .sum::<i64>();
    let mut length = 0.0;
    let mut prev = 0;
    for &c in route.iter().chain(std::iter::once(&0)) {
        length += inst.dist(prev, c);
        prev = c;
    }
    RouteFigures { load, length }
}

pub(crate) fn svg(
    inst: &CvrpInstance,
    sol: &CvrpSolution,
    verdict: &Verdict,
    style: &Style,
) -> Result<String, PlotError> {
    // The display data when there is some, else the coordinates.
    let coords = inst.display.as_deref().or(inst.coords());
    let coords = coords.ok_or_else(|| PlotError::NoCoordinates {
        instance: inst.name.clone(),
    })?;
    let (xr, yr) = padded_box(coords);
    let width = style.width.max(LEGEND + 200);
    let plot_width = width - LEGEND;
    let listed = sol.routes.len().min(LEGEND_ROUTES);
    let legend_height = 60 + LINE as u32 * (listed as u32 + 2);
    let height = height_for(plot_width, &xr, &yr, 60).max(legend_height);
    let routes: Vec<&Vec<usize>> = sol.routes.iter().filter(|r| !r.is_empty()).collect();
    let caption = style.caption(|| {
        format!(
            "{} — {} routes, length {} ({} customers){}",
            inst.name,
            routes.len(),
            num(verdict.objective),
            inst.n().saturating_sub(1),
            verdict.suffix()
        )
    });
    let max_demand = inst
        .demands
        .iter()
        .skip(1)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let dots = inst.n() <= crate::MAX_DOTS;
    svg_document(width, height, |root| {
        let (left, right) = root.split_horizontally(plot_width);
        let mut chart = plane_chart(&left, caption, xr, yr)?;
        let at = |v: usize| coords.get(v).map(|p| (p[0], p[1]));
        for (k, route) in routes.iter().enumerate() {
            let c = colour::nth(k);
            let line: Vec<(f64, f64)> = std::iter::once(0)
                .chain(route.iter().copied())
                .chain(std::iter::once(0))
                .filter_map(at)
                .collect();
            chart
                .draw_series(std::iter::once(PathElement::new(line, c.stroke_width(2))))
                .map_err(draw_err)?;
            if dots {
                // Customers as discs whose area grows with the demand.
                chart
                    .draw_series(route.iter().filter_map(|&v| {
                        let d = inst.demands.get(v).copied().unwrap_or(0).max(0) as f64;
                        let r = 2.0 + 5.0 * (d / max_demand).sqrt();
                        at(v).map(|p| Circle::new(p, r.round() as i32, c.mix(0.85).filled()))
                    }))
                    .map_err(draw_err)?;
            }
        }
        // Customers no route visits (an infeasible solution), in black rings.
        let mut served = vec![false; inst.n()];
        for &v in routes.iter().copied().flatten() {
            if let Some(s) = served.get_mut(v) {
                *s = true;
            }
        }
        chart
            .draw_series(
                (1..inst.n())
                    .filter(|&v| !served[v])
                    .filter_map(at)
                    .map(|p| Circle::new(p, 5, BLACK.stroke_width(2))),
            )
            .map_err(draw_err)?;
        if let Some(p) = at(0) {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(p) + Rectangle::new([(-6, -6), (6, 6)], BLACK.filled()),
                ))
                .map_err(draw_err)?;
        }
        // The legend: one line per route (the first LEGEND_ROUTES), then the rest in one.
        let font = ("sans-serif", 13).into_font();
        let head = font.clone().style(FontStyle::Bold);
        right
            .draw(&Text::new(
                format!("capacity {}  ■ depot", inst.capacity),
                (8, 40),
                head,
            ))
            .map_err(draw_err)?;
        for (k, route) in routes.iter().take(LEGEND_ROUTES).enumerate() {
            let y = 40 + LINE * (k as i32 + 1);
            let f = figures(inst, route);
            let c = colour::nth(k);
            right
                .draw(&PathElement::new(
                    vec![(8, y + 6), (30, y + 6)],
                    c.stroke_width(3),
                ))
                .map_err(draw_err)?;
            right
                .draw(&Text::new(
                    format!(
                        "route {}: load {}/{}, length {}",
                        k + 1,
                        f.load,
                        inst.capacity,
                        num(f.length)
                    ),
                    (36, y),
                    font.clone(),
                ))
                .map_err(draw_err)?;
        }
        if routes.len() > LEGEND_ROUTES {
            let rest = &routes[LEGEND_ROUTES..];
            let (load, length) = rest.iter().fold((0, 0.0), |(l, d), r| {
                let f = figures(inst, r);
                (l + f.load, d + f.length)
            });
            right
                .draw(&Text::new(
                    format!(
                        "… {} more routes: load {load}, length {}",
                        rest.len(),
                        num(length)
                    ),
                    (8, 40 + LINE * (LEGEND_ROUTES as i32 + 1)),
                    font.clone(),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::testutil::{count, elements, is_svg, texts};
    use crate::{Style, solution_svg};
    use quotient_problems::any::{AnyInstance, AnySolution, InputFormat, read_instance_text};
    use quotient_problems::cvrp::CvrpSolution;

    fn small() -> AnyInstance {
        let text = "NAME: small\nTYPE: CVRP\nDIMENSION: 5\nEDGE_WEIGHT_TYPE: EUC_2D\nCAPACITY: 10\n\
                    NODE_COORD_SECTION\n1 0 0\n2 0 10\n3 10 10\n4 10 0\n5 -10 0\n\
                    DEMAND_SECTION\n1 0\n2 4\n3 5\n4 6\n5 2\nDEPOT_SECTION\n1\n-1\nEOF\n";
        read_instance_text(text, InputFormat::Cvrplib, "small").unwrap()
    }

    fn routes(r: &[&[usize]]) -> AnySolution {
        AnySolution::Cvrp(CvrpSolution {
            routes: r.iter().map(|r| r.to_vec()).collect(),
        })
    }

    #[test]
    fn one_line_per_route_discs_by_demand_a_depot_and_a_legend_line_per_route() {
        let svg =
            solution_svg(&small(), &routes(&[&[1, 2], &[3], &[4]]), &Style::default()).unwrap();
        assert!(is_svg(&svg));
        // Three routes (2 px) and three legend swatches (3 px), one colour each.
        assert_eq!(elements(&svg, "polyline", &["stroke-width=\"2\""]).len(), 3);
        for c in ["#1F77B4", "#FF7F0E", "#2CA02C"] {
            let stroke = format!("stroke=\"{c}\"");
            assert_eq!(elements(&svg, "polyline", &[&stroke]).len(), 2, "{c}");
        }
        assert_eq!(count(&svg, "<circle"), 4, "one disc per customer");
        let texts = texts(&svg);
        for want in [
            "route 1: load 9/10, length 34",
            "route 2: load 6/10, length 20",
            "route 3: load 2/10, length 20",
        ] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("small — 3 routes, length 74 (4 customers)")),
            "{texts:?}"
        );
        // Bigger demand, bigger disc.
        let radii: Vec<&str> = svg
            .split("<circle")
            .skip(1)
            .map(|c| {
                let r = c.split("r=\"").nth(1).unwrap();
                &r[..r.find('"').unwrap()]
            })
            .collect();
        assert_eq!(
            radii,
            ["6", "7", "7", "5"],
            "demands 4, 5, 6, 2 of 6 at most"
        );
    }

    #[test]
    fn an_unserved_customer_is_ringed_and_the_title_says_infeasible() {
        let svg = solution_svg(&small(), &routes(&[&[1, 2], &[3]]), &Style::default()).unwrap();
        assert!(texts(&svg).iter().any(|t| t.contains("INFEASIBLE")));
        assert_eq!(count(&svg, "<circle"), 3 + 1);
    }

    #[test]
    fn many_routes_are_summed_up_after_the_fortieth() {
        let inst = AnyInstance::Cvrp(quotient_problems::cvrp::uniform(100, 10, 3));
        let AnyInstance::Cvrp(c) = &inst else {
            unreachable!()
        };
        // One route per customer.
        let sol = AnySolution::Cvrp(CvrpSolution {
            routes: (1..c.n()).map(|v| vec![v]).collect(),
        });
        let svg = solution_svg(&inst, &sol, &Style::default()).unwrap();
        let texts = texts(&svg);
        assert_eq!(texts.iter().filter(|t| t.starts_with("route ")).count(), 40);
        let more = format!("… {} more routes: load", c.n() - 1 - 40);
        assert!(texts.iter().any(|t| t.starts_with(&more)), "{texts:?}");
    }
}
