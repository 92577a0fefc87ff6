//! The inventory readers against moto_server: each service's scenario is seeded with
//! the SDK, then read back through orr's accessors into orr's model.

mod support;

use orr::inventory::aws::{AwsReader, ConnectOptions, Resilience};
use orr::inventory::{Fetched, Inventory};
use support::{seed, Moto, ACCOUNT, REGION};

async fn inventory(moto: &Moto) -> Inventory {
    // moto answers some reads with HTTP 500 every time: two attempts reach the same
    // error as eight with full backoff.
    let options = ConnectOptions {
        regions: vec![REGION.to_string()],
        concurrency: 8,
        resilience: Resilience {
            max_attempts: 2,
            ..Resilience::default()
        },
        ..ConnectOptions::default()
    };
    let connection = AwsReader::connect_with(moto.sdk_config().await, &options)
        .await
        .expect("moto accepts any credentials");
    assert_eq!(connection.account_id, ACCOUNT);
    let regions = connection
        .regions(&options)
        .await
        .expect("the regions asked for");
    Inventory::live(&connection, regions, None, None)
}

fn ok<T>(fetched: &Fetched<T>) -> &T {
    match fetched {
        Fetched::Ok(value) => value,
        Fetched::Error(error) => panic!("read failed: {error}"),
    }
}

#[tokio::test]
async fn s3_reader_turns_not_configured_answers_into_facts() {
    let moto = Moto::start();
    seed::s3_scenario(&moto.sdk_config().await).await;
    let inventory = inventory(&moto).await;

    let buckets = ok(inventory.s3_buckets().await);
    let mut names: Vec<_> = buckets
        .iter()
        .map(|b| (b.name.as_str(), ok(&b.region).as_str()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("orr-app-data", REGION),
            ("orr-legacy", REGION),
            ("orr-partial", REGION)
        ]
    );

    let account = ok(inventory.s3_account_public_access_block().await).expect("set by the seed");
    assert!(account.block_public_acls && account.ignore_public_acls);
    assert!(!account.block_public_policy && !account.restrict_public_buckets);

    let blocks = ok(inventory.s3_bucket_public_access_block().await);
    assert!(ok(&blocks["orr-app-data"]).unwrap().all_on());
    assert_eq!(
        ok(&blocks["orr-legacy"]),
        &None,
        "NoSuchPublicAccessBlockConfiguration is a fact"
    );

    let encryption = ok(inventory.s3_bucket_encryption().await);
    assert_eq!(
        ok(&encryption["orr-app-data"]).as_ref().unwrap()[0].algorithm,
        "aws:kms"
    );
    assert_eq!(
        ok(&encryption["orr-partial"]).as_ref().unwrap()[0].algorithm,
        "AES256"
    );
    assert_eq!(ok(&encryption["orr-legacy"]), &None);

    let policies = ok(inventory.s3_bucket_policy().await);
    assert!(ok(&policies["orr-app-data"])
        .as_ref()
        .unwrap()
        .contains("aws:SecureTransport"));
    assert_eq!(ok(&policies["orr-legacy"]), &None);

    let lifecycle = ok(inventory.s3_bucket_lifecycle().await);
    assert!(ok(&lifecycle["orr-app-data"])[0].enabled);
    assert!(!ok(&lifecycle["orr-partial"])[0].enabled);
    assert!(ok(&lifecycle["orr-legacy"]).is_empty());

    // Memoized: a second call is the same value, not a second read.
    let again = inventory.s3_bucket_encryption().await;
    assert!(std::ptr::eq(again, inventory.s3_bucket_encryption().await));
}

