//! No code: see this crate's `Cargo.toml`. quotient-python depends on it so that building the
//! wheel alone resolves the same dependency features as the workspace's test build.
