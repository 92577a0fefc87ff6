use serde_json::{json, Value};

use super::ec2::elsewhere;
use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::rds::SNAPSHOT_ATTRIBUTE_READS_PER_REGION;
use crate::inventory::Fetched;
use crate::model::rds::{
    is_oracle, is_rds_custom, performance_insights_unsupported, restorable_by_anyone, DbCluster,
    DbInstance, DbOption, Parameters, RegionDbSnapshots, CLUSTER_SNAPSHOT, PARAMETERS_IN_SYNC,
};
use crate::verdict::count;

const INSTANCE: &str = "AWS::RDS::DBInstance";
const CLUSTER: &str = "AWS::RDS::DBCluster";
const SNAPSHOT_TYPE: &str = "AWS::RDS::DBSnapshot";
const CLUSTER_SNAPSHOT_TYPE: &str = "AWS::RDS::DBClusterSnapshot";

fn instance_resource(instance: &DbInstance) -> Resource {
    Resource::new(INSTANCE, instance.arn.clone())
}

fn cluster_resource(cluster: &DbCluster) -> Resource {
    Resource::new(CLUSTER, cluster.arn.clone())
}

/// A database whose storage, backup and availability settings are its own: a
/// stand-alone instance, or a cluster (whose member instances inherit them).
enum Database<'a> {
    Instance(&'a DbInstance),
    Cluster(&'a DbCluster),
}

impl Database<'_> {
    fn resource(&self) -> Resource {
        match self {
            Database::Instance(i) => instance_resource(i),
            Database::Cluster(c) => cluster_resource(c),
        }
    }

    fn storage_encrypted(&self) -> bool {
        match self {
            Database::Instance(i) => i.storage_encrypted,
            Database::Cluster(c) => c.storage_encrypted,
        }
    }

    fn deletion_protection(&self) -> bool {
        match self {
            Database::Instance(i) => i.deletion_protection,
            Database::Cluster(c) => c.deletion_protection,
        }
    }

    fn backup_retention_days(&self) -> i32 {
        match self {
            Database::Instance(i) => i.backup_retention_days,
            Database::Cluster(c) => c.backup_retention_days,
        }
    }

    fn multi_az(&self) -> bool {
        match self {
            Database::Instance(i) => i.multi_az,
            Database::Cluster(c) => c.multi_az,
        }
    }
}

/// The region's stand-alone instances and clusters; a read that failed becomes an
/// ERROR observation in place of the databases it would have listed.
async fn databases(ctx: &CheckCtx) -> (Vec<Database<'_>>, Vec<Observation>) {
    let region = ctx.region();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    match ctx.inventory.rds_instances(region).await.as_result() {
        Ok(instances) => found.extend(
            instances
                .iter()
                .filter(|i| i.cluster_id.is_none())
                .map(Database::Instance),
        ),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    match ctx.inventory.rds_clusters(region).await.as_result() {
        Ok(clusters) => found.extend(clusters.iter().map(Database::Cluster)),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    (found, errors)
}

/// Judges every database of the region with `rule`: (passes, message, evidence), or
/// the reason the control does not apply to it.
async fn judge_databases(
    ctx: &CheckCtx,
    rule: impl Fn(&Database) -> Result<(bool, String, Value), String>,
) -> Vec<Observation> {
    let (found, mut observations) = databases(ctx).await;
    if found.is_empty() && observations.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("no RDS DB instances or clusters in {}", ctx.region()),
        )];
    }
    for database in &found {
        observations.push(match rule(database) {
            Ok((ok, message, evidence)) => {
                Observation::judge(ok, &database.resource(), message, evidence)
            }
            Err(reason) => Observation::not_applicable(&database.resource(), reason),
        });
    }
    observations
}

/// The source a read replica's backups and availability belong to.
fn replica_of<'a>(database: &'a Database) -> Option<&'a str> {
    match database {
        Database::Instance(i) => i.read_replica_source.as_deref(),
        Database::Cluster(_) => None,
    }
}

/// Every instance of the region, Aurora members included (their network exposure and
/// monitoring are per instance).
async fn instances(ctx: &CheckCtx) -> Result<&[DbInstance], Vec<Observation>> {
    let region = ctx.region();
    match ctx.inventory.rds_instances(region).await.as_result() {
        Err(error) => Err(vec![Observation::unverified(&ctx.account(), error)]),
        Ok(instances) if instances.is_empty() => Err(vec![Observation::not_applicable(
            &ctx.account(),
            format!("no RDS DB instances in {region}"),
        )]),
        Ok(instances) => Ok(instances),
    }
}

pub async fn storage_encrypted(ctx: CheckCtx) -> Vec<Observation> {
    judge_databases(&ctx, |db| {
        let on = db.storage_encrypted();
        let message = if on {
            "storage encrypted at rest"
        } else {
            "storage is not encrypted"
        };
        Ok((on, message.to_string(), json!({ "storage_encrypted": on })))
    })
    .await
}

pub async fn deletion_protection(ctx: CheckCtx) -> Vec<Observation> {
    judge_databases(&ctx, |db| {
        let on = db.deletion_protection();
        let message = if on {
            "deletion protection on"
        } else {
            "deletion protection off"
        };
        Ok((
            on,
            message.to_string(),
            json!({ "deletion_protection": on }),
        ))
    })
    .await
}