#[tokio::test]
async fn iam_reader_reads_summary_policy_report_and_documents() {
    let moto = Moto::start();
    seed::iam_scenario(&moto.sdk_config().await).await;
    let inventory = inventory(&moto).await;

    let summary = ok(inventory.iam_account_summary().await);
    assert!(!summary.root_access_keys_present);

    let policy = ok(inventory.iam_password_policy().await).as_ref().unwrap();
    assert_eq!(policy.minimum_password_length, Some(12));
    assert_eq!(policy.password_reuse_prevention, Some(24));

    let report = ok(inventory.iam_credential_report().await);
    let user = |name: &str| report.iter().find(|u| u.user == name).unwrap();
    assert!(user("alice").password_enabled && !user("alice").mfa_active);
    assert!(user("bob").password_enabled && user("bob").mfa_active);
    assert!(user("ci").access_keys[0].active && user("ci").access_keys[0].last_rotated.is_some());

    let documents = ok(inventory.iam_policy_documents().await);
    let names: Vec<&str> = documents.iter().map(|d| d.name.as_str()).collect();
    assert!(
        names.contains(&"orr-admin") && names.contains(&"orr-read-only"),
        "{names:?}"
    );
    assert!(
        names.contains(&"deploy-anything"),
        "inline policies are read: {names:?}"
    );
    let admin = documents.iter().find(|d| d.name == "orr-admin").unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&admin.document).expect("decoded JSON");
    assert_eq!(parsed["Statement"][0]["Action"], "*");
}

#[tokio::test]
async fn cloudtrail_reader_reads_trails_status_and_selectors() {
    let moto = Moto::start();
    seed::cloudtrail_scenario(&moto.sdk_config().await).await;
    let inventory = inventory(&moto).await;

    let seen = inventory.cloudtrail_trails().await;
    assert!(seen.unreadable.is_empty());
    let trails = seen.trails;
    let org = trails.iter().find(|t| t.name == "org-trail").unwrap();
    assert!(org.is_multi_region && org.log_file_validation && org.kms_key_id.is_some());
    assert_eq!(org.home_region, REGION);
    let local = trails.iter().find(|t| t.name == "local-trail").unwrap();
    assert!(!local.is_multi_region && local.kms_key_id.is_none());

    let status = ok(inventory.cloudtrail_trail_status().await);
    assert!(ok(&status[&org.arn]).is_logging);
    assert!(!ok(&status[&local.arn]).is_logging);
    let selectors = ok(inventory.cloudtrail_event_selectors().await);
    assert!(ok(&selectors[&org.arn]).records_all_management_events());
}

#[tokio::test]
async fn config_reader_joins_recorders_and_keeps_unemulated_calls_as_errors() {
    let moto = Moto::start();
    seed::config_scenario(&moto.sdk_config().await).await;
    let inventory = inventory(&moto).await;

    let recorders = ok(inventory.config_recorders(REGION).await);
    assert_eq!(recorders.len(), 1);
    assert!(recorders[0].records_all_resource_types());
    assert_eq!(recorders[0].recording, Some(true));

    // moto answers DescribeConformancePacks with HTTP 500: kept as an error value.
    match inventory.config_conformance_packs(REGION).await {
        Fetched::Error(error) => {
            assert_eq!(
                (error.service.as_str(), error.operation.as_str()),
                ("config", "DescribeConformancePacks")
            );
            assert!(error.message.contains("HTTP 500"), "{error}");
        }
        Fetched::Ok(packs) => {
            panic!("moto gained conformance packs ({packs:?}): seed one and test it")
        }
    }
}

#[tokio::test]
async fn rds_reader_reads_instances_and_their_parameter_groups() {
    let moto = Moto::start();
    seed::rds_scenario(&moto.sdk_config().await).await;
    let inventory = inventory(&moto).await;

    let instances = ok(inventory.rds_instances(REGION).await);
    let orders = instances.iter().find(|i| i.id == "orders").unwrap();
    assert_eq!(
        (orders.engine.as_str(), orders.engine_version.as_str()),
        ("postgres", "16.3")
    );
    assert!(orders.storage_encrypted && orders.multi_az && orders.deletion_protection);
    assert!(!orders.publicly_accessible);
    assert_eq!(orders.backup_retention_days, 14);
    assert_eq!(orders.parameter_group.as_deref(), Some("orders-pg16"));
    let legacy = instances.iter().find(|i| i.id == "legacy").unwrap();
    assert!(legacy.publicly_accessible && !legacy.storage_encrypted);

    let parameters = ok(inventory.rds_parameters(REGION).await);
    assert_eq!(
        ok(&parameters["orders-pg16"])["rds.force_ssl"].as_deref(),
        Some("1")
    );
    assert!(!ok(&parameters["legacy-mysql80"]).contains_key("require_secure_transport"));
    assert!(ok(inventory.rds_clusters(REGION).await).is_empty());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_an_error_value_naming_the_call() {
    // A closed loopback port: nothing leaves the machine.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "t", "t", None, None, "test",
        ))
        .region(aws_config::Region::new(REGION))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .load()
        .await;
    // One attempt: a refused connection is retried like any transient failure.
    let options = ConnectOptions {
        concurrency: 4,
        resilience: Resilience {
            max_attempts: 1,
            ..Resilience::default()
        },
        ..ConnectOptions::default()
    };
    match AwsReader::connect_with(sdk, &options).await {
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains("sts GetCallerIdentity"), "{message}");
            assert!(message.contains("DispatchFailure"), "{message}");
        }
        Ok(_) => panic!("connected to a closed port"),
    }
}

