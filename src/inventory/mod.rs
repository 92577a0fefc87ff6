//! The account as the checks see it: memoized, async accessors over our own model,
//! read from AWS on first use or loaded from a snapshot. Each piece is read at most
//! once per run, and only when a selected check asks for it.
//!
//! Each service keeps its pieces and accessors in its own file (`s3.rs`, ...), its
//! reads in `aws/<service>.rs` and its model in `crate::model::<service>`; this file
//! holds only what they share.

pub mod aws;
mod memo;
pub mod named;
pub mod regorus_value;
pub mod snapshot;

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
pub mod elb;
pub mod elbv2;
pub mod eventbridge;
pub mod fis;
pub mod guardduty;
pub mod health;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod organizations;
pub mod pipes;
pub mod rds;
pub mod s3;
pub mod scheduler;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod synthetics;
pub mod tagging;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::fetched::{FetchError, Fetched};
pub use memo::Memo;

use aws::{AuditedRegions, AwsReader, Connection};

/// One outcome per resource (bucket, trail, parameter group), keyed by its name or ARN.
pub type PerResource<T> = BTreeMap<String, Fetched<T>>;

/// Whether a piece (or a group of pieces) was never read: such parts are left out of
/// snapshots.
pub trait Unset {
    fn is_unset(&self) -> bool;
}

impl<T> Unset for Memo<T> {
    fn is_unset(&self) -> bool {
        Memo::is_unset(self)
    }
}

/// A group of pieces: a struct whose fields are `Memo`s (or groups), serialized
/// without the ones never read, rejecting unknown names in snapshots.
macro_rules! pieces {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(skip_serializing_if = "crate::inventory::Unset::is_unset")]
                pub $field: $ty,
            )*
        }

        impl crate::inventory::Unset for $name {
            fn is_unset(&self) -> bool {
                true $(&& crate::inventory::Unset::is_unset(&self.$field))*
            }
        }
    };
}
pub(crate) use pieces;

