//! The shared text-reading skeleton every reader uses: decoding (gzip, UTF-8), line and token
//! streams that remember line numbers, `KEY : value` headers and checked number parsing.

use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use std::borrow::Cow;
use std::io::Read;
use std::str::FromStr;

/// Decode raw bytes: gunzip when they start with the gzip magic, then require UTF-8; at most
/// [`ReadLimits::max_text_bytes`] (default) after decoding.
pub fn decode(bytes: &[u8], format: Format) -> Result<String, ParseError> {
    decode_with_limits(bytes, format, &ReadLimits::default()).map(Cow::into_owned)
}

/// [`decode`] under `limits`, borrowing `bytes` when they are plain UTF-8 (no copy of a large
/// input). Plain input above `max_text_bytes` is refused before it is scanned; gzip input is
/// inflated once without keeping anything to measure it, and refused if it passes the cap, so
/// a gzip bomb costs time but no memory.
pub fn decode_with_limits<'a>(
    bytes: &'a [u8],
    format: Format,
    limits: &ReadLimits,
) -> Result<Cow<'a, str>, ParseError> {
    let max = limits.max_text_bytes;
    let too_big = |size: String| {
        ParseError::out_of_range(
            format,
            0,
            "input size",
            size,
            format!("at most {max} bytes (read limit max_text_bytes)"),
        )
    };
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        if bytes.len() as u64 > max {
            return Err(too_big(format!("{} bytes", bytes.len())));
        }
        return std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| utf8_error(bytes, e.valid_up_to(), format));
    }
    let gzip_err = |e: std::io::Error| ParseError::malformed(format, 0, format!("gzip: {e}"));
    // First pass: inflate into nothing, to learn the size. A gzip bomb is refused without
    // holding any of it; only input within the cap is inflated again, into memory.
    let size = std::io::copy(
        &mut flate2::read::MultiGzDecoder::new(bytes).take(max.saturating_add(1)),
        &mut std::io::sink(),
    )
    .map_err(gzip_err)?;
    if size > max {
        return Err(too_big(format!("more than {max} bytes decompressed")));
    }
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(gzip_err)?;
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|e| utf8_error(e.as_bytes(), e.utf8_error().valid_up_to(), format))
}

fn utf8_error(bytes: &[u8], upto: usize, format: Format) -> ParseError {
    ParseError::malformed(format, bytes_line(bytes, upto), "input is not valid UTF-8")
}

fn bytes_line(bytes: &[u8], upto: usize) -> usize {
    1 + bytes[..upto.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Lines with their 1-based numbers, `\r` stripped.
pub fn numbered_lines(text: &str) -> NumberedLines<'_> {
    NumberedLines::new(text, 1)
}

/// The lines of a text with their numbers, produced lazily: nothing is stored per line, so a
/// text of many short lines costs no more memory than the text itself. Cloning is cheap (a
/// cursor), so readers can look ahead without collecting.
#[derive(Debug, Clone)]
pub struct NumberedLines<'a> {
    lines: std::str::Split<'a, char>,
    next: usize,
}

impl<'a> NumberedLines<'a> {
    /// The lines of `text`, the first numbered `first_line`.
    pub fn new(text: &'a str, first_line: usize) -> Self {
        NumberedLines {
            lines: text.split('\n'),
            next: first_line,
        }
    }
}

impl<'a> Iterator for NumberedLines<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let l = self.lines.next()?;
        let ln = self.next;
        self.next += 1;
        Some((ln, l.strip_suffix('\r').unwrap_or(l)))
    }
}

/// Byte offset of `part` inside `whole`, where `part` is a sub-slice of `whole` (as the line
/// iterators return them); `whole.len()` if it is not.
pub fn offset_in(whole: &str, part: &str) -> usize {
    let (w, p) = (whole.as_ptr() as usize, part.as_ptr() as usize);
    if p >= w && p + part.len() <= w + whole.len() {
        p - w
    } else {
        whole.len()
    }
}

/// Split a TSPLIB-style header line `KEY : value` / `KEY: value` / `KEY:value` into a trimmed
/// upper-case key and a trimmed value (surrounding quotes removed). `None` if there is no colon.
pub fn split_header(line: &str) -> Option<(String, &str)> {
    let (k, v) = line.split_once(':')?;
    let key = k.trim().to_ascii_uppercase();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(v);
    Some((key, v.trim()))
}

