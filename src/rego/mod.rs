//! Users' own checks: Rego policies, evaluated by regorus over the inventory pieces
//! they declare, whose findings go wherever built-in checks' findings go.
//!
//! A policy is `NAME.rego` (its `findings` rule) and `NAME.toml` beside it (a catalog
//! entry as in `checks/<service>.toml`, plus `inputs`: the pieces it reads). Everything
//! about a policy that can be wrong is found when it is loaded, before any AWS call.

mod evaluate;
mod tests_runner;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::catalog::{Catalog, CatalogEntry, Scope};
use crate::inventory::named::{self, Piece};

pub use evaluate::run;
pub use tests_runner::{run_tests, TestOutcome};

/// How long one evaluation may run before it is that check's ERROR.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// A policy file larger than this is refused at load time.
const MAX_POLICY_BYTES: usize = 1024 * 1024;

pub struct Policy {
    pub entry: CatalogEntry,
    pub inputs: Vec<&'static Piece>,
    /// The `.rego` file, as named in errors and findings.
    pub source: PathBuf,
    /// The thresholds the policy sees as `input.thresholds`: its TOML's, with orr.toml's
    /// `[policies.thresholds."ID"]` over them.
    pub thresholds: toml::Table,
    /// `data.<package>.findings`.
    rule: String,
    /// The loaded and prepared policy, cloned for each evaluation.
    engine: regorus::Engine,
    /// The policy compiled for regorus's virtual machine, which evaluates it about three
    /// times as fast as the interpreter (BENCHMARKS.md section 7); None where regorus
    /// cannot compile it, and `engine` evaluates it.
    compiled: Option<Compiled>,
    /// The time limit, as the virtual machine takes it.
    timer: regorus::utils::limits::ExecutionTimerConfig,
}

struct Compiled {
    policy: regorus::CompiledPolicy,
    program: Arc<regorus::rvm::Program>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("id", &self.entry.id)
            .field("source", &self.source)
            .finish()
    }
}

/// Where policies come from and how they run, resolved from flags and orr.toml.
#[derive(Debug, Clone, Default)]
pub struct PolicyOptions {
    pub dirs: Vec<PathBuf>,
    pub timeout: Option<Duration>,
    /// Policy id to the thresholds a team sets for it.
    pub thresholds: BTreeMap<String, toml::Table>,
}

/// Every policy of `options.dirs`, checked against the built-in catalog and each other.
pub fn load(options: &PolicyOptions, builtin: &Catalog) -> Result<Vec<Arc<Policy>>> {
    let mut policies: Vec<Policy> = Vec::new();
    for dir in &options.dirs {
        for (rego, toml) in policy_files(dir)? {
            let policy = load_one(&rego, &toml, options)?;
            if builtin.get(&policy.entry.id).is_some() {
                bail!(
                    "{}: id '{}' is a built-in check's (checks/{}.toml); give the policy its own id",
                    toml.display(),
                    policy.entry.id,
                    policy.entry.service()
                );
            }
            if let Some(first) = policies.iter().find(|p| p.entry.id == policy.entry.id) {
                bail!(
                    "{}: id '{}' is already the id of {}; each policy needs its own",
                    toml.display(),
                    policy.entry.id,
                    first.source.display()
                );
            }
            policies.push(policy);
        }
    }
    for id in options.thresholds.keys() {
        if !policies.iter().any(|p| &p.entry.id == id) {
            bail!("[policies.thresholds.\"{id}\"] in orr.toml names no loaded policy");
        }
    }
    Ok(policies.into_iter().map(Arc::new).collect())
}

/// Each `NAME.rego` of `dir` (tests, `*_test.rego`, aside) with its `NAME.toml`.
fn policy_files(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read policy folder {}", dir.display()))?;
    let mut files = Vec::new();
    let mut tomls = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read policy folder {}", dir.display()))?
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with("_test.rego") {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("rego") => files.push(path),
            Some("toml") => tomls.push(path),
            _ => {}
        }
    }
    files.sort();
    for toml in &tomls {
        if !files.contains(&toml.with_extension("rego")) {
            bail!(
                "{} has no {} beside it: a policy is NAME.rego and NAME.toml",
                toml.display(),
                toml.with_extension("rego").display()
            );
        }
    }
    files
        .into_iter()
        .map(|rego| {
            let toml = rego.with_extension("toml");
            if !toml.exists() {
                bail!(
                    "{} has no {} beside it: write its catalog entry there (id, title, category, severity, scope, inputs, ...)",
                    rego.display(),
                    toml.display()
                );
            }
            Ok((rego, toml))
        })
        .collect()
}

