//! Check logic, one module per AWS service. A check is an async function of the
//! inventory that returns observations; it holds no AWS code.

pub mod acm;
pub mod autoscaling;
pub mod backup;
pub mod budgets;
pub mod ce;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod elasticache;
pub mod elbv2;
pub mod guardduty;
pub mod health;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod manual;
pub mod organizations;
mod policy;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod synthetics;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::{Attestation, Thresholds};
use crate::finding::{Observation, Resource};
use crate::inventory::{FetchError, Fetched, Inventory, PerResource};

/// What the team configured for the checks: thresholds and manual attestations.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub thresholds: Thresholds,
    pub attestations: Vec<Attestation>,
    /// Every account this run audits (all shards of an `--org` audit): a control that
    /// one of them owns for the others is judged there.
    pub audited_accounts: std::collections::BTreeSet<String>,
}

/// What a check runs with: the shared inventory, the rules, and for a regional check
/// the region it covers.
#[derive(Clone)]
pub struct CheckCtx {
    pub inventory: Arc<Inventory>,
    pub rules: Arc<Rules>,
    region: Option<String>,
}

impl CheckCtx {
    pub fn new(inventory: Arc<Inventory>, rules: Arc<Rules>, region: Option<String>) -> Self {
        CheckCtx {
            inventory,
            rules,
            region,
        }
    }

    /// The region of a regional check.
    pub fn region(&self) -> &str {
        self.region
            .as_deref()
            .expect("the runner gives every regional check its region")
    }

    /// The moment ages are measured from: when the inventory was read, so that a
    /// snapshot audited later gives the same answer.
    pub fn now(&self) -> DateTime<Utc> {
        self.inventory.as_of()
    }

    pub fn account(&self) -> Resource {
        Resource::account(self.inventory.account_id())
    }
}

/// One resource's outcome in a per-resource piece. A resource the piece does not
/// mention (a hand-edited snapshot) is unverified, not assumed fine.
pub fn lookup<'a, T>(piece: &'a Fetched<PerResource<T>>, key: &str) -> Result<&'a T, FetchError> {
    match piece {
        Fetched::Error(error) => Err(error.clone()),
        Fetched::Ok(map) => match map.get(key) {
            Some(Fetched::Ok(value)) => Ok(value),
            Some(Fetched::Error(error)) => Err(error.clone()),
            None => Err(FetchError::new(
                "inventory",
                "lookup",
                Some(key),
                "MissingResource",
                "the inventory has no data for this resource",
            )),
        },
    }
}

/// A regional listing, or the one ERROR that says why it is unknown.
pub fn listed<'a, T>(ctx: &CheckCtx, piece: &'a Fetched<T>) -> Result<&'a T, Vec<Observation>> {
    piece
        .as_result()
        .map_err(|error| vec![Observation::unverified(&ctx.account(), error)])
}

/// Judges each item of a regional listing: one ERROR when it could not be read, N/A
/// (saying `nothing`) when it is empty.
pub fn judge_each<T>(
    ctx: &CheckCtx,
    piece: &Fetched<Vec<T>>,
    nothing: impl FnOnce() -> String,
    judge: impl FnMut(&T) -> Observation,
) -> Vec<Observation> {
    match piece.as_result() {
        Err(error) => vec![Observation::unverified(&ctx.account(), error)],
        Ok(items) if items.is_empty() => {
            vec![Observation::not_applicable(&ctx.account(), nothing())]
        }
        Ok(items) => items.iter().map(judge).collect(),
    }
}

/// N/A when a check found nothing to judge, else its observations.
pub fn or_not_applicable(
    ctx: &CheckCtx,
    observations: Vec<Observation>,
    nothing: impl FnOnce() -> String,
) -> Vec<Observation> {
    if observations.is_empty() {
        vec![Observation::not_applicable(&ctx.account(), nothing())]
    } else {
        observations
    }
}

/// An ARN built from parts, for resources whose API answers name them only.
pub fn arn(ctx: &CheckCtx, service: &str, resource: &str) -> String {
    arn_of(ctx, ctx.inventory.account_id(), service, resource)
}

/// The same for a resource `account` owns (a VPC shared in with RAM; none, empty, for
/// EBS snapshots and AMIs, whose ARNs name no account).
pub fn arn_of(ctx: &CheckCtx, account: &str, service: &str, resource: &str) -> String {
    format!(
        "arn:{}:{service}:{}:{account}:{resource}",
        ctx.inventory.partition(),
        ctx.region(),
    )
}

