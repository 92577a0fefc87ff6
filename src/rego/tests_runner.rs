//! `orr policy test`: the `test_*` rules of each folder's `*_test.rego` files, OPA
//! style, evaluated with every `.rego` of the folder loaded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::{add_file, engine, one_line, read_rego, timer};

#[derive(Debug)]
pub struct TestOutcome {
    pub file: PathBuf,
    pub name: String,
    /// `None` when the rule was true; else why it did not pass.
    pub failure: Option<String>,
    pub took: Duration,
}

/// Every test of `dirs`; a folder without tests, or a file that does not parse, is an
/// error (a test run that runs nothing must not pass).
pub fn run_tests(dirs: &[PathBuf], timeout: Duration) -> Result<Vec<TestOutcome>> {
    let mut outcomes = Vec::new();
    for dir in dirs {
        let mut engine = engine(timer(timeout));
        let mut tests = Vec::new();
        for file in rego_files(dir)? {
            let text = read_rego(&file)?;
            let names = test_rules(&text);
            let package = add_file(&mut engine, &file, text)?;
            if file.to_string_lossy().ends_with("_test.rego") {
                tests.extend(
                    names
                        .into_iter()
                        .map(|name| (file.clone(), package.clone(), name)),
                );
            }
        }
        if tests.is_empty() {
            bail!(
                "{} has no tests: write test_* rules in NAME_test.rego files beside the policies",
                dir.display()
            );
        }
        for (file, package, name) in tests {
            let started = Instant::now();
            let failure = match engine.eval_rule(format!("{package}.{name}")) {
                Ok(regorus::Value::Bool(true)) => None,
                Ok(regorus::Value::Undefined) => Some("undefined (a condition was false)".into()),
                Ok(other) => Some(format!("evaluated to {other}, not true")),
                Err(error) => Some(one_line(&error.to_string())),
            };
            outcomes.push(TestOutcome {
                file,
                name,
                failure,
                took: started.elapsed(),
            });
        }
    }
    Ok(outcomes)
}

fn rego_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot read policy folder {}", dir.display()))?
    {
        let path = entry
            .with_context(|| format!("cannot read policy folder {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "rego") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The names of the rules whose heads start a line with `test_` (OPA's convention),
/// each once (a test may have several bodies).
fn test_rules(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .lines()
        .filter(|line| line.starts_with("test_"))
        .map(|line| {
            line.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::super::testing::{write, ENTRY, RULE};
    use super::*;

    #[test]
    fn passing_and_failing_tests_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "rds_backups", ENTRY, RULE);
        let tests = r#"package org.rds_backups_test

import data.org.rds_backups

db(days) := {"id": "a", "arn": "arn:a", "backup_retention_days": days}

test_short_retention_fails if {
    some f in rds_backups.findings with input as {"thresholds": {"min_days": 7}, "rds": {"instances": {"ok": [db(1)]}}}
    f.status == "FAIL"
}

test_wrongly_expects_a_pass if {
    some f in rds_backups.findings with input as {"thresholds": {"min_days": 7}, "rds": {"instances": {"ok": [db(1)]}}}
    f.status == "PASS"
}
"#;
        std::fs::write(dir.path().join("rds_backups_test.rego"), tests).unwrap();
        let outcomes = run_tests(&[dir.path().to_path_buf()], Duration::from_secs(10)).unwrap();
        let results: Vec<(&str, bool)> = outcomes
            .iter()
            .map(|o| (o.name.as_str(), o.failure.is_none()))
            .collect();
        assert_eq!(
            results,
            [
                ("test_short_retention_fails", true),
                ("test_wrongly_expects_a_pass", false)
            ]
        );
    }

    #[test]
    fn a_folder_without_tests_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "rds_backups", ENTRY, RULE);
        let error = run_tests(&[dir.path().to_path_buf()], Duration::from_secs(10)).unwrap_err();
        assert!(error.to_string().contains("has no tests"));
    }
}