fn load_one(rego: &Path, toml_path: &Path, options: &PolicyOptions) -> Result<Policy> {
    let (entry, inputs, defaults) = read_entry(toml_path)?;
    let timer = timer(options.timeout.unwrap_or(DEFAULT_TIMEOUT));
    let mut engine = engine(timer);
    let source = rego.display().to_string();
    let package = add_file(&mut engine, rego, read_rego(rego)?)?;
    let declares = engine
        .has_declared_rule_rooted_at(&source, "findings")
        .unwrap_or(false);
    if !declares {
        bail!(
            "{source}: declares no `findings` rule; write `findings contains f if {{ ... }}` yielding {{resource_id, resource_type, status, message, evidence}} objects"
        );
    }
    evaluate::prepare(&mut engine, &source)?;
    let rule = format!("{package}.findings");
    let compiled = compile(&engine, &rule);
    let mut thresholds = defaults;
    if let Some(team) = options.thresholds.get(&entry.id) {
        for (key, value) in team {
            if !thresholds.contains_key(key) {
                bail!(
                    "[policies.thresholds.\"{}\"].{key} in orr.toml: the policy has no such threshold (its {} declares: {})",
                    entry.id,
                    toml_path.display(),
                    thresholds.keys().cloned().collect::<Vec<_>>().join(", ")
                );
            }
            thresholds.insert(key.clone(), value.clone());
        }
    }
    Ok(Policy {
        entry,
        inputs,
        source: rego.to_path_buf(),
        thresholds,
        rule,
        engine,
        compiled,
        timer,
    })
}

/// `rule` of the prepared `engine` as a program of regorus's virtual machine, if regorus
/// can compile it (on a copy: compiling changes the engine's settings).
fn compile(engine: &regorus::Engine, rule: &str) -> Option<Compiled> {
    let policy = engine.clone().compile_with_entrypoint(&rule.into()).ok()?;
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &[rule]).ok()?;
    Some(Compiled { policy, program })
}

/// One evaluation's time limit, checked every 64 steps.
fn timer(limit: Duration) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit,
        check_interval: std::num::NonZeroU32::new(64).expect("64 is not zero"),
    }
}

/// A regorus engine with orr's limits: policy size and line length bounded, no
/// built-ins that reach the network or the file system (those features are off).
fn engine(timer: regorus::utils::limits::ExecutionTimerConfig) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_policy_length_config(regorus::utils::limits::PolicyLengthConfig {
        max_col: std::num::NonZeroU32::new(1024).expect("not zero"),
        max_file_bytes: std::num::NonZeroUsize::new(MAX_POLICY_BYTES).expect("not zero"),
        max_lines: std::num::NonZeroUsize::new(20_000).expect("not zero"),
    });
    engine.set_execution_timer_config(timer);
    engine
}

/// A `.rego` file's text, bounded in size.
fn read_rego(path: &Path) -> Result<String> {
    let bytes = crate::files::read_bounded(path, MAX_POLICY_BYTES as u64, "policy")?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))
}

/// Adds `text` (the file `path`) to `engine`; its package, or its syntax error on one line.
fn add_file(engine: &mut regorus::Engine, path: &Path, text: String) -> Result<String> {
    engine
        .add_policy(path.display().to_string(), text)
        .map_err(|e| anyhow::anyhow!("{}", one_line(&e.to_string())))
}

