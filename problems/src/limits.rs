//! Every cap the readers apply, in one place: [`ReadLimits`].
//!
//! Readers refuse a declared or counted size above its cap with `parse.out_of_range` (naming the
//! header or section and its line) before they allocate from it. The defaults are today's
//! values; a caller that wants other values builds a `ReadLimits` and calls a reader's
//! `_with_limits` variant (every reader without the suffix uses [`ReadLimits::default`]).
//! Front ends set fields by name from text ([`ReadLimits::set`], e.g. a `--limit NAME=VALUE`
//! flag) and list them with their documentation ([`ReadLimits::fields`]).
//!
//! Not configurable here: JSON nesting depth (serde_json refuses more than 128 levels), and the
//! numeric ranges that keep arithmetic exact (CVRP demands and capacity fit `i64`).

use thiserror::Error;

/// A field of [`ReadLimits`] as [`ReadLimits::fields`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitField {
    /// The name [`ReadLimits::set`] takes, e.g. `max_coord_nodes`.
    pub name: &'static str,
    /// The current value, as text.
    pub value: String,
    /// The default value, as text.
    pub default: String,
    /// What the limit caps (one sentence).
    pub doc: &'static str,
}

/// Why [`ReadLimits::set`] refused a setting.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LimitError {
    /// No field has this name.
    #[error("unknown read limit `{name}` (known: {known})")]
    UnknownLimit {
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// The value is not a whole number in the field's range.
    #[error("read limit `{name}`: `{value}` is not a whole number in {range}")]
    InvalidValue {
        /// The field.
        name: &'static str,
        /// The value given.
        value: String,
        /// The accepted range, as text.
        range: String,
    },
    /// The setting is not `NAME=VALUE` ([`ReadLimits::set_pair`]).
    #[error("read limit `{0}`: expected NAME=VALUE")]
    NotAPair(String),
}

impl LimitError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LimitError::UnknownLimit { .. } => "limits.unknown",
            LimitError::InvalidValue { .. } => "limits.invalid_value",
            LimitError::NotAPair(_) => "limits.not_a_pair",
        }
    }
}

