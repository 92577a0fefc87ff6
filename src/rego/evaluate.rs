//! One policy over one region's (or the account's) pieces: its input document, its
//! evaluation without holding up the async workers, and its `findings` checked before
//! orr trusts them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{one_line, Policy};
use crate::catalog::Scope;
use crate::checks::CheckCtx;
use crate::finding::{Observation, Resource, Status};
use crate::inventory::regorus_value;

/// Bounds on what one evaluation may return: a policy cannot flood the report.
const MAX_FINDINGS: usize = 1_000_000;
const MAX_MESSAGE_CHARS: usize = 4_096;
const MAX_EVIDENCE_BYTES: usize = 64 * 1024;

/// Makes regorus resolve every rule and function of the freshly loaded policy, so that
/// an unknown built-in (`http.send`: the feature is off) is a load error, not a finding.
pub(super) fn prepare(engine: &mut regorus::Engine, source: &str) -> anyhow::Result<()> {
    engine.set_input(regorus::Value::new_object());
    engine
        .eval_modules(false)
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("{source}: {}", one_line(&e.to_string())))
}

/// The policy's findings in the context's region (its home region when global).
pub async fn run(policy: Arc<Policy>, ctx: CheckCtx) -> Vec<Observation> {
    let account = ctx.account();
    let region = match policy.entry.scope {
        Scope::Regional => ctx.region().to_string(),
        Scope::Global => ctx.inventory.home_region().to_string(),
    };
    // Built straight as regorus values: each piece as read by name is one already.
    let mut input = BTreeMap::new();
    let mut put = |key: &str, value: regorus::Value| input.insert(key.into(), value);
    put("account_id", ctx.inventory.account_id().into());
    put("region", region.as_str().into());
    // Neither can fail (a time, a table with text keys); regorus's own conversion makes
    // a failure undefined too.
    let facts = |value: Result<regorus::Value, _>| value.unwrap_or(regorus::Value::Undefined);
    put("collected_at", facts(regorus_value::of(&ctx.now())));
    put("thresholds", facts(regorus_value::of(&policy.thresholds)));
    let mut services: BTreeMap<&str, BTreeMap<regorus::Value, regorus::Value>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut failed_entries = Vec::new();
    for piece in &policy.inputs {
        let read = (piece.read)(&ctx.inventory, &region).await;
        if let Some(error) = &read.error {
            unreadable.push(Observation::unverified(&account, error));
        }
        for (key, error) in &read.failed_entries {
            let mut observation = Observation::unverified(&account, error);
            observation.resource_id = key.clone();
            observation.resource_type = format!("orr piece {}", piece.name).into();
            failed_entries.push(observation);
        }
        let (service, field) = piece
            .name
            .split_once('.')
            .expect("pieces are service.field");
        services
            .entry(service)
            .or_default()
            .insert(field.into(), read.value);
    }
    if !unreadable.is_empty() {
        // As the built-ins do: a piece that could not be read is ERROR, never judged.
        unreadable.extend(failed_entries);
        return unreadable;
    }
    for (service, fields) in services {
        input.insert(service.into(), fields.into());
    }
    let evaluated = evaluate_bounded(&policy, input.into());
    let mut observations = match evaluated {
        Ok(findings) => findings_of(&policy, &account, findings),
        Err(error) => vec![Observation::cannot_judge(
            &account,
            format!("policy {} failed: {error}", policy.source.display()),
            json!({ "policy": policy.source.display().to_string() }),
        )],
    };
    observations.extend(failed_entries);
    observations
}

/// [`evaluate`] on this thread. On a multi-thread runtime `block_in_place` first hands
/// this worker's other tasks to another thread, as `spawn_blocking` would, without
/// making the evaluation wait for a blocking thread to be woken and scheduled: that
/// wait cost more than the evaluation of a region's pieces (BENCHMARKS.md section 7).
/// A single-threaded runtime has no worker to hand off; regorus's time limit bounds the
/// evaluation either way.
fn evaluate_bounded(policy: &Policy, input: regorus::Value) -> Result<Value, String> {
    use tokio::runtime::{Handle, RuntimeFlavor};
    let multi_thread = Handle::try_current()
        .is_ok_and(|runtime| runtime.runtime_flavor() == RuntimeFlavor::MultiThread);
    if multi_thread {
        tokio::task::block_in_place(|| evaluate(policy, input))
    } else {
        evaluate(policy, input)
    }
}

