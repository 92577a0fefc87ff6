//! `orr.toml`: regions, selection, severity overrides and check thresholds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::finding::{Category, Severity};

pub const DEFAULT_FILE: &str = "orr.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Regions to audit when `--region` is not given.
    pub regions: Vec<String>,
    /// AWS profile when `--profile` is not given.
    pub profile: Option<String>,
    /// Lowest severity whose FAIL or ERROR makes the run NO-GO.
    pub fail_on: Option<Severity>,
    /// Upper bound on AWS requests in flight.
    pub concurrency: Option<usize>,
    /// Seconds one check may take before it is reported as ERROR.
    pub check_timeout_secs: Option<u64>,
    pub selection: Selection,
    /// Check id to the severity this team gives it.
    pub severity: BTreeMap<String, Severity>,
    pub thresholds: Thresholds,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Selection {
    pub checks: Vec<String>,
    pub categories: Vec<Category>,
    pub services: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub iam: IamThresholds,
    pub rds: RdsThresholds,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IamThresholds {
    pub password_min_length: i32,
    pub password_reuse_prevention: i32,
    pub access_key_max_age_days: i64,
    pub credential_unused_days: i64,
}

impl Default for IamThresholds {
    fn default() -> Self {
        IamThresholds {
            password_min_length: 14,
            password_reuse_prevention: 24,
            access_key_max_age_days: 90,
            credential_unused_days: 90,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RdsThresholds {
    pub backup_retention_days: i32,
    pub performance_insights_retention_days: i32,
    pub enhanced_monitoring_max_interval_secs: i32,
}

impl Default for RdsThresholds {
    fn default() -> Self {
        RdsThresholds {
            backup_retention_days: 7,
            performance_insights_retention_days: 7,
            enhanced_monitoring_max_interval_secs: 60,
        }
    }
}

impl Config {
    /// The file named by `--config` (which must exist), else `./orr.toml` if present,
    /// else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path: PathBuf = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_FILE);
                if !default.exists() {
                    return Ok(Config::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("invalid config {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!(one_line(&e)))?;
        Ok(config)
    }
}

/// toml's messages span several lines (a source excerpt); the CLI prints one:
/// "TOML parse error at line L, column C: <what is wrong>".
fn one_line(error: &toml::de::Error) -> String {
    let full = error.to_string();
    let location = full.lines().next().unwrap_or_default().trim();
    format!("{location}: {}", error.message().trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses_and_matches_the_defaults_it_documents() {
        let config = Config::parse(include_str!("../examples/orr.toml")).unwrap();
        assert_eq!(config.thresholds, Thresholds::default());
        assert_eq!(config.fail_on, Some(Severity::High));
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let error = Config::parse("fail_on = \"high\"\n[thresholds.iam]\npasword_min_length = 8\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("pasword_min_length"), "{error}");
        assert!(!error.contains('\n'), "one line: {error}");
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(Config::parse("fail_on = \"severe\"").is_err());
        assert!(Config::parse("[selection]\ncategories = [\"speed\"]").is_err());
    }
}
