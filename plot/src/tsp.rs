//! A TSP tour over the node coordinates.

use crate::{
    PlotError, Style, Verdict, draw_err, height_for, num, padded_box, plane_chart, svg_document,
};
use plotters::prelude::*;
use quotient_problems::tsp::{CoordMetric, TspInstance, TspSolution, Weights};

/// The tour's colour.
const TOUR: RGBColor = RGBColor(31, 119, 180);

/// Where to draw each node: the `DISPLAY_DATA` when the instance has it, else the coordinates of
/// its metric (GEO latitude / longitude as longitude across, latitude up, like a map).
pub(crate) fn positions(inst: &TspInstance) -> Option<std::borrow::Cow<'_, [[f64; 2]]>> {
    use std::borrow::Cow;
    if let Some(d) = &inst.display {
        return Some(Cow::Borrowed(d));
    }
    match &inst.weights {
        Weights::Coords {
            metric: CoordMetric::Geo,
            coords,
        } => Some(Cow::Owned(coords.iter().map(|p| [p[1], p[0]]).collect())),
        Weights::Coords { coords, .. } => Some(Cow::Borrowed(coords)),
        Weights::Matrix { .. } => None,
    }
}

pub(crate) fn svg(
    inst: &TspInstance,
    sol: &TspSolution,
    verdict: &Verdict,
    style: &Style,
) -> Result<String, PlotError> {
    let coords = positions(inst).ok_or_else(|| PlotError::NoCoordinates {
        instance: inst.name.clone(),
    })?;
    let coords = coords.as_ref();
    let (xr, yr) = padded_box(coords);
    let width = style.width;
    let height = height_for(width, &xr, &yr, 60);
    let caption = style.caption(|| {
        format!(
            "{} — tour length {} ({} nodes){}",
            inst.name,
            num(verdict.objective),
            inst.n(),
            verdict.suffix()
        )
    });
    svg_document(width, height, |root| {
        let mut chart = plane_chart(root, caption, xr, yr)?;
        // The closed tour, as one line.
        let tour: Vec<(f64, f64)> = sol
            .tour
            .iter()
            .chain(sol.tour.first())
            .filter_map(|&v| coords.get(v).map(|p| (p[0], p[1])))
            .collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                tour,
                TOUR.stroke_width(1),
            )))
            .map_err(draw_err)?;
        if inst.n() <= crate::MAX_DOTS {
            chart
                .draw_series(
                    coords
                        .iter()
                        .map(|p| Circle::new((p[0], p[1]), 2, BLACK.filled())),
                )
                .map_err(draw_err)?;
        }
        // Where the tour starts.
        if let Some(p) = sol.tour.first().and_then(|&v| coords.get(v)) {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((p[0], p[1]))
                        + Rectangle::new([(-4, -4), (4, 4)], RED.filled()),
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
    use crate::{PlotError, Style, solution_svg};
    use quotient_problems::any::{AnyInstance, AnySolution, InputFormat, read_instance_text};
    use quotient_problems::tsp::{TspSolution, generate};

    fn square() -> AnyInstance {
        let text = "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
                    NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
        read_instance_text(text, InputFormat::Tsplib, "square").unwrap()
    }

    fn tour(t: &[usize]) -> AnySolution {
        AnySolution::Tsp(TspSolution { tour: t.to_vec() })
    }

    #[test]
    fn a_tour_is_one_closed_line_with_a_dot_per_node_and_its_length_in_the_caption() {
        let svg = solution_svg(&square(), &tour(&[0, 1, 2, 3]), &Style::default()).unwrap();
        assert!(is_svg(&svg));
        let tour_lines = elements(&svg, "polyline", &["stroke=\"#1F77B4\""]);
        assert_eq!(tour_lines.len(), 1, "the tour is one line");
        // The line closes: 5 points.
        let points = tour_lines[0].split("points=\"").nth(1).unwrap();
        let points = &points[..points.find('"').unwrap()];
        assert_eq!(points.split_whitespace().count(), 5);
        assert_eq!(count(&svg, "<circle"), 4);
        let caption = texts(&svg)
            .into_iter()
            .find(|t| t.contains("square"))
            .unwrap();
        assert_eq!(caption, "square — tour length 40 (4 nodes)");
    }

    #[test]
    fn an_instance_without_coordinates_is_refused_not_drawn_empty() {
        let text = "NAME: m\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n\
                    EDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n1 0 3\n2 3 0\nEOF\n";
        let inst = read_instance_text(text, InputFormat::Tsplib, "m").unwrap();
        let err = solution_svg(&inst, &tour(&[0, 1, 2]), &Style::default()).unwrap_err();
        assert_eq!(err.code(), "plot.no_coordinates");
        assert!(
            err.to_string()
                .contains("neither node coordinates nor DISPLAY_DATA")
        );
    }

    #[test]
    fn display_data_places_the_nodes_of_an_explicit_instance() {
        let text = "NAME: d\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n\
                    EDGE_WEIGHT_FORMAT: FULL_MATRIX\nDISPLAY_DATA_TYPE: TWOD_DISPLAY\n\
                    EDGE_WEIGHT_SECTION\n0 1 2\n1 0 3\n2 3 0\n\
                    DISPLAY_DATA_SECTION\n1 0 0\n2 5 0\n3 0 5\nEOF\n";
        let inst = read_instance_text(text, InputFormat::Tsplib, "d").unwrap();
        let svg = solution_svg(&inst, &tour(&[0, 1, 2]), &Style::default()).unwrap();
        assert_eq!(count(&svg, "<circle"), 3);
        assert!(
            texts(&svg)
                .iter()
                .any(|t| t == "d — tour length 6 (3 nodes)")
        );
    }

    #[test]
    fn geo_nodes_are_placed_like_a_map_longitude_across() {
        let text = "NAME: g\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\n\
                    NODE_COORD_SECTION\n1 10.30 20.15\n2 11.00 21.00\nEOF\n";
        let AnyInstance::Tsp(inst) = read_instance_text(text, InputFormat::Tsplib, "g").unwrap()
        else {
            unreachable!()
        };
        let p = super::positions(&inst).unwrap();
        assert_eq!(p.as_ref(), &[[20.15, 10.30], [21.0, 11.0]]);
    }

    #[test]
    fn a_tour_that_does_not_fit_is_refused_and_an_infeasible_one_is_marked() {
        let err = solution_svg(&square(), &tour(&[0, 1, 9, 3]), &Style::default()).unwrap_err();
        assert!(matches!(err, PlotError::BadSolution { .. }), "{err:?}");
        let svg = solution_svg(&square(), &tour(&[0, 1, 2]), &Style::default());
        match svg {
            Ok(svg) => assert!(texts(&svg).iter().any(|t| t.contains("INFEASIBLE"))),
            Err(e) => assert!(matches!(e, PlotError::BadSolution { .. }), "{e:?}"),
        }
    }

    #[test]
    fn a_20000_node_tour_draws_fast_and_small() {
        let inst = AnyInstance::Tsp(generate::uniform(20_000, 7));
        let sol = tour(&(0..20_000).collect::<Vec<_>>());
        let t = std::time::Instant::now();
        let svg = solution_svg(&inst, &sol, &Style::default()).unwrap();
        let took = t.elapsed();
        assert_eq!(count(&svg, "<circle"), 0, "no dots above MAX_DOTS");
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
        // Debug builds are slow; the release figure is in BENCHMARKS.md.
        assert!(took.as_secs_f64() < 5.0, "{took:?}");
    }
}
