//! quotient-server: the REST service. Today: the one error shape every endpoint will answer
//! with. The axum router, handlers, job store and SSE arrive with the REST issue.

use serde::{Deserialize, Serialize};

/// The JSON body of every error response: `{"code", "message", "detail"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable machine-readable code (e.g. `parse.invalid_number`).
    pub code: String,
    /// A human-readable sentence.
    pub message: String,
    /// Structured detail (line, field, violated constraints), or `null`.
    #[serde(default)]
    pub detail: serde_json::Value,
}

impl ApiError {
    /// The error body for an instance that does not parse (HTTP 422).
    pub fn from_parse(e: &quotient_problems::ParseError) -> Self {
        ApiError {
            code: e.code().to_string(),
            message: e.to_string(),
            detail: serde_json::to_value(e).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::{Format, ParseError};

    #[test]
    fn parse_errors_keep_code_and_line() {
        let e = ParseError::invalid_number(Format::Tsplib, 7, "x coordinate", "abc");
        let a = ApiError::from_parse(&e);
        assert_eq!(a.code, "parse.invalid_number");
        assert_eq!(a.detail["line"], 7);
        let back: ApiError = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
    }
}