/// Days between two instants, whole days rounded down.
pub fn days_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> i64 {
    (later - earlier).num_days()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds inventories from model values, as a snapshot would, for check tests.

    use std::sync::Arc;

    use chrono::{DateTime, TimeZone, Utc};

    use super::{CheckCtx, Rules};
    use crate::config::Thresholds;
    use crate::finding::{Observation, Status};
    use crate::inventory::{FetchError, Fetched, Inventory, InventoryData, Memo};

    pub const ACCOUNT: &str = "123456789012";
    pub const REGION: &str = "us-east-1";

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    pub fn days_ago(days: i64) -> Option<DateTime<Utc>> {
        Some(now() - chrono::Duration::days(days))
    }

    pub fn data() -> InventoryData {
        InventoryData::new(ACCOUNT, &[REGION.to_string()], now())
    }

    pub fn denied(service: &str, operation: &str) -> FetchError {
        FetchError::new(service, operation, None, "AccessDenied", "not authorized")
    }

    pub fn err<T>(service: &str, operation: &str) -> Fetched<T> {
        Fetched::Error(denied(service, operation))
    }

    /// Runs a check the way the runner does, in `REGION` when `regional`.
    pub async fn run<F, Fut>(data: InventoryData, regional: bool, check: F) -> Vec<Observation>
    where
        F: FnOnce(CheckCtx) -> Fut,
        Fut: std::future::Future<Output = Vec<Observation>>,
    {
        run_with(data, regional, Thresholds::default(), check).await
    }

    pub async fn run_with<F, Fut>(
        data: InventoryData,
        regional: bool,
        thresholds: Thresholds,
        check: F,
    ) -> Vec<Observation>
    where
        F: FnOnce(CheckCtx) -> Fut,
        Fut: std::future::Future<Output = Vec<Observation>>,
    {
        let rules = Rules {
            thresholds,
            ..Rules::default()
        };
        run_under(data, regional, rules, check).await
    }

    /// Runs a check under `rules` (attestations, the accounts of the run).
    pub async fn run_under<F, Fut>(
        data: InventoryData,
        regional: bool,
        rules: Rules,
        check: F,
    ) -> Vec<Observation>
    where
        F: FnOnce(CheckCtx) -> Fut,
        Fut: std::future::Future<Output = Vec<Observation>>,
    {
        let region = regional.then(|| REGION.to_string());
        let ctx = CheckCtx::new(Arc::new(Inventory::offline(data)), Arc::new(rules), region);
        check(ctx).await
    }

    /// The rules of a run that audits `accounts` too (`--org`, `--accounts`).
    pub fn auditing(accounts: &[&str]) -> Rules {
        Rules {
            audited_accounts: accounts.iter().map(|a| a.to_string()).collect(),
            ..Rules::default()
        }
    }

    /// A piece whose read was refused.
    pub fn failed<T>(service: &str, operation: &str) -> Memo<T> {
        Memo::ready(err(service, operation))
    }

    /// A piece read successfully.
    pub fn ok<T>(value: T) -> Memo<T> {
        Memo::ready(Fetched::Ok(value))
    }

    /// A per-resource piece whose every read succeeded.
    pub fn each<T>(
        entries: impl IntoIterator<Item = (impl Into<String>, T)>,
    ) -> Memo<crate::inventory::PerResource<T>> {
        ok(entries
            .into_iter()
            .map(|(key, value)| (key.into(), Fetched::Ok(value)))
            .collect())
    }

    /// The statuses of the observations about resources whose ids end with each suffix,
    /// in order: a compact assertion for wire-level tests.
    pub fn statuses_of(observations: &[Observation], suffixes: &[&str]) -> Vec<Status> {
        suffixes
            .iter()
            .map(|s| status_of(observations, s))
            .collect()
    }

    pub fn statuses(observations: &[Observation]) -> Vec<Status> {
        observations.iter().map(|o| o.status).collect()
    }

    /// The status of the observation about the resource whose id ends with `suffix`.
    pub fn status_of(observations: &[Observation], suffix: &str) -> Status {
        let matching: Vec<_> = observations
            .iter()
            .filter(|o| o.resource_id.ends_with(suffix))
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "expected one observation for *{suffix}, got {observations:#?}"
        );
        matching[0].status
    }
}
