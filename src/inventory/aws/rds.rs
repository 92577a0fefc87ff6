use std::collections::BTreeMap;

use aws_sdk_rds::types::{DbCluster as SdkCluster, DbInstance as SdkInstance, Parameter, Tag};
use aws_sdk_rds::Client;

use super::{all_items, fetch_error, instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::rds::{
    is_other_service, DbCluster, DbInstance, DbOption, DbSnapshot, Parameters, CLUSTER_SNAPSHOT,
    INSTANCE_SNAPSHOT,
};

const SERVICE: &str = "rds";

impl AwsReader {
    fn rds(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn rds_instances(&self, region: &str) -> Fetched<Vec<DbInstance>> {
        let items = self
            .rds(region)
            .describe_db_instances()
            .into_paginator()
            .items()
            .send();
        match self
            .listed(SERVICE, "DescribeDBInstances", region, items, db_instance)
            .await
        {
            Fetched::Ok(all) => Fetched::Ok(
                all.into_iter()
                    .filter(|i| !is_other_service(&i.engine))
                    .collect(),
            ),
            error => error,
        }
    }

    pub(crate) async fn rds_clusters(&self, region: &str) -> Fetched<Vec<DbCluster>> {
        let items = self
            .rds(region)
            .describe_db_clusters()
            .into_paginator()
            .items()
            .send();
        match self
            .listed(SERVICE, "DescribeDBClusters", region, items, db_cluster)
            .await
        {
            Fetched::Ok(all) => Fetched::Ok(
                all.into_iter()
                    .filter(|c| !is_other_service(&c.engine))
                    .collect(),
            ),
            error => error,
        }
    }

    /// The parameters of each named parameter group: DB parameter groups for
    /// stand-alone instances, DB cluster parameter groups for Aurora clusters.
    pub(crate) async fn rds_parameters(
        &self,
        region: &str,
        kind: ParameterGroupKind,
        groups: Vec<String>,
    ) -> BTreeMap<String, Fetched<Parameters>> {
        let client = self.rds(region);
        self.per_resource(groups, |group| {
            let client = client.clone();
            async move {
                let found = match kind {
                    ParameterGroupKind::Instance => {
                        all_items(
                            SERVICE,
                            kind.operation(),
                            &group,
                            client
                                .describe_db_parameters()
                                .db_parameter_group_name(&group)
                                .into_paginator()
                                .items()
                                .send(),
                        )
                        .await
                    }
                    ParameterGroupKind::Cluster => {
                        all_items(
                            SERVICE,
                            kind.operation(),
                            &group,
                            client
                                .describe_db_cluster_parameters()
                                .db_cluster_parameter_group_name(&group)
                                .into_paginator()
                                .items()
                                .send(),
                        )
                        .await
                    }
                }?;
                Ok(parameters(&found))
            }
        })
        .await
    }
}

impl AwsReader {
    /// Manual DB snapshots and DB cluster snapshots the account owns (automated ones
    /// cannot be shared), RDS's own engines only.
    pub(crate) async fn rds_manual_snapshots(&self, region: &str) -> Fetched<Vec<DbSnapshot>> {
        let client = self.rds(region);
        let instance_snapshots = client
            .describe_db_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .items()
            .send();
        let cluster_snapshots = client
            .describe_db_cluster_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .items()
            .send();
        let (instances, clusters) = futures::join!(
            self.listed(
                SERVICE,
                "DescribeDBSnapshots",
                region,
                instance_snapshots,
                |s| { (s.engine().map(str::to_string), db_snapshot(s)) }
            ),
            self.listed(
                SERVICE,
                "DescribeDBClusterSnapshots",
                region,
                cluster_snapshots,
                |s| (s.engine().map(str::to_string), db_cluster_snapshot(s))
            ),
        );
        match (instances, clusters) {
            (Fetched::Ok(mut all), Fetched::Ok(clusters)) => {
                all.extend(clusters);
                // Neptune and DocumentDB snapshots are their own services' to judge.
                Fetched::Ok(
                    all.into_iter()
                        .filter(|(engine, _)| !engine.as_deref().is_some_and(is_other_service))
                        .map(|(_, snapshot)| snapshot)
                        .collect(),
                )
            }
            (Fetched::Error(error), _) | (_, Fetched::Error(error)) => Fetched::Error(error),
        }
    }

    /// Each snapshot's `restore` attribute values, keyed by its ARN.
    pub(crate) async fn rds_snapshot_restore(
        &self,
        region: &str,
        snapshots: &[DbSnapshot],
    ) -> BTreeMap<String, Fetched<Vec<String>>> {
        let client = self.rds(region);
        let kinds: BTreeMap<String, (String, bool)> = snapshots
            .iter()
            .map(|s| (s.arn.clone(), (s.id.clone(), s.kind == CLUSTER_SNAPSHOT)))
            .collect();
        self.per_resource(kinds.keys().cloned().collect::<Vec<_>>(), |arn| {
            let client = client.clone();
            let (id, cluster) = kinds[&arn].clone();
            async move {
                if cluster {
                    let out = client
                        .describe_db_cluster_snapshot_attributes()
                        .db_cluster_snapshot_identifier(&id)
                        .send()
                        .await
                        .map_err(|e| {
                            fetch_error(
                                SERVICE,
                                "DescribeDBClusterSnapshotAttributes",
                                Some(&id),
                                &e,
                            )
                        })?;
                    Ok(out
                        .db_cluster_snapshot_attributes_result()
                        .map(|r| {
                            restore_values(
                                r.db_cluster_snapshot_attributes()
                                    .iter()
                                    .map(|a| (a.attribute_name(), a.attribute_values())),
                            )
                        })
                        .unwrap_or_default())
                } else {
                    let out = client
                        .describe_db_snapshot_attributes()
                        .db_snapshot_identifier(&id)
                        .send()
                        .await
                        .map_err(|e| {
                            fetch_error(SERVICE, "DescribeDBSnapshotAttributes", Some(&id), &e)
                        })?;
                    Ok(out
                        .db_snapshot_attributes_result()
                        .map(|r| {
                            restore_values(
                                r.db_snapshot_attributes()
                                    .iter()
                                    .map(|a| (a.attribute_name(), a.attribute_values())),
                            )
                        })
                        .unwrap_or_default())
                }
            }
        })
        .await
    }
}

/// The values of the `restore` attribute among a snapshot's attributes.
fn restore_values<'a>(
    attributes: impl Iterator<Item = (Option<&'a str>, &'a [String])>,
) -> Vec<String> {
    attributes
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}

fn db_snapshot(snapshot: &aws_sdk_rds::types::DbSnapshot) -> DbSnapshot {
    DbSnapshot {
        id: snapshot
            .db_snapshot_identifier()
            .unwrap_or_default()
            .to_string(),
        arn: snapshot.db_snapshot_arn().unwrap_or_default().to_string(),
        kind: INSTANCE_SNAPSHOT.to_string(),
        encrypted: snapshot.encrypted().unwrap_or(false),
    }
}

fn db_cluster_snapshot(snapshot: &aws_sdk_rds::types::DbClusterSnapshot) -> DbSnapshot {
    DbSnapshot {
        id: snapshot
            .db_cluster_snapshot_identifier()
            .unwrap_or_default()
            .to_string(),
        arn: snapshot
            .db_cluster_snapshot_arn()
            .unwrap_or_default()
            .to_string(),
        kind: CLUSTER_SNAPSHOT.to_string(),
        encrypted: snapshot.storage_encrypted().unwrap_or(false),
    }
}

impl AwsReader {
    /// The options of each named option group.
    pub(crate) async fn rds_option_groups(
        &self,
        region: &str,
        groups: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<DbOption>>> {
        let client = self.rds(region);
        self.per_resource(groups, |group| {
            let client = client.clone();
            async move {
                let found: Vec<aws_sdk_rds::types::OptionGroup> = all_items(
                    SERVICE,
                    "DescribeOptionGroups",
                    &group,
                    client
                        .describe_option_groups()
                        .option_group_name(&group)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(found
                    .iter()
                    .flat_map(|g| g.options())
                    .map(db_option)
                    .collect())
            }
        })
        .await
    }
}

fn db_option(option: &aws_sdk_rds::types::Option) -> DbOption {
    DbOption {
        name: option.option_name().unwrap_or_default().to_string(),
        settings: option
            .option_settings()
            .iter()
            .filter_map(|s| Some((s.name()?.to_string(), s.value()?.to_string())))
            .collect(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterGroupKind {
    Instance,
    Cluster,
}

impl ParameterGroupKind {
    pub fn operation(self) -> &'static str {
        match self {
            ParameterGroupKind::Instance => "DescribeDBParameters",
            ParameterGroupKind::Cluster => "DescribeDBClusterParameters",
        }
    }
}

fn db_instance(i: &SdkInstance) -> DbInstance {
    DbInstance {
        id: i.db_instance_identifier().unwrap_or_default().to_string(),
        arn: i.db_instance_arn().unwrap_or_default().to_string(),
        engine: i.engine().unwrap_or_default().to_string(),
        engine_version: i.engine_version().unwrap_or_default().to_string(),
        cluster_id: i.db_cluster_identifier().map(str::to_string),
        storage_encrypted: i.storage_encrypted().unwrap_or(false),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        multi_az: i.multi_az().unwrap_or(false),
        deletion_protection: i.deletion_protection().unwrap_or(false),
        backup_retention_days: i.backup_retention_period().unwrap_or(0),
        parameter_group: i
            .db_parameter_groups()
            .first()
            .and_then(|g| g.db_parameter_group_name())
            .map(str::to_string),
        parameter_apply_status: i
            .db_parameter_groups()
            .first()
            .and_then(|g| g.parameter_apply_status())
            .map(str::to_string),
        instance_class: i.db_instance_class().map(str::to_string),
        performance_insights_enabled: i.performance_insights_enabled(),
        performance_insights_retention_days: i.performance_insights_retention_period(),
        monitoring_interval_secs: i.monitoring_interval(),
        read_replica_source: i
            .read_replica_source_db_instance_identifier()
            .or(i.read_replica_source_db_cluster_identifier())
            .map(str::to_string),
        option_groups: i
            .option_group_memberships()
            .iter()
            .filter_map(|m| m.option_group_name())
            .map(str::to_string)
            .collect(),
        storage_type: i.storage_type().map(str::to_string),
        allocated_storage_gib: i.allocated_storage(),
        iam_database_authentication: i.iam_database_authentication_enabled(),
        ca_certificate: i.ca_certificate_identifier().map(str::to_string),
        auto_minor_version_upgrade: i.auto_minor_version_upgrade(),
        subnet_group: i
            .db_subnet_group()
            .and_then(|g| g.db_subnet_group_name())
            .map(str::to_string),
        vpc_id: i
            .db_subnet_group()
            .and_then(|g| g.vpc_id())
            .map(str::to_string),
        port: i.endpoint().and_then(|e| e.port()),
        created: i.instance_create_time().and_then(instant),
        tags: tags(i.tag_list()),
    }
}

fn db_cluster(c: &SdkCluster) -> DbCluster {
    DbCluster {
        id: c.db_cluster_identifier().unwrap_or_default().to_string(),
        arn: c.db_cluster_arn().unwrap_or_default().to_string(),
        engine: c.engine().unwrap_or_default().to_string(),
        engine_version: c.engine_version().unwrap_or_default().to_string(),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        multi_az: c.multi_az().unwrap_or(false),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        backup_retention_days: c.backup_retention_period().unwrap_or(0),
        parameter_group: c.db_cluster_parameter_group().map(str::to_string),
        instance_class: c.db_cluster_instance_class().map(str::to_string),
        storage_type: c.storage_type().map(str::to_string),
        allocated_storage_gib: c.allocated_storage(),
        iam_database_authentication: c.iam_database_authentication_enabled(),
        ca_certificate: c
            .certificate_details()
            .and_then(|d| d.ca_identifier())
            .map(str::to_string),
        auto_minor_version_upgrade: c.auto_minor_version_upgrade(),
        publicly_accessible: c.publicly_accessible(),
        subnet_group: c.db_subnet_group().map(str::to_string),
        port: c.port(),
        created: c.cluster_create_time().and_then(instant),
        tags: tags(c.tag_list()),
    }
}

fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    super::tag_map(list.iter().map(|t| (t.key(), t.value())))
}

fn parameters(found: &[Parameter]) -> Parameters {
    found
        .iter()
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_string(),
                p.parameter_value().map(str::to_string),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::types::DbParameterGroupStatus;

    // moto accepts Performance Insights and enhanced monitoring on create but never returns
    // them (shared/MOTO.md), so their conversion is tested on an SDK value built here.
    #[test]
    fn monitoring_fields_are_carried_and_absence_stays_unknown() {
        let reported = SdkInstance::builder()
            .db_instance_identifier("orders")
            .engine("postgres")
            .engine_version("16.3")
            .performance_insights_enabled(true)
            .performance_insights_retention_period(7)
            .monitoring_interval(60)
            .db_parameter_groups(
                DbParameterGroupStatus::builder()
                    .db_parameter_group_name("orders-pg16")
                    .build(),
            )
            .build();
        let instance = db_instance(&reported);
        assert_eq!(instance.performance_insights_enabled, Some(true));
        assert_eq!(instance.performance_insights_retention_days, Some(7));
        assert_eq!(instance.monitoring_interval_secs, Some(60));
        assert_eq!(instance.parameter_group.as_deref(), Some("orders-pg16"));

        let silent = db_instance(&SdkInstance::builder().db_instance_identifier("x").build());
        assert_eq!(silent.performance_insights_enabled, None);
        assert_eq!(silent.monitoring_interval_secs, None);
    }

    /// The attributes a policy writer reads come through from DescribeDBInstances and
    /// DescribeDBClusters; absent ones stay absent.
    #[test]
    fn resource_attributes_and_tags_are_carried() {
        use aws_sdk_rds::primitives::DateTime;
        use aws_sdk_rds::types::{CertificateDetails, DbSubnetGroup, Endpoint};

        let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build();
        let created = DateTime::from_secs(1_700_000_000);
        let instance = db_instance(
            &SdkInstance::builder()
                .db_instance_identifier("orders")
                .storage_type("gp3")
                .allocated_storage(100)
                .iam_database_authentication_enabled(true)
                .ca_certificate_identifier("rds-ca-rsa2048-g1")
                .auto_minor_version_upgrade(false)
                .db_subnet_group(
                    DbSubnetGroup::builder()
                        .db_subnet_group_name("private")
                        .vpc_id("vpc-0a1b2c3d")
                        .build(),
                )
                .endpoint(Endpoint::builder().port(5432).build())
                .instance_create_time(created)
                .tag_list(tag("team", "payments"))
                .tag_list(Tag::builder().key("flag").build())
                .build(),
        );
        assert_eq!(
            (
                instance.storage_type.as_deref(),
                instance.allocated_storage_gib,
                instance.iam_database_authentication,
                instance.ca_certificate.as_deref(),
                instance.auto_minor_version_upgrade,
            ),
            (
                Some("gp3"),
                Some(100),
                Some(true),
                Some("rds-ca-rsa2048-g1"),
                Some(false)
            )
        );
        assert_eq!(
            (
                instance.subnet_group.as_deref(),
                instance.vpc_id.as_deref(),
                instance.port,
            ),
            (Some("private"), Some("vpc-0a1b2c3d"), Some(5432))
        );
        assert_eq!(instance.created.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(
            instance.tags,
            BTreeMap::from([
                ("flag".to_string(), String::new()),
                ("team".to_string(), "payments".to_string())
            ])
        );
        let bare = db_instance(&SdkInstance::builder().db_instance_identifier("x").build());
        assert_eq!(
            (bare.port, bare.vpc_id, bare.created, bare.tags.len()),
            (None, None, None, 0)
        );

        let cluster = db_cluster(
            &SdkCluster::builder()
                .db_cluster_identifier("ledger")
                .db_cluster_instance_class("db.m6gd.large")
                .storage_type("io1")
                .allocated_storage(400)
                .iam_database_authentication_enabled(true)
                .certificate_details(
                    CertificateDetails::builder()
                        .ca_identifier("rds-ca-ecc384-g1")
                        .build(),
                )
                .auto_minor_version_upgrade(true)
                .publicly_accessible(false)
                .db_subnet_group("private")
                .port(3306)
                .cluster_create_time(created)
                .tag_list(tag("team", "ledger"))
                .build(),
        );
        assert_eq!(
            (
                cluster.instance_class.as_deref(),
                cluster.storage_type.as_deref(),
                cluster.allocated_storage_gib,
                cluster.iam_database_authentication,
                cluster.ca_certificate.as_deref(),
            ),
            (
                Some("db.m6gd.large"),
                Some("io1"),
                Some(400),
                Some(true),
                Some("rds-ca-ecc384-g1")
            )
        );
        assert_eq!(
            (
                cluster.auto_minor_version_upgrade,
                cluster.publicly_accessible,
                cluster.subnet_group.as_deref(),
                cluster.port,
                cluster.created.map(|t| t.timestamp()),
                cluster.tags.get("team").map(String::as_str),
            ),
            (
                Some(true),
                Some(false),
                Some("private"),
                Some(3306),
                Some(1_700_000_000),
                Some("ledger")
            )
        );
    }

    #[test]
    fn parameters_without_a_value_keep_the_engine_default() {
        let found = [
            Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value("1")
                .build(),
            Parameter::builder()
                .parameter_name("log_connections")
                .build(),
        ];
        let params = parameters(&found);
        assert_eq!(params["rds.force_ssl"].as_deref(), Some("1"));
        assert_eq!(params["log_connections"], None);
    }

    /// SDK values through the conversions and every RDS check: a healthy PostgreSQL
    /// primary, its read replica, an exposed MySQL instance, and Oracle with network
    /// encryption required; Neptune is recognised as another service's.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::rds::{
            backup_retention, deletion_protection, enhanced_monitoring, force_ssl, multi_az,
            not_public, performance_insights, storage_encrypted,
        };
        use crate::checks::testing::{data, each, ok, run, statuses_of, REGION};
        use crate::finding::Status;
        use aws_sdk_rds::types::{OptionGroupMembership, OptionSetting};

        let instance = |id: &str, engine: &str, version: &str, healthy: bool| {
            SdkInstance::builder()
                .db_instance_identifier(id)
                .db_instance_arn(format!("arn:aws:rds:us-east-1:123456789012:db:{id}"))
                .engine(engine)
                .engine_version(version)
                .storage_encrypted(healthy)
                .publicly_accessible(!healthy)
                .multi_az(healthy)
                .deletion_protection(healthy)
                .backup_retention_period(if healthy { 14 } else { 1 })
                .performance_insights_enabled(healthy)
                .performance_insights_retention_period(7)
                .monitoring_interval(if healthy { 30 } else { 0 })
                .db_instance_class("db.m6g.large")
                .db_parameter_groups(
                    DbParameterGroupStatus::builder()
                        .db_parameter_group_name(format!("{id}-params"))
                        .parameter_apply_status("in-sync")
                        .build(),
                )
        };
        let instances: Vec<DbInstance> = [
            instance("primary", "postgres", "16.4", true).build(),
            instance("replica", "postgres", "16.4", true)
                .read_replica_source_db_instance_identifier("primary")
                .backup_retention_period(0)
                .multi_az(false)
                .build(),
            instance("exposed", "mysql", "8.0.40", false).build(),
            instance("oracle", "oracle-ee", "19.0.0.0", true)
                .option_group_memberships(
                    OptionGroupMembership::builder()
                        .option_group_name("oracle-nne")
                        .build(),
                )
                .build(),
            // SQL Server's rds.force_ssl is static: set, but waiting for a reboot.
            instance("mssql", "sqlserver-se", "16.00.4175.1.v1", true)
                .set_db_parameter_groups(Some(vec![DbParameterGroupStatus::builder()
                    .db_parameter_group_name("mssql-params")
                    .parameter_apply_status("pending-reboot")
                    .build()]))
                .build(),
            // A class on which MySQL cannot turn Performance Insights on.
            instance("tiny", "mysql", "8.0.40", true)
                .db_instance_class("db.t3.micro")
                .performance_insights_enabled(false)
                .build(),
        ]
        .iter()
        .map(db_instance)
        .collect();
        assert_eq!(
            (
                instances[4].parameter_apply_status.as_deref(),
                instances[5].instance_class.as_deref()
            ),
            (Some("pending-reboot"), Some("db.t3.micro"))
        );
        let neptune = db_instance(&instance("graph", "neptune", "1.3", true).build());
        assert!(is_other_service(&neptune.engine));

        let parameter = |name: &str, value: &str| {
            Parameter::builder()
                .parameter_name(name)
                .parameter_value(value)
                .build()
        };
        let nne = db_option(
            &aws_sdk_rds::types::Option::builder()
                .option_name("NATIVE_NETWORK_ENCRYPTION")
                .option_settings(
                    OptionSetting::builder()
                        .name("SQLNET.ENCRYPTION_SERVER")
                        .value("REQUIRED")
                        .build(),
                )
                .build(),
        );
        let account = || {
            let mut data = data();
            let rds = &mut data.region_mut(REGION).rds;
            rds.instances = ok(instances.clone());
            rds.clusters = ok(vec![]);
            rds.parameters = each([
                ("primary-params", parameters(&[])),
                (
                    "replica-params",
                    parameters(&[parameter("rds.force_ssl", "1")]),
                ),
                (
                    "exposed-params",
                    parameters(&[parameter("require_secure_transport", "OFF")]),
                ),
                ("oracle-params", parameters(&[])),
                (
                    "mssql-params",
                    parameters(&[parameter("rds.force_ssl", "1")]),
                ),
                (
                    "tiny-params",
                    parameters(&[parameter("require_secure_transport", "ON")]),
                ),
            ]);
            rds.option_groups = each([("oracle-nne", vec![nne.clone()])]);
            data
        };
        let ids = [
            "db:primary",
            "db:replica",
            "db:exposed",
            "db:oracle",
            "db:mssql",
            "db:tiny",
        ];
        let (pass, fail, na) = (Status::Pass, Status::Fail, Status::NotApplicable);
        macro_rules! expect {
            ($check:ident, $expected:expr) => {{
                let found = run(account(), true, $check).await;
                assert_eq!(
                    statuses_of(&found, &ids),
                    $expected,
                    "{}: {found:#?}",
                    stringify!($check)
                );
            }};
        }
        expect!(storage_encrypted, [pass, pass, fail, pass, pass, pass]);
        expect!(not_public, [pass, pass, fail, pass, pass, pass]);
        expect!(deletion_protection, [pass, pass, fail, pass, pass, pass]);
        expect!(performance_insights, [pass, pass, fail, pass, pass, na]);
        expect!(enhanced_monitoring, [pass, pass, fail, pass, pass, pass]);
        expect!(force_ssl, [pass, pass, fail, pass, fail, pass]);
        expect!(backup_retention, [pass, na, fail, pass, pass, pass]);
        expect!(multi_az, [pass, na, fail, pass, pass, pass]);
    }

    /// Manual DB and cluster snapshots as DescribeDBSnapshots / DescribeDBClusterSnapshots
    /// and their attribute calls give them, through rds.no_public_snapshots.
    #[tokio::test]
    async fn snapshot_restore_attributes_reach_the_right_verdicts() {
        use aws_sdk_rds::types::{DbClusterSnapshotAttribute, DbSnapshotAttribute};

        use crate::checks::rds::no_public_snapshots;
        use crate::checks::testing::{data, err, failed, ok, run, statuses, statuses_of, REGION};
        use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
        use crate::model::rds::RegionDbSnapshots;

        let private = db_snapshot(
            &aws_sdk_rds::types::DbSnapshot::builder()
                .db_snapshot_identifier("orders-manual")
                .db_snapshot_arn("arn:aws:rds:us-east-1:123456789012:snapshot:orders-manual")
                .encrypted(true)
                .build(),
        );
        let public = db_cluster_snapshot(
            &aws_sdk_rds::types::DbClusterSnapshot::builder()
                .db_cluster_snapshot_identifier("ledger-shared")
                .db_cluster_snapshot_arn(
                    "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:ledger-shared",
                )
                .storage_encrypted(false)
                .build(),
        );
        assert_eq!(
            (private.kind.as_str(), public.kind.as_str()),
            (INSTANCE_SNAPSHOT, CLUSTER_SNAPSHOT)
        );
        let instance_restore = restore_values(
            [DbSnapshotAttribute::builder()
                .attribute_name("restore")
                .attribute_values("111122223333")
                .build()]
            .iter()
            .map(|a| (a.attribute_name(), a.attribute_values())),
        );
        let cluster_restore = restore_values(
            [
                DbClusterSnapshotAttribute::builder()
                    .attribute_name("restore")
                    .attribute_values("all")
                    .build(),
                DbClusterSnapshotAttribute::builder()
                    .attribute_name("other")
                    .attribute_values("all")
                    .build(),
            ]
            .iter()
            .map(|a| (a.attribute_name(), a.attribute_values())),
        );
        assert_eq!(cluster_restore, ["all"]);
        let unreadable = DbSnapshot {
            id: "gone".into(),
            arn: "arn:aws:rds:us-east-1:123456789012:snapshot:gone".into(),
            ..private.clone()
        };
        // The sweep's answer: the audited region's snapshots, and another region whose
        // listing failed (ERROR there only).
        let found = RegionDbSnapshots {
            restore: [
                (private.arn.clone(), Fetched::Ok(instance_restore)),
                (public.arn.clone(), Fetched::Ok(cluster_restore)),
                (
                    unreadable.arn.clone(),
                    err("rds", "DescribeDBSnapshotAttributes"),
                ),
            ]
            .into_iter()
            .collect(),
            snapshots: vec![private, public, unreadable],
            unread: vec![],
        };
        let sweep = |here: Fetched<RegionDbSnapshots>, there: Fetched<RegionDbSnapshots>| {
            let mut account = data();
            account.global.rds.snapshots_everywhere = ok([
                (REGION.to_string(), here),
                ("eu-north-1".to_string(), there),
            ]
            .into_iter()
            .collect());
            account
        };
        let observations = run(
            sweep(
                Fetched::Ok(found.clone()),
                err("rds", "DescribeDBSnapshots"),
            ),
            false,
            no_public_snapshots,
        )
        .await;
        assert_eq!(
            statuses_of(
                &observations,
                &[":orders-manual", ":ledger-shared", ":gone", "123456789012"]
            ),
            [Pass, Fail, Error, Error]
        );
        assert_eq!(observations[0].region.as_deref(), Some("eu-north-1"));

        // Past the bound: the unread snapshots are one ERROR naming them, never a PASS.
        let past_bound = RegionDbSnapshots {
            unread: vec![found.snapshots[0].arn.clone()],
            ..found.clone()
        };
        let bounded = run(
            sweep(
                Fetched::Ok(past_bound),
                Fetched::Ok(RegionDbSnapshots::default()),
            ),
            false,
            no_public_snapshots,
        )
        .await;
        assert_eq!(statuses(&bounded), [Fail, Error, Error]);
        assert!(
            bounded[2]
                .message
                .starts_with("1 of the 3 manual RDS snapshots in us-east-1 were not checked"),
            "{}",
            bounded[2].message
        );
        assert_eq!(
            bounded[2].evidence["unread"][0],
            "arn:aws:rds:us-east-1:123456789012:snapshot:orders-manual"
        );

        let empty = || Fetched::Ok(RegionDbSnapshots::default());
        assert_eq!(
            statuses(&run(sweep(empty(), empty()), false, no_public_snapshots).await),
            [NotApplicable]
        );
        let mut denied = data();
        denied.global.rds.snapshots_everywhere = failed("ec2", "DescribeRegions");
        assert_eq!(
            statuses(&run(denied, false, no_public_snapshots).await),
            [Error]
        );
    }
}
