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
            // An error quoting a huge argument is shortened; the others keep clap's colours.
            let plain = error.render().to_string();
            match orr::report::shorten_words(&plain, ECHO_LIMIT) {
                std::borrow::Cow::Borrowed(_) => {
                    let _ = error.print();
                }
                std::borrow::Cow::Owned(short) => eprint!("{short}"),
            }
            return ExitCode::from(code as u8);
        }
    };
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("orr: error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_UNABLE as u8);
        }
    };
    // On a worker thread, not the main one, so that the whole run has the worker's stack.
    let outcome = runtime.block_on(async {
        match tokio::spawn(orr::commands::run(cli)).await {
            Ok(outcome) => outcome,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    });
    match outcome {
        Ok(code) => ExitCode::from(code as u8),
        Err(error) => {
            // Errors quote file contents and AWS answers: shown, never obeyed.
            let message = format!("{error:#}");
            eprintln!(
                "orr: error: {}",
                orr::report::printable(&orr::report::shorten_words(&message, ECHO_LIMIT))
            );
            ExitCode::from(EXIT_UNABLE as u8)
        }
    }
}

/// The longest word of an error message printed whole (an echoed argument, a path).
const ECHO_LIMIT: usize = 120;

/// The SDK's deserializers of large answers (Security Hub's `AwsSecurityFinding` is a
/// struct of hundreds of nested optional shapes) take more than a 2 MiB worker stack in a
/// debug build, and a stack overflow aborts the process with every finding in it. The
/// stack is reserved, not committed: only the pages a thread touches cost memory.
const WORKER_STACK_BYTES: usize = 32 * 1024 * 1024;

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()
}