/// Parse a number token, naming `what` in the error; floats must be finite.
pub fn parse_num<T: ParseNum>(
    tok: &str,
    what: &str,
    line: usize,
    format: Format,
) -> Result<T, ParseError> {
    T::parse_tok(tok).ok_or_else(|| ParseError::invalid_number(format, line, what, tok))
}

/// Numbers the readers accept. Floats reject NaN and infinities; integers also accept an
/// integral float spelling such as `12.0` or `1e3` (some files write integers that way).
pub trait ParseNum: Sized {
    fn parse_tok(tok: &str) -> Option<Self>;
}

impl ParseNum for f64 {
    fn parse_tok(tok: &str) -> Option<Self> {
        let v = f64::from_str(tok).ok()?;
        v.is_finite().then_some(v)
    }
}

macro_rules! int_parse {
    ($($t:ty),*) => {$(
        impl ParseNum for $t {
            fn parse_tok(tok: &str) -> Option<Self> {
                if let Ok(v) = <$t>::from_str(tok.strip_prefix('+').unwrap_or(tok)) {
                    return Some(v);
                }
                let f = f64::from_str(tok).ok()?;
                if f.is_finite() && f.fract() == 0.0 && f >= <$t>::MIN as f64 && f <= <$t>::MAX as f64 {
                    Some(f as $t)
                } else {
                    None
                }
            }
        }
    )*};
}
int_parse!(i32, i64, u32, u64, usize);

/// Where a token stream's lines come from.
#[derive(Debug, Clone)]
enum LineSource<'a> {
    Listed(std::vec::IntoIter<(usize, &'a str)>),
    Text(NumberedLines<'a>),
}

impl<'a> Iterator for LineSource<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        match self {
            LineSource::Listed(it) => it.next(),
            LineSource::Text(it) => it.next(),
        }
    }
}

/// A whitespace-separated token stream over a text that remembers each token's line.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    lines: LineSource<'a>,
    current: Option<(usize, std::str::SplitWhitespace<'a>)>,
    last_line: usize,
    format: Format,
}

impl<'a> Tokens<'a> {
    /// Tokens of the given `(line number, line)` pairs.
    pub fn new(lines: Vec<(usize, &'a str)>, format: Format) -> Self {
        Tokens {
            lines: LineSource::Listed(lines.into_iter()),
            current: None,
            last_line: 0,
            format,
        }
    }

    /// Tokens of a whole text (lines read lazily).
    pub fn of_text(text: &'a str, format: Format) -> Self {
        Self::of_lines(numbered_lines(text), format)
    }

    /// Tokens of a run of lines (read lazily: no memory per line).
    pub fn of_lines(lines: NumberedLines<'a>, format: Format) -> Self {
        Tokens {
            lines: LineSource::Text(lines),
            current: None,
            last_line: 0,
            format,
        }
    }

    /// The next token and its line.
    pub fn next_token(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some((ln, it)) = self.current.as_mut()
                && let Some(t) = it.next()
            {
                self.last_line = *ln;
                return Some((*ln, t));
            }
            let (ln, l) = self.lines.next()?;
            self.current = Some((ln, l.split_whitespace()));
        }
    }

    /// The next token, or an end-of-input error naming what was expected.
    pub fn expect_token(&mut self, expected: &str) -> Result<(usize, &'a str), ParseError> {
        let fmt = self.format;
        let last = self.last_line;
        self.next_token()
            .ok_or_else(|| ParseError::eof(fmt, last.max(1), expected))
    }

    /// The next token parsed as a number.
    pub fn next_num<T: ParseNum>(&mut self, what: &str) -> Result<(usize, T), ParseError> {
        let (ln, tok) = self.expect_token(what)?;
        Ok((ln, parse_num(tok, what, ln, self.format)?))
    }

    /// How many tokens remain, counting at most `limit` (nothing is stored: a reader can learn
    /// whether a section holds all the values it declares before it allocates for them).
    pub fn count_up_to(&self, limit: usize) -> usize {
        let mut rest = self.clone();
        let mut k = 0;
        while k < limit && rest.next_token().is_some() {
            k += 1;
        }
        k
    }

    /// The line of the most recently returned token (0 before the first).
    pub fn line(&self) -> usize {
        self.last_line
    }
}
