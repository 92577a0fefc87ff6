use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use orr::cli::Cli;
use orr::verdict::EXIT_UNABLE;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Usage errors exit 3, not clap's 2: in CI, 2 reads as "warnings only".
            let code = match error.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => EXIT_UNABLE,
            };
            let _ = error.print();
            return ExitCode::from(code as u8);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("orr: error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_UNABLE as u8);
        }
    };
    match runtime.block_on(orr::commands::run(cli)) {
        Ok(code) => ExitCode::from(code as u8),
        Err(error) => {
            // Errors quote file contents and AWS answers: shown, never obeyed.
            eprintln!(
                "orr: error: {}",
                orr::report::printable(&format!("{error:#}"))
            );
            ExitCode::from(EXIT_UNABLE as u8)
        }
    }
}