/// One declaration per AWS read: the piece, its typed accessor, how it is read, its IAM
/// actions and the pieces it reads first. A service's block opens with its IAM prefix
/// (`iam "dynamodb";`), then one entry per piece:
///
/// ```text
/// regional dynamodb_tables: Vec<String> = dynamodb.tables, "ListTables",
///     |_inventory, aws, region| aws.dynamodb_tables(region);
/// regional dynamodb_ttl: PerResource<TableTtl> = dynamodb.ttl, "DescribeTimeToLive",
///     each dynamodb_tables(Vec::clone) |aws, region, names| aws.dynamodb_ttl(region, names);
/// ```
///
/// - The operations the read calls, in the order it calls them (the last names the
///   piece's answer in errors); each is the IAM action `prefix:Operation`, unless
///   `grants [...]` lists the actions instead, for the operations whose IAM action AWS
///   names otherwise (`ListBuckets` is `s3:ListAllMyBuckets`).
/// - `each listing(names) |aws, region, chosen| read`: one read per resource `names`
///   picks from the `listing` accessor's value; a failed listing is this piece's error.
/// - `|inventory, aws, region| read` (`|inventory, aws|` for a global piece): any other
///   read; `after [accessor, ...]` names the pieces it reads first.
///
/// A piece's IAM actions are its own and those of the pieces it reads first, so a
/// listing's action is written once, in the listing's entry. The read runs at most
/// once; offline, a piece the snapshot lacks is an error. Besides the accessors, the
/// module gets `PIECES`: the same pieces by name, for what reads them by name (users'
/// policies, `orr inventory show`, the runner's early start, `orr iam-policy`).
macro_rules! accessors {
    (iam $iam:literal; $($entries:tt)*) => {
        crate::inventory::accessors!(@entry $iam [] $($entries)*);
    };
    (@entry $iam:literal [$($rows:tt)*]) => {
        /// This service's pieces by name.
        pub(crate) const PIECES: &[crate::inventory::named::Piece] = &[$($rows)*];
    };
    (@entry $iam:literal [$($rows:tt)*]
     $(#[$doc:meta])* regional $name:ident: $ty:ty = $service:ident.$field:ident,
     $($operation:literal)+ $(grants [$($grant:literal),+])?,
     each $listing:ident($names:expr) |$aws:ident, $region:ident, $chosen:ident| $read:expr;
     $($rest:tt)*) => {
        impl crate::inventory::Inventory {
            crate::inventory::accessor! {
                $(#[$doc])* regional $name: $ty = $service.$field, [$($operation)+],
                |inventory, $aws, $region| async move {
                    let listing = inventory.$listing($region).await;
                    crate::inventory::each_of(listing, $names, |$chosen| $read).await
                }
            }
        }
        crate::inventory::accessors!(@entry $iam [$($rows)*
            crate::inventory::named::piece!(regional $name: $ty, $service.$field,
                $iam [$($operation)+] [$($($grant)+)?] [$listing]),
        ] $($rest)*);
    };
    (@entry $iam:literal [$($rows:tt)*]
     $(#[$doc:meta])* $scope:ident $name:ident: $ty:ty = $service:ident.$field:ident,
     $($operation:literal)+ $(grants [$($grant:literal),+])? $(after [$($after:ident),+])?,
     |$($arg:ident),+| $read:expr;
     $($rest:tt)*) => {
        impl crate::inventory::Inventory {
            crate::inventory::accessor! {
                $(#[$doc])* $scope $name: $ty = $service.$field, [$($operation)+], |$($arg),+| $read
            }
        }
        crate::inventory::accessors!(@entry $iam [$($rows)*
            crate::inventory::named::piece!($scope $name: $ty, $service.$field,
                $iam [$($operation)+] [$($($grant)+)?] [$($($after)+)?]),
        ] $($rest)*);
    };
}
pub(crate) use accessors;

/// One accessor of `accessors!`.
macro_rules! accessor {
    ($(#[$doc:meta])* global $name:ident: $ty:ty = $service:ident.$field:ident, [$($operation:literal)+],
     |$inventory:ident, $aws:ident| $read:expr) => {
        $(#[$doc])*
        pub async fn $name(&self) -> &crate::inventory::Fetched<$ty> {
            let $inventory = self;
            let memo = &self.data.global.$service.$field;
            let piece = concat!(stringify!($service), ".", stringify!($field));
            let operation = crate::inventory::named::answering(&[$($operation),+]);
            self.read(memo, piece, operation, |$aws| $read).await
        }
    };
    ($(#[$doc:meta])* regional $name:ident: $ty:ty = $service:ident.$field:ident, [$($operation:literal)+],
     |$inventory:ident, $aws:ident, $region:ident| $read:expr) => {
        $(#[$doc])*
        pub async fn $name<'a>(&'a self, $region: &'a str) -> &'a crate::inventory::Fetched<$ty> {
            let $inventory = self;
            let memo = &self.region($region).$service.$field;
            let piece = concat!(stringify!($service), ".", stringify!($field));
            let operation = crate::inventory::named::answering(&[$($operation),+]);
            self.read(memo, piece, operation, |$aws| $read).await
        }
    };
}
pub(crate) use accessor;

pieces! {
    /// Account-wide pieces: read once whatever the regions.
    pub struct GlobalPieces {
        acm: acm::AcmGlobal,
        budgets: budgets::BudgetsGlobal,
        ce: ce::CeGlobal,
        cloudtrail: cloudtrail::CloudTrailGlobal,
        cloudwatch: cloudwatch::CloudWatchGlobal,
        ec2: ec2::Ec2Global,
        health: health::HealthGlobal,
        iam: iam::IamGlobal,
        organizations: organizations::OrganizationsGlobal,
        rds: rds::RdsGlobal,
        s3: s3::S3Global,
    }
}

pieces! {
    /// Pieces read per audited region.
    pub struct RegionPieces {
        acm: acm::AcmRegional,
        autoscaling: autoscaling::AutoScalingRegional,
        backup: backup::BackupRegional,
        cloudtrail: cloudtrail::CloudTrailRegional,
        cloudwatch: cloudwatch::CloudWatchRegional,
        config: config::ConfigRegional,
        dynamodb: dynamodb::DynamoDbRegional,
        ec2: ec2::Ec2Regional,
        ecs: ecs::EcsRegional,
        elasticache: elasticache::ElastiCacheRegional,
        elb: elb::ElbRegional,
        elbv2: elbv2::Elbv2Regional,
        eventbridge: eventbridge::EventBridgeRegional,
        fis: fis::FisRegional,
        guardduty: guardduty::GuardDutyRegional,
        kms: kms::KmsRegional,
        lambda: lambda::LambdaRegional,
        logs: logs::LogsRegional,
        pipes: pipes::PipesRegional,
        rds: rds::RdsRegional,
        s3: s3::S3Regional,
        scheduler: scheduler::SchedulerRegional,
        secretsmanager: secretsmanager::SecretsManagerRegional,
        securityhub: securityhub::SecurityHubRegional,
        sns: sns::SnsRegional,
        sqs: sqs::SqsRegional,
        synthetics: synthetics::SyntheticsRegional,
        tagging: tagging::TaggingRegional,
    }
}

/// Everything an inventory holds; written as is by `orr collect`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryData {
    pub format: String,
    pub schema_version: u32,
    pub tool_version: String,
    pub account_id: String,
    /// When the data was read: the moment age-based checks measure from.
    pub collected_at: DateTime<Utc>,
    /// The identity that read it (`sts GetCallerIdentity`), for the evidence trail.
    #[serde(default)]
    pub collected_by: Option<String>,
    pub regions: Vec<String>,
    /// Regions `--all-regions` left out, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_regions: Vec<String>,
    /// The account's name in its organization, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// The role assumed to read it, when it was not the caller's own account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub global: GlobalPieces,
    #[serde(default)]
    pub regional: BTreeMap<String, RegionPieces>,
}

impl InventoryData {
    pub fn new(account_id: &str, regions: &[String], collected_at: DateTime<Utc>) -> Self {
        InventoryData {
            format: snapshot::FORMAT.to_string(),
            schema_version: snapshot::SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            account_id: account_id.to_string(),
            collected_at,
            collected_by: None,
            regions: regions.to_vec(),
            skipped_regions: Vec::new(),
            account_name: None,
            role_arn: None,
            global: GlobalPieces::default(),
            regional: regions
                .iter()
                .map(|r| (r.clone(), RegionPieces::default()))
                .collect(),
        }
    }

    /// Snapshots from before every bucket was judged in its own region kept bucket
    /// settings per audited region: they become the account's pieces.
    fn move_bucket_settings_to_the_account(&mut self) {
        let buckets: Vec<(String, String)> = match self.global.s3.buckets.get() {
            Some(Fetched::Ok(buckets)) => buckets
                .iter()
                .filter_map(|b| Some((b.name.clone(), b.region.as_result().ok()?.clone())))
                .collect(),
            _ => Vec::new(),
        };
        for (region, pieces) in &mut self.regional {
            let here: Vec<String> = buckets
                .iter()
                .filter(|(_, home)| home == region)
                .map(|(name, _)| name.clone())
                .collect();
            pieces.s3.move_into(&mut self.global.s3, &here);
        }
    }

    /// The pieces of `region`, created empty if absent (for tests and hand-built data).
    pub fn region_mut(&mut self, region: &str) -> &mut RegionPieces {
        self.regional.entry(region.to_string()).or_default()
    }
}

pub struct Inventory {
    reader: Option<Arc<AwsReader>>,
    data: InventoryData,
    /// Which pieces the checks asked for: tests hold each check's declared inputs to it.
    #[cfg(test)]
    pieces_read: std::sync::Mutex<std::collections::BTreeSet<&'static str>>,
}

impl Inventory {
    /// Reads from AWS on demand, through a verified connection; `account_name` and
    /// `role_arn` (the role assumed, if any) go into the evidence.
    pub fn live(
        connection: &Connection,
        regions: AuditedRegions,
        account_name: Option<String>,
        role_arn: Option<String>,
    ) -> Self {
        let mut data = InventoryData::new(&connection.account_id, &regions.regions, Utc::now());
        data.collected_by = Some(connection.caller_arn.clone());
        data.skipped_regions = regions.skipped;
        data.account_name = account_name;
        data.role_arn = role_arn;
        Inventory {
            reader: Some(connection.reader.clone()),
            data,
            #[cfg(test)]
            pieces_read: Default::default(),
        }
    }

    /// Answers only from `data`; a piece it lacks is an ERROR, never a guess.
    pub fn offline(mut data: InventoryData) -> Self {
        for region in data.regions.clone() {
            data.region_mut(&region);
        }
        data.move_bucket_settings_to_the_account();
        Inventory {
            reader: None,
            data,
            #[cfg(test)]
            pieces_read: Default::default(),
        }
    }

    pub fn account_id(&self) -> &str {
        &self.data.account_id
    }

    /// Whether it reads from AWS (rather than a snapshot).
    pub fn is_live(&self) -> bool {
        self.reader.is_some()
    }

    /// The run's request counter, shared by every account's reader; none offline.
    pub fn requests_counter(&self) -> Option<Arc<aws::Requests>> {
        self.reader.as_ref().map(|reader| reader.requests())
    }

    pub fn regions(&self) -> &[String] {
        &self.data.regions
    }

    pub fn as_of(&self) -> DateTime<Utc> {
        self.data.collected_at
    }

    /// The pieces asked for so far, by name.
    #[cfg(test)]
    pub fn pieces_read(&self) -> std::collections::BTreeSet<&'static str> {
        self.pieces_read
            .lock()
            .expect("the set of pieces read is never poisoned")
            .clone()
    }

    pub fn data(&self) -> &InventoryData {
        &self.data
    }

    /// The partition the account is in (`aws`, `aws-cn`, `aws-us-gov`), for the ARNs
    /// built from ids: the caller's ARN says it, else the audited regions' names.
    pub fn partition(&self) -> &str {
        self.data
            .collected_by
            .as_deref()
            .and_then(crate::model::partition_of)
            .unwrap_or_else(|| crate::model::partition_of_region(self.home_region()))
    }

    /// Where account-wide requests go: the first audited region.
    pub fn home_region(&self) -> &str {
        &self.data.regions[0]
    }

    fn region(&self, region: &str) -> &RegionPieces {
        self.data
            .regional
            .get(region)
            .expect("checks run only in audited regions, each of which has its pieces")
    }

    /// `piece` is `service.field`.
    async fn read<'a, T, Fut>(
        &'a self,
        memo: &'a Memo<T>,
        piece: &'static str,
        operation: &'static str,
        fetch: impl FnOnce(&'a AwsReader) -> Fut,
    ) -> &'a Fetched<T>
    where
        Fut: Future<Output = Fetched<T>> + 'a,
    {
        #[cfg(test)]
        self.pieces_read
            .lock()
            .expect("the set of pieces read is never poisoned")
            .insert(piece);
        let service = piece.split('.').next().unwrap_or(piece);
        memo.get_or_fetch(|| async move {
            match &self.reader {
                Some(reader) => fetch(reader).await,
                None => Fetched::Error(FetchError::missing_from_snapshot(service, operation)),
            }
        })
        .await
    }
}

/// Runs `read` on the value of `first` once it is known: a read that depends on
/// another (parameters of the instances' groups, attributes of listed queues).
pub(crate) async fn then<'a, A, T, Fut>(
    first: &'a Fetched<A>,
    read: impl FnOnce(&'a A) -> Fut,
) -> Fetched<T>
where
    Fut: Future<Output = Fetched<T>>,
{
    match first {
        Fetched::Ok(value) => read(value).await,
        Fetched::Error(error) => Fetched::Error(error.clone()),
    }
}

/// A per-resource read over what another piece lists: `names` picks the resources
/// from that piece, `read` reads each; a listing that failed is this read's error too.
pub(crate) async fn each_of<'a, A, T, Fut>(
    listing: &'a Fetched<A>,
    names: impl FnOnce(&'a A) -> Vec<String>,
    read: impl FnOnce(Vec<String>) -> Fut,
) -> Fetched<PerResource<T>>
where
    Fut: Future<Output = PerResource<T>>,
{
    then(listing, |value| async move {
        Fetched::Ok(read(names(value)).await)
    })
    .await
}

/// Sorted, without repeats.
pub(crate) fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names.dedup();
    names
}
