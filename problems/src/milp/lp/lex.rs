//! The LP lexer: a line's tokens (names, numbers, operators, signs, colons, infinity words)
//! and the section keywords that start a line.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Le,
    Ge,
    Eq,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    Num(f64, &'a str),
    Ident(&'a str),
    Label(&'a str),
    Plus,
    Minus,
    Op(Cmp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SectionKind {
    Objective,
    Constraints,
    Bounds,
    Generals,
    Binaries,
}

pub(super) const KEYWORDS: &[&str] = &[
    "minimize",
    "minimise",
    "minimum",
    "min",
    "maximize",
    "maximise",
    "maximum",
    "max",
    "subject",
    "such",
    "st",
    "s.t.",
    "st.",
    "bounds",
    "bound",
    "general",
    "generals",
    "gen",
    "integer",
    "integers",
    "binary",
    "binaries",
    "bin",
    "semi-continuous",
    "semicontinuous",
    "semis",
    "semi",
    "sos",
    "sos1",
    "sos2",
    "end",
    "free",
    "inf",
    "infinity",
];

pub(super) fn is_name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '+' | '-' | '*' | '^' | '<' | '>' | '=' | ':' | '[' | ']' | '\\'
        )
}

pub(super) fn is_inf_word(s: &str) -> bool {
    s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("infinity")
}

pub(super) fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

pub(super) fn lex_line<'a>(
    s: &'a str,
    ln: usize,
    out: &mut Vec<(usize, Tok<'a>)>,
) -> Result<(), ParseError> {
    let mut i = 0usize;
    while let Some(c) = char_at(s, i) {
        let w = c.len_utf8();
        if c.is_whitespace() {
            i += w;
            continue;
        }
        match c {
            '+' => {
                out.push((ln, Tok::Plus));
                i += 1;
            }
            '-' => {
                out.push((ln, Tok::Minus));
                i += 1;
            }
            '<' | '>' | '=' => {
                i += 1;
                let next = char_at(s, i);
                let op = match (c, next) {
                    ('<', Some('=')) | ('=', Some('<')) => {
                        i += 1;
                        Cmp::Le
                    }
                    ('>', Some('=')) | ('=', Some('>')) => {
                        i += 1;
                        Cmp::Ge
                    }
                    ('<', _) => Cmp::Le,
                    ('>', _) => Cmp::Ge,
                    _ => Cmp::Eq,
                };
                out.push((ln, Tok::Op(op)));
            }
            '[' | ']' | '^' | '*' => {
                return Err(ParseError::unsupported(
                    F,
                    ln,
                    "quadratic or product term",
                    c.to_string(),
                ));
            }
            _ if is_name_char(c) => {
                let start = i;
                let mut j = i;
                while let Some(ch) = char_at(s, j) {
                    if !is_name_char(ch) {
                        break;
                    }
                    j += ch.len_utf8();
                }
                let run = s.get(start..j).unwrap_or("");
                let mut k = j;
                while let Some(ch) = char_at(s, k) {
                    if !ch.is_whitespace() {
                        break;
                    }
                    k += ch.len_utf8();
                }
                if char_at(s, k) == Some(':') {
                    out.push((ln, Tok::Label(run)));
                    i = k + 1;
                    continue;
                }
                if c.is_ascii_digit() || c == '.' {
                    let b = s.as_bytes();
                    let mut p = start;
                    while b.get(p).is_some_and(|x| x.is_ascii_digit()) {
                        p += 1;
                    }
                    if b.get(p) == Some(&b'.') {
                        p += 1;
                        while b.get(p).is_some_and(|x| x.is_ascii_digit()) {
                            p += 1;
                        }
                    }
                    if matches!(b.get(p), Some(b'e' | b'E')) {
                        let mut q = p + 1;
                        if matches!(b.get(q), Some(b'+' | b'-')) {
                            q += 1;
                        }
                        if b.get(q).is_some_and(|x| x.is_ascii_digit()) {
                            while b.get(q).is_some_and(|x| x.is_ascii_digit()) {
                                q += 1;
                            }
                            p = q;
                        }
                    }
                    let text = s.get(start..p).unwrap_or("");
                    let v: f64 = text
                        .parse()
                        .map_err(|_| ParseError::invalid_number(F, ln, "a number", run))?;
                    out.push((ln, Tok::Num(v, text)));
                    i = p;
                } else {
                    out.push((ln, Tok::Ident(run)));
                    i = j;
                }
            }
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    "a name, number or operator",
                    c.to_string(),
                ));
            }
        }
    }
    Ok(())
}

/// Recognise a section keyword at the start of a line: the section and the rest of the line.
pub(super) fn section_keyword(
    line: &str,
) -> Option<(Result<SectionKind, String>, Option<Sense>, &str)> {
    let t = line.trim_start();
    let end = t.find(char::is_whitespace).unwrap_or(t.len());
    let first = t.get(..end)?;
    let rest = t.get(end..).unwrap_or("");
    let lower = first.to_ascii_lowercase();
    let two = |second: &str| -> Option<&str> {
        let r = rest.trim_start();
        let e = r.find(char::is_whitespace).unwrap_or(r.len());
        let w = r.get(..e)?;
        w.eq_ignore_ascii_case(second)
            .then(|| r.get(e..).unwrap_or(""))
    };
    let obj = |s| Some((Ok(SectionKind::Objective), Some(s), rest));
    match lower.as_str() {
        "minimize" | "minimise" | "minimum" | "min" => obj(Sense::Minimize),
        "maximize" | "maximise" | "maximum" | "max" => obj(Sense::Maximize),
        "st" | "s.t." | "st." => Some((Ok(SectionKind::Constraints), None, rest)),
        "subject" => two("to").map(|r| (Ok(SectionKind::Constraints), None, r)),
        "such" => two("that").map(|r| (Ok(SectionKind::Constraints), None, r)),
        "bounds" | "bound" => Some((Ok(SectionKind::Bounds), None, rest)),
        "general" | "generals" | "gen" | "integer" | "integers" => {
            Some((Ok(SectionKind::Generals), None, rest))
        }
        "binary" | "binaries" | "bin" => Some((Ok(SectionKind::Binaries), None, rest)),
        "semi-continuous" | "semicontinuous" | "semis" | "semi" | "sos" | "sos1" | "sos2"
        | "end" => Some((Err(lower), None, rest)),
        _ => None,
    }
}

pub(super) fn tok_text(t: Tok<'_>) -> String {
    match t {
        Tok::Num(_, s) | Tok::Ident(s) => s.to_string(),
        Tok::Label(s) => format!("{s}:"),
        Tok::Plus => "+".into(),
        Tok::Minus => "-".into(),
        Tok::Op(Cmp::Le) => "<=".into(),
        Tok::Op(Cmp::Ge) => ">=".into(),
        Tok::Op(Cmp::Eq) => "=".into(),
    }
}
