//! Training data of the TSP edge heatmap (release build):
//!
//!     cargo build --release --workspace --example tsp_heat_data
//!     target/release/examples/tsp_heat_data LABELS.jsonl OUT
//!
//! LABELS.jsonl: `quotient batch` output lines (`file`: the TSPLIB instance, relative to the
//! working directory or absolute; `solution.tour`: the labelled tour). For each instance the
//! model's graph is built by `quotient_neural::heatmap::heat_graph` (the features inference
//! uses) and every edge `i -> j` is labelled 1 when `{i, j}` is an edge of the tour.
//!
//! Output: little-endian records `u32 n, u32 e`, then `f32 node_x[n*2]`, `i32 src[e]`,
//! `i32 dst[e]`, `f32 edge_x[e*5]`, `u8 label[e]` (read by `neural/train/heat/data.py`). Prints a
//! summary line (instances, edges, tour edges inside the graph) on stderr.

use quotient_neural::heatmap::{GRAPH_K, heat_graph};
use quotient_problems::tsp::read_tsplib;
use std::collections::HashSet;
use std::io::{BufRead, Write};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 3 {
        return Err("usage: tsp_heat_data LABELS.jsonl OUT".into());
    }
    let labels = std::io::BufReader::new(std::fs::File::open(&a[1])?);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&a[2])?);
    let (mut instances, mut edges, mut covered, mut tour_edges) = (0u64, 0u64, 0u64, 0u64);
    for (no, line) in labels.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{} line {}: {e}", a[1], no + 1))?;
        let (Some(file), Some(tour)) = (
            v["file"].as_str(),
            v["solution"]["tour"].as_array().map(|t| {
                t.iter()
                    .filter_map(|x| x.as_u64().map(|x| x as usize))
                    .collect::<Vec<_>>()
            }),
        ) else {
            eprintln!("{} line {}: no file or tour, skipped", a[1], no + 1);
            continue;
        };
        let inst =
            read_tsplib(&std::fs::read_to_string(file)?).map_err(|e| format!("{file}: {e}"))?;
        if tour.len() != inst.n() {
            eprintln!(
                "{file}: tour of {} nodes for {}, skipped",
                tour.len(),
                inst.n()
            );
            continue;
        }
        let g = heat_graph(&inst, GRAPH_K)?;
        let in_tour: HashSet<(usize, usize)> = (0..tour.len())
            .map(|i| {
                let (x, y) = (tour[i], tour[(i + 1) % tour.len()]);
                (x.min(y), x.max(y))
            })
            .collect();
        let label: Vec<u8> = g
            .src
            .iter()
            .zip(&g.dst)
            .map(|(&x, &y)| {
                let (x, y) = (x as usize, y as usize);
                u8::from(in_tour.contains(&(x.min(y), x.max(y))))
            })
            .collect();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for (&x, &y) in g.src.iter().zip(&g.dst) {
            let (x, y) = (x as usize, y as usize);
            if in_tour.contains(&(x.min(y), x.max(y))) {
                seen.insert((x.min(y), x.max(y)));
            }
        }
        let mut buf = g.record_bytes();
        buf.extend(&label);
        out.write_all(&buf)?;
        instances += 1;
        edges += g.edges() as u64;
        covered += seen.len() as u64;
        tour_edges += in_tour.len() as u64;
    }
    out.flush()?;
    eprintln!(
        "{instances} instances, {edges} graph edges, {covered} of {tour_edges} tour edges in the graph ({:.3} %)",
        100.0 * covered as f64 / tour_edges.max(1) as f64
    );
    Ok(())
}