/// The readers added with the ORR controls, against the seeded services moto answers;
/// the ones it does not answer stay error values naming the call.
#[tokio::test]
async fn orr_service_readers_read_the_seeded_account() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    seed::security_services_scenario(&sdk).await;
    let vpc = seed::ec2_scenario(&sdk).await;
    seed::messaging_scenario(&sdk).await;
    seed::elasticache_scenario(&sdk).await;
    seed::ecs_scenario(&sdk).await;
    seed::observability_scenario(&sdk).await;
    seed::data_and_cost_scenario(&sdk).await;
    let inventory = inventory(&moto).await;

    let detectors = ok(inventory.guardduty_detectors(REGION).await);
    assert_eq!(detectors[0].status, "ENABLED");
    assert!(ok(inventory.securityhub_hub(REGION).await).is_some());
    assert!(*ok(inventory.ec2_ebs_encryption_by_default(REGION).await));
    let groups = ok(inventory.ec2_security_groups(REGION).await);
    let bastion = groups.iter().find(|g| g.name == "orr-bastion").unwrap();
    assert_eq!(bastion.ingress[0].open_to_world(), ["0.0.0.0/0"]);
    let endpoints = ok(inventory.ec2_vpc_endpoints(REGION).await);
    assert!(endpoints
        .iter()
        .any(|e| e.vpc_id == vpc && e.endpoint_type == "Gateway"));
    assert!(ok(inventory.ec2_route_tables(REGION).await)
        .iter()
        .any(|t| t.vpc_id == vpc && !t.internet_gateway_route));

    let queues = ok(inventory.sqs_queues(REGION).await);
    let orders = queues
        .values()
        .filter_map(|q| q.as_result().ok())
        .find(|q| q.name() == "orr-orders")
        .unwrap();
    assert!(orders
        .dead_letter_target
        .as_deref()
        .unwrap()
        .ends_with(":orr-orders-dlq"));
    let topics = ok(inventory.sns_topic_attributes(REGION).await);
    assert_eq!(
        topics
            .values()
            .filter(|t| ok(t).kms_master_key_id.is_some())
            .count(),
        1
    );
    let rotation = ok(inventory.kms_rotation(REGION).await);
    assert_eq!(rotation.values().filter(|r| *ok(r)).count(), 1);

    let groups = ok(inventory.elasticache_replication_groups(REGION).await);
    assert!(groups[0].at_rest_encryption && groups[0].auth_token_enabled);
    let services = ok(inventory.ecs_services(REGION).await);
    assert_eq!(ok(services.values().next().unwrap())[0].name, "api");
    let targets = ok(inventory.ecs_scalable_targets(REGION).await);
    assert_eq!((targets[0].min_capacity, targets[0].max_capacity), (2, 10));
    let policies = ok(inventory.ecs_scaling_policies(REGION).await);
    assert_eq!(policies[0].target_value, Some(70.0));

    let mappings = ok(inventory.lambda_event_source_mappings(REGION).await);
    assert_eq!(
        mappings[0].function_response_types,
        ["ReportBatchItemFailures"]
    );
    let reserved = ok(inventory.lambda_reserved_concurrency(REGION).await);
    assert_eq!(ok(&reserved["orr-consumer"]), &Some(20));
    let logs = ok(inventory.logs_log_groups(REGION).await);
    assert!(logs
        .iter()
        .any(|g| g.name == "/orr/api" && g.retention_days == Some(30)));
    let pitr = ok(inventory.dynamodb_continuous_backups(REGION).await);
    assert_eq!(
        ok(&pitr["orr-orders"]).point_in_time_recovery.as_deref(),
        Some("ENABLED")
    );
    let budgets = ok(inventory.budgets_budgets().await);
    assert!(budgets[0].is_monthly_cost());
    let notifications = ok(inventory.budgets_notifications().await);
    assert_eq!(ok(&notifications["orr-monthly"]).len(), 2);

    // Not emulated by moto 5.2 (see ../shared/MOTO.md and the conversion tests beside
    // each reader): kept as errors, never as empty answers.
    for (error, operation) in [
        (
            inventory.cloudwatch_alarms(REGION).await.as_result().err(),
            "DescribeAlarms",
        ),
        (
            inventory.ce_anomaly_monitors().await.as_result().err(),
            "GetAnomalyMonitors",
        ),
        (
            inventory
                .elasticache_serverless_caches(REGION)
                .await
                .as_result()
                .err(),
            "DescribeServerlessCaches",
        ),
    ] {
        let error = error.unwrap_or_else(|| panic!("moto gained {operation}: seed it and test it"));
        assert_eq!(error.operation, operation);
    }
}

