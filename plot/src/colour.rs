//! Colours that stay apart: ten hand-picked ones, then hues spaced by the golden angle.

use plotters::style::{HSLColor, RGBColor};

const FIRST: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The `i`-th colour of a series (route, job).
pub fn nth(i: usize) -> RGBColor {
    if let Some(c) = FIRST.get(i) {
        return *c;
    }
    let h = (i as f64 * 0.618_033_988_75).fract();
    let l = if i.is_multiple_of(2) { 0.42 } else { 0.58 };
    let (r, g, b) = hsl_rgb(HSLColor(h, 0.65, l));
    RGBColor(r, g, b)
}

fn hsl_rgb(c: HSLColor) -> (u8, u8, u8) {
    use plotters::style::Color;
    let (r, g, b) = c.to_rgba().rgb();
    (r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_hundred_colours_are_distinct() {
        let mut seen: Vec<(u8, u8, u8)> = (0..100)
            .map(|i| {
                let c = nth(i);
                (c.0, c.1, c.2)
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 100);
    }
}