/// The catalog entry of a policy's TOML, its inputs and its default thresholds.
///
/// Read through toml's spanned document, not a `toml::Value`, so that an error in the
/// entry (a missing `summary`, a misspelt key) names its line and column.
fn read_entry(path: &Path) -> Result<(CatalogEntry, Vec<&'static Piece>, toml::Table)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let fail = |what: String| anyhow::anyhow!("{}: {what}", path.display());
    let located = |mut error: toml::de::Error| {
        if error.span().is_none() {
            return fail(error.message().trim().to_string());
        }
        error.set_input(Some(&text));
        fail(crate::config::one_line(&error))
    };
    let mut file = DeTable::parse(&text).map_err(located)?.into_inner();
    // `[check]` or a `[[check]]` list of one, with where it is written.
    let (span, mut check) = match file.remove("check").map(|c| (c.span(), c.into_inner())) {
        Some((span, DeValue::Table(table))) => (span, table),
        Some((_, DeValue::Array(array))) if array.len() == 1 => {
            let only = array.into_iter().next().expect("one entry");
            match (only.span(), only.into_inner()) {
                (span, DeValue::Table(table)) => (span, table),
                _ => return Err(fail("[[check]] is not a table".into())),
            }
        }
        Some((_, DeValue::Array(array))) => {
            return Err(fail(format!(
                "has {} [[check]] entries; a policy file describes exactly one",
                array.len()
            )))
        }
        _ => {
            return Err(fail(
                "has no [[check]] entry (see checks/rds.toml for the form)".into(),
            ))
        }
    };
    if let Some(key) = file.keys().next() {
        return Err(fail(format!(
            "unknown top-level key '{}' (everything goes under [[check]])",
            key.get_ref()
        )));
    }
    let thresholds = match check.remove("thresholds") {
        Some(value) => toml::Table::deserialize(ValueDeserializer::from(value)).map_err(located)?,
        None => toml::Table::new(),
    };
    let check = ValueDeserializer::from(Spanned::new(span, DeValue::Table(check)));
    let mut entry = CatalogEntry::deserialize(check).map_err(located)?;
    if !valid_id(&entry.id) {
        return Err(fail(format!(
            "id '{}' is not SERVICE.NAME in lowercase letters, digits and _ (e.g. org.required_tags)",
            entry.id
        )));
    }
    if entry.inputs.is_empty() {
        return Err(fail(
            "has no inputs: name the inventory pieces the policy reads, e.g. inputs = [\"rds.instances\"]".into(),
        ));
    }
    let mut pieces = Vec::new();
    for name in &entry.inputs {
        let piece =
            named::find(name).ok_or_else(|| fail(format!("inputs: {}", named::unknown(name))))?;
        if entry.scope == Scope::Global && piece.scope == Scope::Regional {
            return Err(fail(format!(
                "scope = \"global\" but input {name} is read per region: make the policy regional"
            )));
        }
        pieces.push(piece);
    }
    // Derived from the inputs, as for the built-in checks (whatever the file says).
    entry.permissions = named::actions_of(&entry.inputs).map_err(fail)?;
    Ok((entry, pieces, thresholds))
}

fn valid_id(id: &str) -> bool {
    let part = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    matches!(id.split_once('.'), Some((service, name)) if part(service) && part(name))
}

