//! The shared text-reading skeleton every reader uses: decoding (gzip, UTF-8), line and token
//! streams that remember line numbers, `KEY : value` headers and checked number parsing.

use crate::error::{Format, ParseError};
use std::io::Read;
use std::str::FromStr;

/// Largest decoded input quotient accepts (guards against gzip bombs).
pub const MAX_TEXT_BYTES: u64 = 1 << 30;

/// Decode raw bytes: gunzip when they start with the gzip magic, then require UTF-8.
pub fn decode(bytes: &[u8], format: Format) -> Result<String, ParseError> {
    let raw: Vec<u8> = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_TEXT_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| ParseError::malformed(format, 0, format!("gzip: {e}")))?;
        if out.len() as u64 > MAX_TEXT_BYTES {
            return Err(ParseError::out_of_range(
                format,
                0,
                "decompressed size",
                out.len(),
                format!("at most {MAX_TEXT_BYTES} bytes"),
            ));
        }
        out
    } else {
        bytes.to_vec()
    };
    String::from_utf8(raw).map_err(|e| {
        let upto = e.utf8_error().valid_up_to();
        let line = bytes_line(e.as_bytes(), upto);
        ParseError::malformed(format, line, "input is not valid UTF-8")
    })
}

fn bytes_line(bytes: &[u8], upto: usize) -> usize {
    1 + bytes[..upto.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Lines with their 1-based numbers, `\r` stripped.
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
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

/// A whitespace-separated token stream over a text that remembers each token's line.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    lines: std::iter::Peekable<std::vec::IntoIter<(usize, &'a str)>>,
    current: Option<(usize, std::str::SplitWhitespace<'a>)>,
    last_line: usize,
    format: Format,
}

impl<'a> Tokens<'a> {
    /// Tokens of the given `(line number, line)` pairs.
    pub fn new(lines: Vec<(usize, &'a str)>, format: Format) -> Self {
        Tokens {
            lines: lines.into_iter().peekable(),
            current: None,
            last_line: 0,
            format,
        }
    }

    /// Tokens of a whole text.
    pub fn of_text(text: &'a str, format: Format) -> Self {
        Self::new(numbered_lines(text).collect(), format)
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

    /// The line of the most recently returned token (0 before the first).
    pub fn line(&self) -> usize {
        self.last_line
    }
}