macro_rules! read_limits {
    ($( $(#[doc = $doc:literal])+ $name:ident : $ty:ty = $default:expr, min $min:expr; )*) => {
        /// The caps every reader applies to sizes and values it reads (see the module
        /// documentation). `Default` gives the values the readers have always used.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct ReadLimits {
            $( $(#[doc = $doc])+ pub $name: $ty, )*
        }

        impl Default for ReadLimits {
            fn default() -> Self {
                ReadLimits::DEFAULT
            }
        }

        impl ReadLimits {
            /// The defaults, usable in constants (`ReadLimits::default()` returns this).
            pub const DEFAULT: ReadLimits = ReadLimits { $( $name: $default, )* };

            /// Names of all fields, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$( stringify!($name), )*];

            /// Every field: name, current value, default and documentation.
            pub fn fields(&self) -> Vec<LimitField> {
                let d = ReadLimits::default();
                vec![$( LimitField {
                    name: stringify!($name),
                    value: self.$name.to_string(),
                    default: d.$name.to_string(),
                    doc: concat!($($doc),+).trim_ascii(),
                }, )*]
            }

            /// Set the field `name` from its text `value` (a whole number, `_` separators and
            /// an integral float spelling such as `1e6` allowed). Errors name the field.
            pub fn set(&mut self, name: &str, value: &str) -> Result<(), LimitError> {
                match name.trim() {
                    $( stringify!($name) => {
                        self.$name = parse_value::<$ty>(stringify!($name), value, $min)?;
                        Ok(())
                    } )*
                    other => Err(LimitError::UnknownLimit {
                        name: other.to_string(),
                        known: Self::NAMES.join(", "),
                    }),
                }
            }
        }
    };
}

read_limits! {
    /// Largest input after decoding, in bytes (plain text, or what a gzip file inflates to:
    /// guards against gzip bombs).
    max_text_bytes: u64 = 1 << 30, min 1;
    /// Largest TSPLIB DIMENSION with coordinates (EUC_2D, ATT, GEO, ...); also JSON TSP
    /// instances with coordinates.
    max_coord_nodes: usize = 10_000_000, min 1;
    /// Largest absolute TSP coordinate (TSPLIB NODE_COORD_SECTION / DISPLAY_DATA_SECTION,
    /// JSON): keeps every TSPLIB distance, and a tour of `max_coord_nodes` of them, inside i64
    /// (the ATT distance of a coordinate near 1e112 overflowed).
    max_abs_coord: i64 = 100_000_000_000, min 1;
    /// Largest TSPLIB DIMENSION with EXPLICIT weights: the full n x n matrix of 8-byte weights
    /// is stored (25,000 nodes: 5 GB).
    max_explicit_nodes: usize = 25_000, min 1;
    /// Largest absolute TSPLIB explicit edge weight (keeps tour sums far from i64 overflow).
    max_abs_weight: i64 = 1_000_000_000_000, min 1;
    /// Largest CVRPLIB DIMENSION (depot included) with coordinates.
    max_cvrp_nodes: usize = 1_000_000, min 1;
    /// Largest CVRPLIB DIMENSION with EXPLICIT weights (the full matrix of 8-byte costs is
    /// stored).
    max_cvrp_explicit_nodes: usize = 25_000, min 1;
    /// Most jobs of a job shop (OR-Library / Taillard header, JSON).
    max_jobs: usize = 1_000_000, min 1;
    /// Most machines of a job shop (solvers and writers allocate per machine, so a JSON
    /// instance cannot claim more than this without data).
    max_machines: usize = 1_000_000, min 1;
    /// Most operations of a job shop (jobs x machines in the text formats).
    max_operations: usize = 10_000_000, min 1;
    /// Largest job-shop operation duration (keeps every sum of durations far from i64
    /// overflow).
    max_duration: i64 = 1_000_000_000, min 0;
    /// Most constraint rows of a MILP model (MPS ROWS, LP constraints).
    max_rows: usize = 50_000_000, min 1;
    /// Most variables of a MILP model (MPS columns, LP variables).
    max_vars: usize = 50_000_000, min 1;
    /// Most nonzero matrix coefficients of a MILP model (MPS COLUMNS entries, LP terms).
    max_nonzeros: usize = 500_000_000, min 1;
}

/// Whole numbers a limit can hold.
trait LimitValue: Sized + Copy + std::fmt::Display {
    fn from_i128(v: i128) -> Option<Self>;
    fn to_i128(self) -> i128;
    fn max_value() -> Self;
}

macro_rules! limit_value {
    ($($t:ty),*) => {$(
        impl LimitValue for $t {
            fn from_i128(v: i128) -> Option<Self> {
                <$t>::try_from(v).ok()
            }
            fn to_i128(self) -> i128 {
                self as i128
            }
            fn max_value() -> Self {
                <$t>::MAX
            }
        }
    )*};
}
limit_value!(u64, usize, i64);

fn parse_value<T: LimitValue>(name: &'static str, value: &str, min: T) -> Result<T, LimitError> {
    let err = || LimitError::InvalidValue {
        name,
        value: value.to_string(),
        range: format!("{min}..={}", T::max_value()),
    };
    let text: String = value.trim().chars().filter(|&c| c != '_').collect();
    let v: i128 = match text.parse::<i128>() {
        Ok(v) => v,
        Err(_) => {
            let f: f64 = text.parse().map_err(|_| err())?;
            if !f.is_finite() || f.fract() != 0.0 || f.abs() > 1e36 {
                return Err(err());
            }
            f as i128
        }
    };
    if v < min.to_i128() {
        return Err(err());
    }
    T::from_i128(v).ok_or_else(err)
}

impl ReadLimits {
    /// Apply one `NAME=VALUE` setting (the form of a `--limit` flag).
    pub fn set_pair(&mut self, pair: &str) -> Result<(), LimitError> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| LimitError::NotAPair(pair.to_string()))?;
        self.set(name, value)
    }

    /// The defaults with the given `NAME=VALUE` settings applied, in order.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = &'a str>) -> Result<Self, LimitError> {
        let mut limits = ReadLimits::default();
        for p in pairs {
            limits.set_pair(p)?;
        }
        Ok(limits)
    }

    /// A Markdown table of every limit with its default and documentation (for `--help` texts
    /// and documentation pages).
    pub fn markdown_table() -> String {
        let mut out = String::from("| limit | default | what it caps |\n|---|---:|---|\n");
        for f in ReadLimits::default().fields() {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.name,
                f.default,
                f.doc.replace('\n', " ")
            ));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_historic_values() {
        let d = ReadLimits::default();
        assert_eq!(d.max_text_bytes, 1 << 30);
        assert_eq!(d.max_coord_nodes, 10_000_000);
        assert_eq!(d.max_explicit_nodes, 25_000);
        assert_eq!(d.max_nonzeros, 500_000_000);
        assert_eq!(d.fields().len(), ReadLimits::NAMES.len());
    }

    #[test]
    fn set_by_name() {
        let mut l = ReadLimits::default();
        l.set("max_coord_nodes", "1_000").unwrap();
        assert_eq!(l.max_coord_nodes, 1000);
        l.set("max_nonzeros", "1e6").unwrap();
        assert_eq!(l.max_nonzeros, 1_000_000);
        l.set_pair("max_duration=0").unwrap();
        assert_eq!(l.max_duration, 0);
        let f = l.fields();
        let coord = f.iter().find(|f| f.name == "max_coord_nodes").unwrap();
        assert_eq!(
            (coord.value.as_str(), coord.default.as_str()),
            ("1000", "10000000")
        );
        assert!(coord.doc.starts_with("Largest TSPLIB DIMENSION"));
    }

    #[test]
    fn bad_settings_name_the_field() {
        let mut l = ReadLimits::default();
        let e = l.set("max_nodez", "5").unwrap_err();
        assert_eq!(e.code(), "limits.unknown");
        assert!(e.to_string().contains("max_nodez") && e.to_string().contains("max_jobs"));
        for bad in ["-1", "0", "1.5", "x", "", "1e400"] {
            let e = l.set("max_jobs", bad).unwrap_err();
            assert_eq!(e.code(), "limits.invalid_value", "{bad}");
            assert!(e.to_string().contains("max_jobs"), "{e}");
        }
        assert_eq!(l, ReadLimits::default());
        assert_eq!(
            l.set_pair("max_jobs").unwrap_err().code(),
            "limits.not_a_pair"
        );
        assert!(ReadLimits::from_pairs(["max_jobs=3", "max_machines=4"]).is_ok());
    }
}