/// regorus reports an error over several lines (`--> file:line:col`, the source line,
/// a caret, `error: what`); orr's errors are one line: `file:line:col: what`.
fn one_line(text: &str) -> String {
    let lines = || text.lines().map(str::trim).filter(|line| !line.is_empty());
    let location = lines().find_map(|line| line.strip_prefix("--> "));
    let what = lines().find_map(|line| line.find("error: ").map(|at| &line[at + 7..]));
    match (location, what) {
        (Some(location), Some(what)) => format!("{location}: {what}"),
        _ => lines().collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Policy folders written for tests.

    use std::path::Path;

    pub const ENTRY: &str = r#"
[[check]]
id = "org.rds_backups"
title = "RDS keeps backups"
category = "resilience"
severity = "high"
scope = "regional"
inputs = ["rds.instances"]
passes_when = "Every instance keeps backups for the team's minimum."
risk = "No point-in-time recovery."
references = ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"]

[check.thresholds]
min_days = 7

[check.remediation]
summary = "Raise the retention."
cli = "aws rds modify-db-instance --db-instance-identifier DB --backup-retention-period 7"
terraform = "backup_retention_period = 7"
"#;

    pub const RULE: &str = r#"
package org.rds_backups

findings contains f if {
    some db in input.rds.instances.ok
    ok := db.backup_retention_days >= input.thresholds.min_days
    f := {
        "resource_id": db.arn,
        "resource_type": "AWS::RDS::DBInstance",
        "status": ["FAIL", "PASS"][to_number(ok)],
        "message": sprintf("%s keeps backups for %d days", [db.id, db.backup_retention_days]),
        "evidence": {"backup_retention_days": db.backup_retention_days},
    }
}
"#;

    pub fn write(dir: &Path, name: &str, toml: &str, rego: &str) {
        std::fs::write(dir.join(format!("{name}.toml")), toml).unwrap();
        std::fs::write(dir.join(format!("{name}.rego")), rego).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    fn load_dir(dir: &Path) -> Result<Vec<Arc<Policy>>> {
        let options = PolicyOptions {
            dirs: vec![dir.to_path_buf()],
            ..PolicyOptions::default()
        };
        load(&options, &Catalog::embedded())
    }

    fn error_of(toml: &str, rego: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "p", toml, rego);
        load_dir(dir.path()).unwrap_err().to_string()
    }

    #[test]
    fn a_policy_loads_with_its_inputs_permissions_and_thresholds() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "rds_backups", ENTRY, RULE);
        let policies = load_dir(dir.path()).unwrap();
        let policy = &policies[0];
        assert_eq!(policy.entry.id, "org.rds_backups");
        assert_eq!(policy.inputs[0].name, "rds.instances");
        assert_eq!(policy.entry.permissions, ["rds:DescribeDBInstances"]);
        assert_eq!(policy.thresholds["min_days"].as_integer(), Some(7));
        assert_eq!(policy.rule, "data.org.rds_backups.findings");
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column() {
        let error = error_of(
            ENTRY,
            "package org.x\n\nfindings contains f if {\n  f := [1,\n}\n",
        );
        assert!(error.contains("p.rego:"), "{error}");
        assert!(!error.contains('\n'), "{error}");
        let location = error.split("p.rego:").nth(1).unwrap();
        let mut numbers = location.split(':').take(2).map(|n| n.trim().parse::<u32>());
        assert!(numbers.all(|n| n.is_ok()), "{error}");
    }

    #[test]
    fn collisions_unknown_pieces_and_missing_rules_are_refused() {
        let builtin = error_of(&ENTRY.replace("org.rds_backups", "rds.multi_az"), RULE);
        assert!(
            builtin.contains("built-in") && builtin.contains("checks/rds.toml"),
            "{builtin}"
        );

        let unknown = error_of(
            &ENTRY.replace("\"rds.instances\"", "\"rds.instance\""),
            RULE,
        );
        assert!(unknown.contains("did you mean rds.instances?"), "{unknown}");

        let no_rule = error_of(ENTRY, "package org.rds_backups\n\nallow := true\n");
        assert!(no_rule.contains("no `findings` rule"), "{no_rule}");

        let global = error_of(
            &ENTRY.replace("scope = \"regional\"", "scope = \"global\""),
            RULE,
        );
        assert!(global.contains("read per region"), "{global}");

        let network = error_of(
            ENTRY,
            "package org.rds_backups\n\nfindings contains f if {\n  r := http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1/\"})\n  f := r.body\n}\n",
        );
        assert!(network.contains("http.send"), "{network}");

        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a", ENTRY, RULE);
        write(
            dir.path(),
            "b",
            ENTRY,
            &RULE.replace("org.rds_backups", "org.other"),
        );
        let twice = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            twice.contains("b.toml") && twice.contains("a.rego"),
            "{twice}"
        );
    }

    #[test]
    fn a_policy_may_leave_out_the_cli_and_terraform_remediation() {
        let dir = tempfile::tempdir().unwrap();
        let entry = ENTRY
            .lines()
            .filter(|line| !line.starts_with("cli =") && !line.starts_with("terraform ="))
            .collect::<Vec<_>>()
            .join("\n");
        write(dir.path(), "p", &entry, RULE);
        let policies = load_dir(dir.path()).unwrap();
        let remediation = &policies[0].entry.remediation;
        assert_eq!(remediation.summary, "Raise the retention.");
        assert_eq!((&remediation.cli, &remediation.terraform), (&None, &None));
    }

    /// The line and column of `needle` in ENTRY, 1-based, as toml reports them.
    fn where_in(text: &str, needle: &str) -> String {
        let at = text.find(needle).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
        format!("line {line}, column {column}")
    }

    #[test]
    fn an_entry_error_names_file_line_and_column_once() {
        let no_summary = ENTRY.replace("summary = \"Raise the retention.\"\n", "");
        let error = error_of(&no_summary, RULE);
        assert!(error.contains("p.toml: "), "{error}");
        assert!(!error.contains('\n'), "{error}");
        assert_eq!(
            error.matches("missing field `summary`").count(),
            1,
            "{error}"
        );
        // The table that lacks it.
        assert!(
            error.contains(&where_in(&no_summary, "[check.remediation]")),
            "{error}"
        );

        let misspelt = ENTRY.replace("risk =", "rsk =");
        let error = error_of(&misspelt, RULE);
        assert_eq!(error.matches("unknown field `rsk`").count(), 1, "{error}");
        assert!(error.contains(&where_in(&misspelt, "rsk")), "{error}");

        let bad_threshold = ENTRY.replace("[check.thresholds]", "[check.thresholds]\n= 3");
        let error = error_of(&bad_threshold, RULE);
        assert!(error.contains("line 14"), "{error}");
    }

    #[test]
    fn a_rego_without_its_toml_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lonely.rego"), RULE).unwrap();
        let error = load_dir(dir.path()).unwrap_err().to_string();
        assert!(error.contains("lonely.toml"), "{error}");
    }
}