pub async fn multi_az(ctx: CheckCtx) -> Vec<Observation> {
    judge_databases(&ctx, |db| {
        if let Some(source) = replica_of(db) {
            return Err(format!(
                "read replica of {source}: the source's availability is judged, and promoting the replica is its recovery path"
            ));
        }
        let on = db.multi_az();
        let message = if on {
            "Multi-AZ"
        } else {
            "single-AZ: an AZ outage takes it down"
        };
        Ok((on, message.to_string(), json!({ "multi_az": on })))
    })
    .await
}

pub async fn backup_retention(ctx: CheckCtx) -> Vec<Observation> {
    let minimum = ctx.rules.thresholds.rds.backup_retention_days;
    judge_databases(&ctx, |db| {
        if let Some(source) = replica_of(db) {
            return Err(format!(
                "read replica of {source}: its data is backed up through the source (RDS for PostgreSQL replicas cannot keep automated backups)"
            ));
        }
        let days = db.backup_retention_days();
        let message = match days {
            0 => "automated backups are disabled".to_string(),
            d if d < minimum => format!(
                "backups kept {} (minimum {minimum})",
                count(d.into(), "day")
            ),
            d => format!("backups kept {}", count(d.into(), "day")),
        };
        Ok((
            days >= minimum,
            message,
            json!({ "backup_retention_days": days, "minimum_days": minimum }),
        ))
    })
    .await
}

pub async fn not_public(ctx: CheckCtx) -> Vec<Observation> {
    let instances = match instances(&ctx).await {
        Ok(instances) => instances,
        Err(observations) => return observations,
    };
    instances
        .iter()
        .map(|instance| {
            let public = instance.publicly_accessible;
            Observation::judge(
                !public,
                &instance_resource(instance),
                if public {
                    "publicly accessible: reachable from the internet where its security groups allow"
                } else {
                    "not publicly accessible"
                },
                json!({ "publicly_accessible": public }),
            )
        })
        .collect()
}

pub async fn performance_insights(ctx: CheckCtx) -> Vec<Observation> {
    let instances = match instances(&ctx).await {
        Ok(instances) => instances,
        Err(observations) => return observations,
    };
    let minimum = ctx.rules.thresholds.rds.performance_insights_retention_days;
    instances
        .iter()
        .map(|instance| {
            let resource = instance_resource(instance);
            let evidence = json!({
                "performance_insights_enabled": instance.performance_insights_enabled,
                "retention_days": instance.performance_insights_retention_days,
                "minimum_retention_days": minimum,
            });
            let unsupported = instance.instance_class.as_deref().and_then(|class| {
                performance_insights_unsupported(&instance.engine, class).map(|why| (class, why))
            });
            if let Some((class, why)) = unsupported {
                return Observation::not_applicable(
                    &resource,
                    format!("{} on {class}: {why}", instance.engine),
                );
            }
            match (
                instance.performance_insights_enabled,
                instance.performance_insights_retention_days,
            ) {
                (None, _) => Observation::cannot_judge(
                    &resource,
                    "RDS did not report PerformanceInsightsEnabled",
                    evidence,
                ),
                (Some(false), _) => {
                    Observation::fail(&resource, "Performance Insights is off", evidence)
                }
                (Some(true), None) => Observation::cannot_judge(
                    &resource,
                    "RDS did not report the Performance Insights retention period",
                    evidence,
                ),
                (Some(true), Some(days)) => Observation::judge(
                    days >= minimum,
                    &resource,
                    format!(
                        "Performance Insights on, retention {} (minimum {minimum})",
                        count(days.into(), "day")
                    ),
                    evidence,
                ),
            }
        })
        .collect()
}

pub async fn enhanced_monitoring(ctx: CheckCtx) -> Vec<Observation> {
    let instances = match instances(&ctx).await {
        Ok(instances) => instances,
        Err(observations) => return observations,
    };
    let maximum = ctx
        .rules
        .thresholds
        .rds
        .enhanced_monitoring_max_interval_secs;
    instances
        .iter()
        .map(|instance| {
            let resource = instance_resource(instance);
            let evidence = json!({
                "monitoring_interval_secs": instance.monitoring_interval_secs,
                "maximum_interval_secs": maximum,
            });
            match instance.monitoring_interval_secs {
                None => Observation::cannot_judge(
                    &resource,
                    "RDS did not report MonitoringInterval",
                    evidence,
                ),
                Some(0) => Observation::fail(&resource, "enhanced monitoring is off", evidence),
                Some(secs) => Observation::judge(
                    secs <= maximum,
                    &resource,
                    format!("enhanced monitoring every {secs} s (at most {maximum} s)"),
                    evidence,
                ),
            }
        })
        .collect()
}

