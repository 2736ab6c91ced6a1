//! `quotient-read-probe FILE [NAME=VALUE ...]`: read FILE exactly as `quotient solve` and
//! `quotient check` read an instance (`std::fs::read`, then `any::read_instance_with_limits`
//! with the file name), under the default read limits or the given `NAME=VALUE` settings,
//! and print one line: `ok <family> <size>` or `error <code> <message>`. Nothing is solved, so
//! the peak RSS of this process is the reader's (plus the input bytes). Exit 0 when read, 2
//! when refused, 1 on a usage or I/O error.
use quotient_problems::ReadLimits;
use quotient_problems::any;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((path, settings)) = args.split_first() else {
        eprintln!("usage: quotient-read-probe FILE [NAME=VALUE ...]");
        return ExitCode::from(1);
    };
    let limits = match ReadLimits::from_pairs(settings.iter().map(String::as_str)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e} [{}]", e.code());
            return ExitCode::from(1);
        }
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let name = std::path::Path::new(path)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match any::read_instance_with_limits(&bytes, &name, None, &limits) {
        Ok(inst) => {
            println!("ok {} {}", inst.family(), inst.size());
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("error {} {e}", e.code());
            ExitCode::from(2)
        }
    }
}
