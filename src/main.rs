//! The `quotient` command-line interface. Glue only: parsing arguments, reading files, calling the
//! library, printing. `main` returns an exit code; `run` returns `anyhow::Result`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