/// The value of the policy's `findings` rule for `input`, as JSON: run by regorus's
/// virtual machine when the policy compiled for it, else by its interpreter.
fn evaluate(policy: &Policy, input: regorus::Value) -> Result<Value, String> {
    let value = match &policy.compiled {
        Some(compiled) => {
            let mut vm = regorus::rvm::RegoVM::new_with_policy(compiled.policy.clone());
            vm.load_program(compiled.program.clone());
            // The time limit bounds it, as it bounds the interpreter; the machine's
            // default instruction budget (25,000) would stop a region of a few hundred
            // resources.
            vm.set_max_instructions(usize::MAX);
            vm.set_execution_timer_config(Some(policy.timer));
            vm.set_input(input);
            vm.execute().map_err(|e| one_line(&e.to_string()))
        }
        None => {
            let mut engine = policy.engine.clone();
            engine.set_input(input);
            engine
                .eval_rule(policy.rule.clone())
                .map_err(|e| one_line(&e.to_string()))
        }
    }?;
    if value == regorus::Value::Undefined {
        return Ok(Value::Array(Vec::new()));
    }
    serde_json::to_value(&value).map_err(|e| format!("its findings are not JSON: {e}"))
}

/// What a policy says of one resource.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFinding {
    resource_id: String,
    resource_type: String,
    status: PolicyStatus,
    message: String,
    #[serde(default)]
    evidence: Value,
}

#[derive(Deserialize)]
enum PolicyStatus {
    #[serde(rename = "PASS")]
    Pass,
    #[serde(rename = "FAIL")]
    Fail,
    #[serde(rename = "NA")]
    NotApplicable,
}

/// Each well-formed finding as an observation, each malformed one as an ERROR naming
/// the policy file and what is wrong; nothing at all is N/A, as for built-in checks.
fn findings_of(policy: &Policy, account: &Resource, findings: Value) -> Vec<Observation> {
    let source = policy.source.display().to_string();
    let malformed = |what: String| {
        Observation::cannot_judge(
            account,
            format!("policy {source}: {what}"),
            json!({ "policy": source }),
        )
    };
    let items = match findings {
        Value::Array(items) => items,
        other => {
            return vec![malformed(format!(
                "`findings` is {}, not a set of objects",
                kind_of(&other)
            ))]
        }
    };
    if items.len() > MAX_FINDINGS {
        return vec![malformed(format!(
            "`findings` has {} entries, more than the {MAX_FINDINGS} one evaluation may return",
            items.len()
        ))];
    }
    if items.is_empty() {
        return vec![Observation::not_applicable(
            account,
            format!("policy {source} found nothing to judge"),
        )];
    }
    items
        .into_iter()
        .enumerate()
        .map(|(n, item)| match checked(item) {
            Ok(finding) => Observation {
                status: match finding.status {
                    PolicyStatus::Pass => Status::Pass,
                    PolicyStatus::Fail => Status::Fail,
                    PolicyStatus::NotApplicable => Status::NotApplicable,
                },
                resource_id: finding.resource_id,
                resource_type: finding.resource_type.into(),
                message: finding.message,
                evidence: finding.evidence,
                region: None,
            },
            Err(what) => malformed(format!("findings[{n}] {what}")),
        })
        .collect()
}