/// The production-readiness pieces read back from moto into orr's model, each field the
/// checks judge.
#[tokio::test]
async fn production_readiness_readers_read_the_seeded_account() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    seed::s3_scenario(&sdk).await; // the bucket flow logs and access logs go to
    seed::rds_scenario(&sdk).await;
    seed::ec2_scenario(&sdk).await;
    seed::production_scenario(&sdk).await;
    let inventory = inventory(&moto).await;

    let balancers = ok(inventory.elbv2_load_balancers(REGION).await);
    let web = balancers.iter().find(|lb| lb.name == "orr-web").unwrap();
    assert_eq!(
        aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::from(web.kind.as_str()),
        aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Application
    );
    assert_eq!(web.availability_zones.len(), 2);
    let attributes = ok(inventory.elbv2_attributes(REGION).await);
    assert_eq!(
        ok(&attributes[&web.arn])["deletion_protection.enabled"],
        "true"
    );
    let listeners = ok(inventory.elbv2_listeners(REGION).await);
    let web_listeners = ok(&listeners[&web.arn]);
    let http = web_listeners.iter().find(|l| l.is_plain_http()).unwrap();
    assert_eq!(
        http.default_actions[0].redirect_protocol.as_deref(),
        Some("HTTPS")
    );
    let rules = ok(inventory.elbv2_listener_rules(REGION).await);
    assert!(
        ok(&rules[&http.arn]).is_empty(),
        "the default rule is the listener's own"
    );
    let policies = ok(inventory.elbv2_ssl_policies(REGION).await);
    let old = policies
        .iter()
        .find(|p| p.name == "ELBSecurityPolicy-2016-08")
        .unwrap();
    assert_eq!(old.legacy_protocols(), ["TLSv1.1", "TLSv1"]);

    let groups = ok(inventory.autoscaling_groups(REGION).await);
    let worker = groups.iter().find(|g| g.name == "orr-worker-asg").unwrap();
    assert_eq!(
        (
            worker.health_check_type.as_str(),
            worker.availability_zones.len()
        ),
        ("EC2", 1)
    );
    assert_eq!(worker.needed_health_check(), Some("ELB"));

    let instances = ok(inventory.ec2_instances(REGION).await);
    assert_eq!(
        instances
            .iter()
            .filter(|i| i.is_running() && i.requires_imdsv2())
            .count(),
        1
    );
    let logs = ok(inventory.ec2_flow_logs(REGION).await);
    assert!(
        logs.iter()
            .all(|l| l.recording() == orr::model::ec2::FlowLogRecording::Rejected)
            && logs.len() == 1
    );
    // moto ignores DescribeSnapshots' RestorableByUserIds (it lists every owned
    // snapshot): the EBS sweep's filter is tested on SDK values in src/inventory/aws.
    let swept = ok(inventory.ec2_public_snapshots_everywhere().await);
    assert!(!ok(&swept[REGION]).snapshots.is_empty());
    // The audited region's AMIs are its regional listing, read once.
    assert_eq!(
        ok(&ok(inventory.ec2_images_everywhere().await)[REGION]),
        ok(inventory.ec2_images(REGION).await)
    );
    assert!(ok(inventory.ec2_images(REGION).await)
        .iter()
        .any(|i| i.public));

    let snapshots = ok(inventory.rds_snapshots(REGION).await);
    assert_eq!(snapshots.len(), 2);
    let restore = ok(inventory.rds_snapshot_restore(REGION).await);
    let shared = snapshots.iter().find(|s| s.id == "legacy-shared").unwrap();
    assert_eq!(ok(&restore[&shared.arn]), &["all"]);
    let swept = ok(&ok(inventory.rds_snapshots_everywhere().await)[REGION]);
    assert_eq!(&swept.snapshots, snapshots);
    assert_eq!(ok(&swept.restore[&shared.arn]), &["all"]);
    assert!(swept.unread.is_empty());

    let certificates = ok(inventory.acm_certificates(REGION).await);
    let served = certificates
        .values()
        .map(ok)
        .find(|c| c.domain == "orr.example.com")
        .unwrap();
    assert!(served.is_issued() && served.in_use_by.len() == 2 && served.not_after.is_some());
    let secrets = ok(inventory.secretsmanager_secrets(REGION).await);
    let db = secrets.iter().find(|s| s.name == "orr/db").unwrap();
    assert!(db.rotation_enabled && db.rotation_days == Some(30));
}

