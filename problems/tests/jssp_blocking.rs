//! The blocking job-shop variants at the format boundary: the `# variant:` line, the JSON
//! `variant` field, writers that round-trip them, and the checker on a benchmark instance.
#![allow(clippy::unwrap_used)]

use quotient_problems::any::{self, AnyInstance, InputFormat};
use quotient_problems::jssp::read::{read_jssp, read_orlib, read_taillard};
use quotient_problems::jssp::write::{write_orlib, write_taillard};
use quotient_problems::jssp::{JsspSolution, JsspVariant, check};
use std::path::Path;

const FT: &str = "2 2\n0 2 1 2\n1 2 0 2\n";

#[test]
fn standard_files_read_as_the_classic_job_shop() {
    let inst = read_jssp(FT, "x").unwrap();
    assert_eq!(inst.variant, JsspVariant::Classic);
    // The writers leave classic output exactly as before.
    assert_eq!(write_orlib(&inst), FT);
    assert!(!write_taillard(&inst).contains("variant"));
}

#[test]
fn the_variant_line_is_read_in_every_spelling_and_written_back() {
    for (line, want) in [
        ("# variant: blocking", JsspVariant::Blocking),
        ("#variant=swap", JsspVariant::Swap),
        ("variant iswap", JsspVariant::InterruptingSwap),
        ("# VARIANT: BJSSP", JsspVariant::Blocking),
        ("# variant: isbjssp", JsspVariant::InterruptingSwap),
        ("# variant: classic", JsspVariant::Classic),
    ] {
        let text = format!("{line}\n{FT}");
        let inst = read_jssp(&text, "x").unwrap();
        assert_eq!(inst.variant, want, "{line}");
        assert_eq!(read_orlib(&text, "x").unwrap().variant, want);
        for written in [write_orlib(&inst), write_taillard(&inst)] {
            let back = read_jssp(&written, "x").unwrap();
            assert_eq!(back, inst, "{written}");
        }
        let taillard = write_taillard(&inst);
        assert_eq!(read_taillard(&taillard, "x").unwrap().variant, want);
    }
    // A description line that merely starts with the word is not a variant statement.
    let text = format!("variant of the Fisher-Thompson instance\n{FT}");
    assert_eq!(read_jssp(&text, "x").unwrap().variant, JsspVariant::Classic);
    // Only the preamble counts: a comment after the header does not change the variant.
    let after = format!("{FT}# variant: swap\n");
    assert_eq!(
        read_jssp(&after, "x").unwrap().variant,
        JsspVariant::Classic
    );
}

#[test]
fn an_unknown_variant_is_a_parse_error_with_its_line() {
    let e = read_jssp(&format!("# a comment\n# variant: buffered\n{FT}"), "x").unwrap_err();
    assert_eq!(e.code(), "parse.unexpected_token");
    assert!(e.to_string().contains("buffered"), "{e}");
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn json_carries_the_variant_and_old_json_still_reads() {
    let mut inst = read_jssp(FT, "x").unwrap();
    let classic = serde_json::to_string(&AnyInstance::Jssp(inst.clone())).unwrap();
    assert!(!classic.contains("variant"), "{classic}");
    let back = any::read_json_instance(&classic, None).unwrap();
    assert_eq!(back, AnyInstance::Jssp(inst.clone()));
    for v in JsspVariant::ALL {
        inst.variant = v;
        let json = serde_json::to_string(&AnyInstance::Jssp(inst.clone())).unwrap();
        let back = any::read_json_instance(&json, None).unwrap();
        assert_eq!(back, AnyInstance::Jssp(inst.clone()), "{json}");
        assert_eq!(v.as_str().parse::<JsspVariant>().unwrap(), v);
    }
    let aliased = r#"{"family":"jssp","name":"a","machines":1,"jobs":[[{"machine":0,"duration":3}]],"variant":"sbjssp"}"#;
    match any::read_json_instance(aliased, None).unwrap() {
        AnyInstance::Jssp(i) => assert_eq!(i.variant, JsspVariant::Swap),
        other => panic!("{other:?}"),
    }
    let bad = aliased.replace("sbjssp", "buffered");
    assert!(any::read_json_instance(&bad, None).is_err());
}

#[test]
fn set_variant_applies_to_job_shops_only() {
    let mut j = any::read_instance_text(FT, InputFormat::Jssp, "x").unwrap();
    j.set_jssp_variant(JsspVariant::Swap).unwrap();
    match &j {
        AnyInstance::Jssp(i) => assert_eq!(i.variant, JsspVariant::Swap),
        other => panic!("{other:?}"),
    }
    let tsp = "NAME: t\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\nEOF\n";
    let mut t = any::read_instance_text(tsp, InputFormat::Tsplib, "t").unwrap();
    let e = t.set_jssp_variant(JsspVariant::Blocking).unwrap_err();
    assert!(e.contains("job-shop"), "{e}");
}

#[test]
fn a_sequential_schedule_of_a_benchmark_passes_every_variant_and_a_held_machine_only_classic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/jssp/la01.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: ../shared/bench/jssp/la01.txt not found");
        return;
    };
    let mut inst = read_jssp(&text, "la01").unwrap();
    // One job after another: nothing ever waits, in any variant.
    let mut t = 0;
    let mut start = Vec::new();
    for job in &inst.jobs {
        let mut row = Vec::new();
        for op in job {
            row.push(t);
            t += op.duration;
        }
        start.push(row);
    }
    let seq = JsspSolution { start };
    for v in JsspVariant::ALL {
        inst.variant = v;
        let r = check(&inst, &seq);
        assert!(r.is_feasible(), "{v}: {:?}", r.violations);
        assert_eq!(r.objective, t as f64);
    }
    // Job 0 waits on its first machine until every other job is done, then finishes: fine
    // with buffers, but it blocks that machine meanwhile, which the other jobs use.
    let mut held = seq.clone();
    let mut at = t;
    for (k, op) in inst.jobs[0].iter().enumerate().skip(1) {
        held.start[0][k] = at;
        at += op.duration;
    }
    inst.variant = JsspVariant::Classic;
    let r = check(&inst, &held);
    assert!(r.is_feasible(), "{:?}", r.violations);
    for v in [JsspVariant::Blocking, JsspVariant::Swap] {
        inst.variant = v;
        let r = check(&inst, &held);
        assert!(!r.is_feasible(), "{v}");
        assert!(
            r.violations.iter().all(|v| matches!(
                v,
                quotient_problems::jssp::JsspViolation::Blocked { holder: (0, 0), .. }
            )),
            "{v}: {:?}",
            r.violations
        );
    }
}