/// Whether TLS is forced, from the parameter group's effective value. Stand-alone
/// instances are judged on their DB parameter group, Aurora on its cluster group.
pub async fn force_ssl(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let (found, mut observations) = databases(&ctx).await;
    if found.is_empty() && observations.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("no RDS DB instances or clusters in {region}"),
        )];
    }
    for database in found {
        let (resource, engine, version, group, groups, in_effect) = match &database {
            Database::Instance(i) => (
                instance_resource(i),
                &i.engine,
                &i.engine_version,
                &i.parameter_group,
                ctx.inventory.rds_parameters(region).await,
                InEffect::Reported(i.parameter_apply_status.as_deref()),
            ),
            Database::Cluster(c) => (
                cluster_resource(c),
                &c.engine,
                &c.engine_version,
                &c.parameter_group,
                ctx.inventory.rds_cluster_parameters(region).await,
                InEffect::Dynamic,
            ),
        };
        if is_rds_custom(engine) {
            observations.push(Observation::not_applicable(
                &resource,
                format!("RDS Custom ({engine}): TLS is configured on the database host you manage, not through RDS's groups; verify it there"),
            ));
            continue;
        }
        if let (Database::Instance(instance), true) = (&database, is_oracle(engine)) {
            let options = ctx.inventory.rds_option_groups(region).await;
            observations.push(oracle_encryption(&resource, instance, options));
            continue;
        }
        let Some(rule) = TlsRule::for_engine(engine, version) else {
            observations.push(Observation::cannot_judge(
                &resource,
                format!("orr does not know how engine {engine} forces TLS; verify it by hand"),
                json!({ "engine": engine }),
            ));
            continue;
        };
        let Some(group) = group else {
            observations.push(Observation::cannot_judge(
                &resource,
                "RDS reported no parameter group",
                json!({ "engine": engine }),
            ));
            continue;
        };
        match lookup(groups, group) {
            Err(error) => observations.push(Observation::unverified(&resource, &error)),
            Ok(parameters) => {
                observations.push(rule.judge(&resource, group, parameters, in_effect))
            }
        }
    }
    observations
}

/// The option that makes RDS for Oracle refuse unencrypted connections, and its setting.
const ORACLE_NNE: &str = "NATIVE_NETWORK_ENCRYPTION";
const ORACLE_NNE_SERVER: &str = "SQLNET.ENCRYPTION_SERVER";
const ORACLE_SSL: &str = "SSL";

/// RDS for Oracle encrypts connections through options, not parameters: native
/// network encryption with `SQLNET.ENCRYPTION_SERVER = REQUIRED` refuses unencrypted
/// sessions. The `SSL` option adds a TLS listener on its own port, but the plaintext
/// listener stays open, so it alone does not force encryption.
fn oracle_encryption(
    resource: &Resource,
    instance: &DbInstance,
    groups: &crate::inventory::Fetched<crate::inventory::PerResource<Vec<DbOption>>>,
) -> Observation {
    let mut options = Vec::new();
    for group in &instance.option_groups {
        match lookup(groups, group) {
            Ok(found) => options.extend(found.iter()),
            Err(error) => return Observation::unverified(resource, &error),
        }
    }
    let required = options.iter().any(|o| {
        o.name == ORACLE_NNE
            && o.settings
                .get(ORACLE_NNE_SERVER)
                .is_some_and(|v| v.eq_ignore_ascii_case("REQUIRED"))
    });
    let ssl = options.iter().any(|o| o.name == ORACLE_SSL);
    let evidence = json!({ "option_groups": instance.option_groups, "options": options });
    let message = if required {
        format!("{ORACLE_NNE} requires encryption ({ORACLE_NNE_SERVER}=REQUIRED)")
    } else if ssl {
        format!("the {ORACLE_SSL} option adds a TLS listener, but the plaintext listener stays open: set {ORACLE_NNE} with {ORACLE_NNE_SERVER}=REQUIRED")
    } else {
        format!("no option forces encryption: set {ORACLE_NNE} with {ORACLE_NNE_SERVER}=REQUIRED (or add the {ORACLE_SSL} option and close the plaintext port)")
    };
    Observation::judge(required, resource, message, evidence)
}

/// Whether a parameter group's values are in effect on the database.
#[derive(Clone, Copy)]
enum InEffect<'a> {
    /// An instance's group, with the `ParameterApplyStatus` RDS reported (`None`: not
    /// reported). The status describes the whole group: a static parameter (SQL
    /// Server's `rds.force_ssl`, Db2's `db2comm`) takes effect only at the next reboot,
    /// and until then the status is `pending-reboot` and the database runs with the
    /// values it had; a dynamic one applies at once, whatever the status (which another,
    /// static, parameter of the group may hold at `pending-reboot`).
    Reported(Option<&'a str>),
    /// A cluster's group: Aurora's TLS parameters are dynamic, applied as they change.
    Dynamic,
}

/// Which parameter forces TLS for an engine, the value that forces it, and whether the
/// engine's default parameter group already does.
struct TlsRule {
    parameter: &'static str,
    forced: fn(&str) -> bool,
    /// The value in the engine's default parameter group.
    default_value: &'static str,
    /// The parameter's `ApplyType` (DescribeDBParameters): a static parameter applies
    /// only after a reboot, so it counts only while the group is `in-sync`; a dynamic
    /// one applies as it is set.
    apply: ApplyType,
}