/// The exposure checks read every enabled region whatever `--region` says: a public AMI
/// and a public DB snapshot in a region the run does not audit fail there, named so.
#[test]
fn public_copies_in_a_region_nobody_audits_fail_there() {
    use aws_sdk_ec2::types::{LaunchPermission, LaunchPermissionModifications, PermissionGroup};

    const FAR: &str = "ap-southeast-2";
    let moto = Moto::start();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let sdk = moto
            .sdk_config()
            .await
            .into_builder()
            .region(aws_config::Region::new(FAR))
            .build();
        let ec2 = aws_sdk_ec2::Client::new(&sdk);
        let run = ec2
            .run_instances()
            .image_id("ami-12345678")
            .min_count(1)
            .max_count(1)
            .send()
            .await
            .unwrap();
        let instance = run.instances()[0].instance_id().unwrap();
        let image = ec2
            .create_image()
            .instance_id(instance)
            .name("forgotten-golden")
            .send()
            .await
            .unwrap();
        let all = LaunchPermission::builder()
            .group(PermissionGroup::All)
            .build();
        ec2.modify_image_attribute()
            .image_id(image.image_id().unwrap())
            .launch_permission(LaunchPermissionModifications::builder().add(all).build())
            .send()
            .await
            .unwrap();
        let rds = aws_sdk_rds::Client::new(&sdk);
        rds.create_db_instance()
            .db_instance_identifier("forgotten")
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("forgotten")
            .master_user_password("not-a-real-password-1")
            .send()
            .await
            .unwrap();
        rds.create_db_snapshot()
            .db_instance_identifier("forgotten")
            .db_snapshot_identifier("forgotten-export")
            .send()
            .await
            .unwrap();
        rds.modify_db_snapshot_attribute()
            .db_snapshot_identifier("forgotten-export")
            .attribute_name("restore")
            .values_to_add("all")
            .send()
            .await
            .unwrap();
    });
    let output = support::orr()
        .envs(moto.env())
        .args([
            "audit",
            "--region",
            REGION,
            "--output",
            "json",
            "--max-attempts",
            "2",
        ])
        .args(["--checks", "ec2.no_public_amis,rds.no_public_snapshots"])
        .output()
        .unwrap();
    let audit = support::json_audit(&output);
    for (check, resource) in [
        ("ec2.no_public_amis", "image/"),
        ("rds.no_public_snapshots", "snapshot:forgotten-export"),
    ] {
        let finding = support::finding_of(&audit, check, resource);
        assert_eq!(finding["status"], "FAIL", "{finding:#}");
        assert_eq!(finding["region"], FAR, "{finding:#}");
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("(in ap-southeast-2, which this run does not audit)"),
            "{finding:#}"
        );
    }
    assert_eq!(output.status.code(), Some(1));
}
