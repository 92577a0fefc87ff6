use anyhow::Result;

use super::print_stdout;
use crate::catalog::Catalog;
use crate::cli::PolicyCommand;
use crate::config::Config;
use crate::rego::{self, PolicyOptions, DEFAULT_TIMEOUT};
use crate::report::printable;

/// `orr policy test`: the folders' policies must load as an audit loads them, then
/// every test runs; exit 0 when all pass, 1 when one fails (3, as any error, when a
/// policy does not load).
pub fn run(command: PolicyCommand, config: &Config) -> Result<i32> {
    let PolicyCommand::Test { dirs } = command;
    let timeout = config
        .policies
        .timeout_secs
        .map_or(DEFAULT_TIMEOUT, std::time::Duration::from_secs);
    let options = PolicyOptions {
        dirs: dirs.clone(),
        timeout: Some(timeout),
        ..PolicyOptions::default()
    };
    let policies = rego::load(&options, &Catalog::embedded())?;
    let outcomes = rego::run_tests(&dirs, timeout)?;
    let mut text = String::new();
    for outcome in &outcomes {
        let file = outcome.file.display().to_string();
        let took = format!("{:.1} ms", outcome.took.as_secs_f64() * 1000.0);
        match &outcome.failure {
            None => text += &format!("PASS  {}  {}  ({took})\n", printable(&file), outcome.name),
            Some(why) => {
                text += &format!(
                    "FAIL  {}  {}  ({took}): {}\n",
                    printable(&file),
                    outcome.name,
                    printable(why)
                )
            }
        }
    }
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    text += &format!(
        "{} policies; tests: {} passed, {failed} failed\n",
        policies.len(),
        outcomes.len() - failed
    );
    print_stdout(&text)?;
    Ok(if failed == 0 { 0 } else { 1 })
}