/// A parameter's `ApplyType`, as the RDS user guide documents it for each TLS
/// parameter (orr's parameter reads keep values only, not `ApplyType`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum ApplyType {
    Static,
    Dynamic,
}

impl ApplyType {
    fn as_str(self) -> &'static str {
        match self {
            ApplyType::Static => "static",
            ApplyType::Dynamic => "dynamic",
        }
    }
}

/// `1`, `ON` or `true`: a boolean parameter switched on.
fn switched_on(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "1" | "on" | "true")
}

/// `SSL` alone: Db2 accepts TLS connections only (`TCPIP` or `TCPIP,SSL` keep plaintext).
fn ssl_only(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("SSL")
}

/// Major and minor of an engine version (`11.8.2` -> (11, 8)).
fn major_minor(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

impl TlsRule {
    fn for_engine(engine: &str, version: &str) -> Option<TlsRule> {
        let version = major_minor(version);
        let boolean = |parameter, default_on: bool, apply| {
            Some(TlsRule {
                parameter,
                forced: switched_on,
                default_value: if default_on { "1" } else { "0" },
                apply,
            })
        };
        use ApplyType::{Dynamic, Static};
        match engine {
            // PostgreSQL 15 and later default rds.force_ssl to 1; it applies without a
            // reboot.
            "postgres" => boolean("rds.force_ssl", version >= (15, 0), Dynamic),
            "aurora-postgresql" => boolean("rds.force_ssl", false, Dynamic),
            // SQL Server's rds.force_ssl is static: it applies at the next reboot.
            e if e.starts_with("sqlserver") => boolean("rds.force_ssl", false, Static),
            // RDS for MariaDB 11.8 and MySQL 9.7 default require_secure_transport to ON;
            // it applies without a reboot.
            "mariadb" => boolean("require_secure_transport", version >= (11, 8), Dynamic),
            "mysql" => boolean("require_secure_transport", version >= (9, 7), Dynamic),
            "aurora-mysql" | "aurora" => boolean("require_secure_transport", false, Dynamic),
            // DB2COMM is read when the Db2 instance starts: static.
            e if e.starts_with("db2") => Some(TlsRule {
                parameter: "db2comm",
                forced: ssl_only,
                default_value: "TCPIP",
                apply: Static,
            }),
            _ => None,
        }
    }

    fn judge(
        &self,
        resource: &Resource,
        group: &str,
        parameters: &Parameters,
        in_effect: InEffect,
    ) -> Observation {
        let explicit = parameters.get(self.parameter).cloned().flatten();
        let on = match explicit.as_deref() {
            Some(value) => (self.forced)(value),
            None => (self.forced)(self.default_value),
        };
        let source = if explicit.is_some() {
            "set in"
        } else {
            "engine default of"
        };
        let shown = explicit.as_deref().unwrap_or(self.default_value);
        let setting = format!("{}={shown} ({source} {group})", self.parameter);
        let apply_status = match in_effect {
            InEffect::Reported(status) => status,
            InEffect::Dynamic => None,
        };
        let evidence = json!({
            "parameter_group": group,
            "parameter": self.parameter,
            "value": explicit,
            "engine_default": self.default_value,
            "effective_on": on,
            "parameter_apply_status": apply_status,
            "apply_type": self.apply.as_str(),
        });
        match (on, in_effect) {
            (false, _) | (true, InEffect::Dynamic) => {
                Observation::judge(on, resource, setting, evidence)
            }
            // A dynamic parameter is in effect as set, whatever the group's status.
            (true, InEffect::Reported(_)) if self.apply == ApplyType::Dynamic => {
                Observation::pass(resource, setting, evidence)
            }
            (true, InEffect::Reported(Some(PARAMETERS_IN_SYNC))) => {
                Observation::pass(resource, setting, evidence)
            }
            (true, InEffect::Reported(Some(status))) => Observation::fail(
                resource,
                format!("{setting} is not in effect: the group is {status} and {} is static (it applies only after a reboot), so plaintext connections are still accepted", self.parameter),
                evidence,
            ),
            (true, InEffect::Reported(None)) => Observation::cannot_judge(
                resource,
                format!("{setting}, but {} is static and RDS did not report whether the group is in effect (ParameterApplyStatus)", self.parameter),
                evidence,
            ),
        }
    }
}

/// A public manual snapshot can be restored by any AWS account: the whole database,
/// readable (an unencrypted one outright). Every enabled region is read: a public
/// snapshot in a region nobody audits is exposed all the same.
pub async fn no_public_snapshots(ctx: CheckCtx) -> Vec<Observation> {
    let swept = match listed(&ctx, ctx.inventory.rds_snapshots_everywhere().await) {
        Ok(swept) => swept,
        Err(errors) => return errors,
    };
    let mut observations = Vec::new();
    for (region, found) in swept {
        match found {
            Fetched::Error(error) => {
                observations.push(Observation::unverified(&ctx.account(), error).in_region(region))
            }
            Fetched::Ok(found) => observations.extend(region_snapshots(&ctx, region, found)),
        }
    }
    or_not_applicable(&ctx, observations, || {
        "the account owns no manual RDS snapshot in any enabled region".to_string()
    })
}

/// One region's snapshots judged, and one ERROR naming those left unread by the bound.
fn region_snapshots(ctx: &CheckCtx, region: &str, found: &RegionDbSnapshots) -> Vec<Observation> {
    let at = elsewhere(ctx, region);
    let mut observations: Vec<Observation> = found
        .snapshots
        .iter()
        .filter(|snapshot| !found.unread.contains(&snapshot.arn))
        .map(|snapshot| {
            let kind = if snapshot.kind == CLUSTER_SNAPSHOT {
                CLUSTER_SNAPSHOT_TYPE
            } else {
                SNAPSHOT_TYPE
            };
            let resource = Resource::new(kind, snapshot.arn.clone());
            let observation = match found.restore.get(&snapshot.arn) {
                Some(Fetched::Error(error)) => Observation::unverified(&resource, error),
                None => Observation::cannot_judge(
                    &resource,
                    format!(
                        "{} snapshot {}{at}: the inventory has no restore attribute for it",
                        snapshot.kind, snapshot.id
                    ),
                    json!({}),
                ),
                Some(Fetched::Ok(accounts)) => {
                    let public = restorable_by_anyone(accounts);
                    let message = if public {
                        format!(
                            "{} snapshot {}{at} is public: any AWS account can restore it",
                            snapshot.kind, snapshot.id
                        )
                    } else {
                        format!(
                            "{} snapshot {}{at} is not public",
                            snapshot.kind, snapshot.id
                        )
                    };
                    Observation::judge(
                        !public,
                        &resource,
                        message,
                        json!({ "restore": accounts, "encrypted": snapshot.encrypted }),
                    )
                }
            };
            observation.in_region(region)
        })
        .collect();
    if !found.unread.is_empty() {
        observations.push(
            Observation::cannot_judge(
                &ctx.account(),
                format!(
                    "{} of the {} manual RDS snapshots in {region} were not checked: orr reads the restore attribute of at most {SNAPSHOT_ATTRIBUTE_READS_PER_REGION} a region",
                    found.unread.len(),
                    found.snapshots.len()
                ),
                json!({ "unread": found.unread }),
            )
            .in_region(region),
        );
    }
    observations
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::config::Thresholds;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo, RegionPieces};
    use crate::model::rds::DbOption;

    pub(crate) fn instance(id: &str) -> DbInstance {
        DbInstance {
            id: id.to_string(),
            arn: format!("arn:aws:rds:us-east-1:{ACCOUNT}:db:{id}"),
            engine: "postgres".into(),
            engine_version: "16.3".into(),
            cluster_id: None,
            storage_encrypted: true,
            publicly_accessible: false,
            multi_az: true,
            deletion_protection: true,
            backup_retention_days: 7,
            parameter_group: Some(format!("{id}-params")),
            parameter_apply_status: Some(PARAMETERS_IN_SYNC.into()),
            instance_class: Some("db.r6g.large".into()),
            performance_insights_enabled: Some(true),
            performance_insights_retention_days: Some(7),
            monitoring_interval_secs: Some(60),
            read_replica_source: None,
            option_groups: vec![],
            ..DbInstance::default()
        }
    }

    fn cluster(id: &str) -> DbCluster {
        DbCluster {
            id: id.to_string(),
            arn: format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{id}"),
            engine: "aurora-postgresql".into(),
            engine_version: "16.2".into(),
            storage_encrypted: true,
            multi_az: true,
            deletion_protection: true,
            backup_retention_days: 14,
            parameter_group: Some(format!("{id}-cluster-params")),
            ..DbCluster::default()
        }
    }

    fn account(instances: Vec<DbInstance>, clusters: Vec<DbCluster>) -> InventoryData {
        let mut data = data();
        let pieces: &mut RegionPieces = data.regional.get_mut(REGION).unwrap();
        pieces.rds.instances = Memo::ready(Fetched::Ok(instances));
        pieces.rds.clusters = Memo::ready(Fetched::Ok(clusters));
        data
    }

    #[tokio::test]
    async fn storage_encryption_covers_instances_and_clusters_not_members() {
        let mut plain = instance("plain");
        plain.storage_encrypted = false;
        let mut member = instance("member");
        member.cluster_id = Some("aurora".into());
        member.storage_encrypted = false;
        let mut open_cluster = cluster("open");
        open_cluster.storage_encrypted = false;
        let data = account(
            vec![instance("good"), plain, member],
            vec![cluster("aurora"), open_cluster],
        );
        let found = run(data, true, storage_encrypted).await;
        assert_eq!(
            found.len(),
            4,
            "the Aurora member is judged through its cluster"
        );
        assert_eq!(status_of(&found, "db:good"), Status::Pass);
        assert_eq!(status_of(&found, "db:plain"), Status::Fail);
        assert_eq!(status_of(&found, "cluster:aurora"), Status::Pass);
        assert_eq!(status_of(&found, "cluster:open"), Status::Fail);
    }

    #[tokio::test]
    async fn an_unreadable_list_is_an_error_and_an_empty_region_not_applicable() {
        let mut data = account(vec![instance("good")], vec![]);
        data.regional.get_mut(REGION).unwrap().rds.clusters =
            Memo::ready(err("rds", "DescribeDBClusters"));
        let found = run(data, true, deletion_protection).await;
        assert_eq!(statuses(&found), [Status::Error, Status::Pass]);

        let found = run(account(vec![], vec![]), true, deletion_protection).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);
        let found = run(account(vec![], vec![]), true, not_public).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);
    }

    #[tokio::test]
    async fn public_multi_az_and_deletion_protection() {
        let mut public = instance("public");
        public.publicly_accessible = true;
        let mut single = instance("single");
        single.multi_az = false;
        single.deletion_protection = false;
        let data = || {
            account(
                vec![instance("good"), public.clone(), single.clone()],
                vec![],
            )
        };
        let found = run(data(), true, not_public).await;
        assert_eq!(status_of(&found, "db:public"), Status::Fail);
        assert_eq!(status_of(&found, "db:good"), Status::Pass);
        let found = run(data(), true, multi_az).await;
        assert_eq!(status_of(&found, "db:single"), Status::Fail);
        assert_eq!(status_of(&found, "db:public"), Status::Pass);
        let found = run(data(), true, deletion_protection).await;
        assert_eq!(status_of(&found, "db:single"), Status::Fail);
    }

    #[tokio::test]
    async fn backup_retention_threshold_is_inclusive() {
        let with_days = |days| {
            let mut i = instance("db");
            i.backup_retention_days = days;
            account(vec![i], vec![])
        };
        assert_eq!(
            statuses(&run(with_days(7), true, backup_retention).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(with_days(6), true, backup_retention).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(with_days(0), true, backup_retention).await),
            [Status::Fail]
        );
        let mut strict = Thresholds::default();
        strict.rds.backup_retention_days = 14;
        assert_eq!(
            statuses(&run_with(with_days(7), true, strict, backup_retention).await),
            [Status::Fail]
        );
    }

    #[tokio::test]
    async fn read_replicas_are_judged_through_their_source() {
        let mut replica = instance("replica");
        replica.read_replica_source = Some("primary".into());
        replica.backup_retention_days = 0;
        replica.multi_az = false;
        let found = run(account(vec![replica], vec![]), true, backup_retention).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);
        assert!(found[0].message.contains("primary"));
        let mut replica = instance("replica");
        replica.read_replica_source = Some("primary".into());
        replica.multi_az = false;
        let found = run(account(vec![replica], vec![]), true, multi_az).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);
    }

    #[tokio::test]
    async fn monitoring_fields_missing_are_errors_not_passes() {
        let mut silent = instance("silent");
        silent.performance_insights_enabled = None;
        silent.monitoring_interval_secs = None;
        let mut off = instance("off");
        off.performance_insights_enabled = Some(false);
        off.monitoring_interval_secs = Some(0);
        let mut short = instance("short");
        short.performance_insights_retention_days = Some(3);
        short.monitoring_interval_secs = Some(61);
        let data = || {
            account(
                vec![instance("good"), silent.clone(), off.clone(), short.clone()],
                vec![],
            )
        };

        let found = run(data(), true, performance_insights).await;
        assert_eq!(status_of(&found, "db:good"), Status::Pass);
        assert_eq!(status_of(&found, "db:silent"), Status::Error);
        assert_eq!(status_of(&found, "db:off"), Status::Fail);
        assert_eq!(status_of(&found, "db:short"), Status::Fail);

        let found = run(data(), true, enhanced_monitoring).await;
        assert_eq!(status_of(&found, "db:good"), Status::Pass);
        assert_eq!(status_of(&found, "db:silent"), Status::Error);
        assert_eq!(status_of(&found, "db:off"), Status::Fail);
        assert_eq!(status_of(&found, "db:short"), Status::Fail);
    }

    #[tokio::test]
    async fn performance_insights_is_not_applicable_where_the_class_cannot_have_it() {
        let on = |id: &str, engine: &str, class: Option<&str>| {
            let mut i = instance(id);
            i.engine = engine.into();
            i.instance_class = class.map(str::to_string);
            i.performance_insights_enabled = Some(false);
            i
        };
        let data = account(
            vec![
                on("mysql-micro", "mysql", Some("db.t3.micro")),
                on("aurora-t3", "aurora-mysql", Some("db.t3.medium")),
                on("db2", "db2-se", Some("db.r6i.large")),
                on("pg-micro", "postgres", Some("db.t3.micro")),
                on("mysql-large", "mysql", Some("db.m6g.large")),
                on("unknown-class", "mysql", None),
            ],
            vec![],
        );
        let found = run(data, true, performance_insights).await;
        let na = Status::NotApplicable;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "db:mysql-micro",
                    "db:aurora-t3",
                    "db:db2",
                    "db:pg-micro",
                    "db:mysql-large",
                    "db:unknown-class"
                ]
            ),
            [na, na, na, Status::Fail, Status::Fail, Status::Fail],
            "PostgreSQL has no class restriction; an unread class is judged as before"
        );
        assert!(
            found[0].message.contains("mysql on db.t3.micro"),
            "{found:#?}"
        );
    }

    #[tokio::test]
    async fn force_ssl_counts_only_parameters_in_effect() {
        let sqlserver = |id: &str, status: Option<&str>, value: &str| {
            let mut i = instance(id);
            i.engine = "sqlserver-se".into();
            i.engine_version = "16.00.4175.1.v1".into();
            i.parameter_apply_status = status.map(str::to_string);
            (
                i,
                (
                    format!("{id}-params"),
                    params(&[("rds.force_ssl", Some(value))]),
                ),
            )
        };
        let (instances, groups): (Vec<_>, BTreeMap<_, _>) = [
            sqlserver("in-sync", Some(PARAMETERS_IN_SYNC), "1"),
            sqlserver("pending", Some("pending-reboot"), "1"),
            sqlserver("applying", Some("applying"), "1"),
            sqlserver("off-pending", Some("pending-reboot"), "0"),
            sqlserver("unreported", None, "1"),
        ]
        .into_iter()
        .unzip();
        let mut data = account(instances, vec![]);
        data.regional.get_mut(REGION).unwrap().rds.parameters = Memo::ready(Fetched::Ok(groups));
        let found = run(data, true, force_ssl).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "db:in-sync",
                    "db:pending",
                    "db:applying",
                    "db:off-pending",
                    "db:unreported"
                ]
            ),
            [
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Fail,
                Status::Error
            ]
        );
        let pending = found.iter().find(|o| o.resource_id.ends_with("db:pending"));
        assert!(
            pending
                .is_some_and(|o| o.message.contains("rds.force_ssl=1")
                    && o.message.contains("pending-reboot")),
            "{found:#?}"
        );
    }

    /// `ParameterApplyStatus` describes the whole group: it holds a dynamic TLS
    /// parameter (PostgreSQL's rds.force_ssl, MySQL's and MariaDB's
    /// require_secure_transport) to nothing, while a static one (SQL Server's
    /// rds.force_ssl, Db2's db2comm) waits for the reboot.
    #[tokio::test]
    async fn force_ssl_waits_for_a_reboot_only_for_static_parameters() {
        let db = |id: &str, engine: &str, status: Option<&str>, param: (&str, Option<&str>)| {
            let mut i = instance(id);
            i.engine = engine.into();
            i.engine_version = match engine {
                "postgres" => "16.3",
                "mysql" => "8.0.35",
                "mariadb" => "10.11.8",
                "db2-se" => "11.5.9",
                _ => "16.00.4175.1.v1",
            }
            .into();
            i.parameter_apply_status = status.map(str::to_string);
            (i, (format!("{id}-params"), params(&[param])))
        };
        let pending = Some("pending-reboot");
        let (instances, groups): (Vec<_>, BTreeMap<_, _>) = [
            db(
                "pg-pending",
                "postgres",
                pending,
                ("rds.force_ssl", Some("1")),
            ),
            db(
                "pg-applying",
                "postgres",
                Some("applying"),
                ("rds.force_ssl", Some("1")),
            ),
            db(
                "pg-default-pending",
                "postgres",
                pending,
                ("rds.force_ssl", None),
            ),
            db(
                "pg-unreported",
                "postgres",
                None,
                ("rds.force_ssl", Some("1")),
            ),
            db(
                "pg-off-pending",
                "postgres",
                pending,
                ("rds.force_ssl", Some("0")),
            ),
            db(
                "mysql-pending",
                "mysql",
                pending,
                ("require_secure_transport", Some("ON")),
            ),
            db(
                "maria-applying",
                "mariadb",
                Some("applying"),
                ("require_secure_transport", Some("1")),
            ),
            db(
                "mysql-off-pending",
                "mysql",
                pending,
                ("require_secure_transport", Some("OFF")),
            ),
            db(
                "sqlserver-pending",
                "sqlserver-ee",
                pending,
                ("rds.force_ssl", Some("1")),
            ),
            db(
                "sqlserver-unreported",
                "sqlserver-ee",
                None,
                ("rds.force_ssl", Some("1")),
            ),
            db("db2-pending", "db2-se", pending, ("db2comm", Some("SSL"))),
            db(
                "db2-in-sync",
                "db2-se",
                Some(PARAMETERS_IN_SYNC),
                ("db2comm", Some("SSL")),
            ),
        ]
        .into_iter()
        .unzip();
        let mut data = account(instances, vec![]);
        data.regional.get_mut(REGION).unwrap().rds.parameters = Memo::ready(Fetched::Ok(groups));
        let found = run(data, true, force_ssl).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "db:pg-pending",
                    "db:pg-applying",
                    "db:pg-default-pending",
                    "db:pg-unreported",
                    "db:pg-off-pending",
                    "db:mysql-pending",
                    "db:maria-applying",
                    "db:mysql-off-pending",
                    "db:sqlserver-pending",
                    "db:sqlserver-unreported",
                    "db:db2-pending",
                    "db:db2-in-sync",
                ]
            ),
            [
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Fail,
                Status::Pass,
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Error,
                Status::Fail,
                Status::Pass,
            ]
        );
        let by_id = |id: &str| {
            found
                .iter()
                .find(|o| o.resource_id.ends_with(id))
                .unwrap_or_else(|| panic!("{id}: {found:#?}"))
        };
        assert_eq!(by_id("db:pg-pending").evidence["apply_type"], "dynamic");
        assert_eq!(
            by_id("db:sqlserver-pending").evidence["apply_type"],
            "static"
        );
        assert!(
            by_id("db:db2-pending")
                .message
                .contains("db2comm is static"),
            "{found:#?}"
        );
    }

    fn params(entries: &[(&str, Option<&str>)]) -> Fetched<Parameters> {
        Fetched::Ok(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        )
    }

    #[tokio::test]
    async fn force_ssl_uses_the_effective_value_engine_defaults_included() {
        let engine = |id: &str, engine: &str, version: &str| {
            let mut i = instance(id);
            i.engine = engine.into();
            i.engine_version = version.into();
            i
        };
        let instances = vec![
            engine("pg16-default", "postgres", "16.3"),
            engine("pg14-default", "postgres", "14.9"),
            engine("pg14-forced", "postgres", "14.9"),
            engine("pg16-off", "postgres", "16.3"),
            engine("mysql-on", "mysql", "8.0.35"),
            engine("mysql-default", "mysql", "8.0.35"),
            engine("oracle", "oracle-ee", "19"),
            engine("oracle-nne", "oracle-ee", "19"),
            engine("maria-118", "mariadb", "11.8.3"),
            engine("maria-114", "mariadb", "11.4.5"),
            engine("mysql-97", "mysql", "9.7.0"),
            engine("db2-ssl", "db2-se", "11.5.9"),
            engine("db2-default", "db2-ae", "11.5.9"),
            engine("custom", "custom-oracle-ee", "19"),
            engine("unreadable", "postgres", "16.3"),
        ]
        .into_iter()
        .map(|mut i| {
            if i.engine.starts_with("oracle") {
                i.option_groups = vec![format!("{}-options", i.id)];
            }
            i
        })
        .collect();
        let mut data = account(instances, vec![cluster("aurora")]);
        let pieces = data.regional.get_mut(REGION).unwrap();
        let option = |name: &str, settings: &[(&str, &str)]| DbOption {
            name: name.into(),
            settings: settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        pieces.rds.option_groups = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "oracle-options".to_string(),
                Fetched::Ok(vec![option("SSL", &[("SQLNET.SSL_VERSION", "1.2")])]),
            ),
            (
                "oracle-nne-options".to_string(),
                Fetched::Ok(vec![option(
                    "NATIVE_NETWORK_ENCRYPTION",
                    &[("SQLNET.ENCRYPTION_SERVER", "REQUIRED")],
                )]),
            ),
        ])));
        pieces.rds.parameters = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "pg16-default-params".to_string(),
                params(&[("rds.force_ssl", None)]),
            ),
            ("pg14-default-params".to_string(), params(&[])),
            (
                "pg14-forced-params".to_string(),
                params(&[("rds.force_ssl", Some("1"))]),
            ),
            (
                "pg16-off-params".to_string(),
                params(&[("rds.force_ssl", Some("0"))]),
            ),
            (
                "mysql-on-params".to_string(),
                params(&[("require_secure_transport", Some("ON"))]),
            ),
            ("mysql-default-params".to_string(), params(&[])),
            ("maria-118-params".to_string(), params(&[])),
            ("maria-114-params".to_string(), params(&[])),
            ("mysql-97-params".to_string(), params(&[])),
            (
                "db2-ssl-params".to_string(),
                params(&[("db2comm", Some("SSL"))]),
            ),
            ("db2-default-params".to_string(), params(&[])),
            ("custom-params".to_string(), params(&[])),
            (
                "unreadable-params".to_string(),
                err("rds", "DescribeDBParameters"),
            ),
        ])));
        pieces.rds.cluster_parameters = Memo::ready(Fetched::Ok(BTreeMap::from([(
            "aurora-cluster-params".to_string(),
            params(&[("rds.force_ssl", Some("1"))]),
        )])));
        let found = run(data, true, force_ssl).await;
        assert_eq!(status_of(&found, "db:pg16-default"), Status::Pass);
        assert_eq!(status_of(&found, "db:pg14-default"), Status::Fail);
        assert_eq!(status_of(&found, "db:pg14-forced"), Status::Pass);
        assert_eq!(status_of(&found, "db:pg16-off"), Status::Fail);
        assert_eq!(status_of(&found, "db:mysql-on"), Status::Pass);
        assert_eq!(status_of(&found, "db:mysql-default"), Status::Fail);
        assert_eq!(
            status_of(&found, "db:oracle"),
            Status::Fail,
            "SSL option alone"
        );
        assert_eq!(status_of(&found, "db:oracle-nne"), Status::Pass);
        assert_eq!(status_of(&found, "db:maria-118"), Status::Pass);
        assert_eq!(status_of(&found, "db:maria-114"), Status::Fail);
        assert_eq!(status_of(&found, "db:mysql-97"), Status::Pass);
        assert_eq!(status_of(&found, "db:db2-ssl"), Status::Pass);
        assert_eq!(status_of(&found, "db:db2-default"), Status::Fail);
        assert_eq!(status_of(&found, "db:custom"), Status::NotApplicable);
        assert_eq!(status_of(&found, "db:unreadable"), Status::Error);
        assert_eq!(status_of(&found, "cluster:aurora"), Status::Pass);
    }
}