fn checked(item: Value) -> Result<PolicyFinding, String> {
    let finding: PolicyFinding =
        serde_json::from_value(item).map_err(|e| format!("is malformed: {e}"))?;
    if finding.resource_id.trim().is_empty() {
        return Err("has an empty resource_id".into());
    }
    if finding.message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(format!(
            "has a message longer than {MAX_MESSAGE_CHARS} characters"
        ));
    }
    let evidence_bytes = finding.evidence.to_string().len();
    if evidence_bytes > MAX_EVIDENCE_BYTES {
        return Err(format!(
            "has {evidence_bytes} bytes of evidence, more than {MAX_EVIDENCE_BYTES}"
        ));
    }
    Ok(finding)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::testing::{write, ENTRY, RULE};
    use super::super::{load, PolicyOptions};
    use super::*;
    use crate::catalog::Catalog;
    use crate::checks::testing::{data, failed, ok, run, statuses, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
    use crate::model::rds::DbInstance;

    fn policy(dir: &Path, rego: &str, timeout_ms: Option<u64>) -> Arc<Policy> {
        write(dir, "p", ENTRY, rego);
        let options = PolicyOptions {
            dirs: vec![dir.to_path_buf()],
            timeout: timeout_ms.map(std::time::Duration::from_millis),
            ..PolicyOptions::default()
        };
        load(&options, &Catalog::embedded()).unwrap().remove(0)
    }

    fn instance(id: &str, days: i32) -> DbInstance {
        DbInstance {
            backup_retention_days: days,
            ..crate::checks::rds::tests::instance(id)
        }
    }

    async fn judge(
        policy: Arc<Policy>,
        instances: crate::inventory::Memo<Vec<DbInstance>>,
    ) -> Vec<Observation> {
        let mut account = data();
        account.region_mut(REGION).rds.instances = instances;
        run(account, true, |ctx| super::run(policy, ctx)).await
    }

    #[tokio::test]
    async fn findings_follow_the_input_and_the_thresholds() {
        let dir = tempfile::tempdir().unwrap();
        let policy = policy(dir.path(), RULE, None);
        let observations = judge(
            policy.clone(),
            ok(vec![instance("orders", 14), instance("scratch", 1)]),
        )
        .await;
        assert_eq!(
            statuses_of(&observations, &[":orders", ":scratch"]),
            [Pass, Fail]
        );
        let scratch = observations
            .iter()
            .find(|o| o.resource_id.ends_with(":scratch"))
            .unwrap();
        assert_eq!(scratch.resource_type, "AWS::RDS::DBInstance");
        assert_eq!(scratch.evidence["backup_retention_days"], 1);
        assert_eq!(
            statuses(&judge(policy.clone(), ok(vec![])).await),
            [NotApplicable]
        );
    }

    /// Every example policy compiles for regorus's virtual machine, which judges each
    /// region of the demo as the interpreter does. Multi-threaded: as in a run, the
    /// evaluation blocks in place.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_virtual_machine_judges_as_the_interpreter() {
        use crate::checks::{CheckCtx, Rules};
        use crate::inventory::{snapshot, Inventory};

        let options = PolicyOptions {
            dirs: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies").into()],
            ..PolicyOptions::default()
        };
        let compiled = load(&options, &Catalog::embedded()).unwrap();
        let interpreted = load(&options, &Catalog::embedded()).unwrap();
        let demo = include_str!("../../examples/demo-account.json");
        let data = snapshot::parse(demo).unwrap().accounts.remove(0);
        let inventory = Arc::new(Inventory::offline(data));
        let mut judged = 0;
        for (policy, interpreted) in compiled.into_iter().zip(interpreted) {
            assert!(policy.compiled.is_some(), "{}", policy.source.display());
            let mut interpreted = Arc::try_unwrap(interpreted).unwrap();
            interpreted.compiled = None;
            let interpreted = Arc::new(interpreted);
            let regions: Vec<Option<String>> = match policy.entry.scope {
                Scope::Global => vec![None],
                Scope::Regional => inventory.regions().iter().cloned().map(Some).collect(),
            };
            for region in regions {
                let ctx = || {
                    CheckCtx::new(
                        inventory.clone(),
                        Arc::new(Rules::default()),
                        region.clone(),
                    )
                };
                let by_vm = super::run(policy.clone(), ctx()).await;
                assert_eq!(by_vm, super::run(interpreted.clone(), ctx()).await);
                judged += by_vm.iter().filter(|o| o.status != Error).count();
            }
        }
        assert!(judged > 10, "{judged}");
    }

    #[tokio::test]
    async fn an_unreadable_piece_is_error_without_running_the_rule() {
        let dir = tempfile::tempdir().unwrap();
        // A rule that would PASS the account if it ever ran on a failed read.
        let rego = "package org.rds_backups\n\nfindings contains f if {\n  count(object.get(input.rds.instances, \"ok\", [])) == 0\n  f := {\"resource_id\": \"x\", \"resource_type\": \"t\", \"status\": \"PASS\", \"message\": \"none\"}\n}\n";
        let policy = policy(dir.path(), rego, None);
        let observations = judge(policy, failed("rds", "DescribeDBInstances")).await;
        assert_eq!(statuses(&observations), [Error]);
        assert!(observations[0].message.contains("DescribeDBInstances"));
    }

    #[tokio::test]
    async fn malformed_findings_are_errors_naming_the_policy_and_the_fault() {
        let dir = tempfile::tempdir().unwrap();
        let rego = "package org.rds_backups\n\nfindings contains f if {\n  some db in input.rds.instances.ok\n  f := {\"resource_id\": db.arn, \"resource_type\": \"t\", \"status\": \"OK\", \"message\": \"m\"}\n}\n";
        let policy = policy(dir.path(), rego, None);
        let observations = judge(policy, ok(vec![instance("orders", 14)])).await;
        assert_eq!(statuses(&observations), [Error]);
        let message = &observations[0].message;
        assert!(
            message.contains("p.rego") && message.contains("findings[0]") && message.contains("OK"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_runaway_policy_is_stopped_by_its_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        let rego = "package org.rds_backups\n\nfindings contains f if {\n  some db in input.rds.instances.ok\n  n := count([x | some a in numbers.range(1, 4000); some b in numbers.range(1, 4000); x := a * b])\n  f := {\"resource_id\": db.arn, \"resource_type\": \"t\", \"status\": \"PASS\", \"message\": sprintf(\"%d\", [n])}\n}\n";
        let policy = policy(dir.path(), rego, Some(200));
        let started = std::time::Instant::now();
        let observations = judge(policy, ok(vec![instance("orders", 14)])).await;
        assert_eq!(statuses(&observations), [Error]);
        assert!(
            observations[0].message.contains("failed"),
            "{}",
            observations[0].message
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}
