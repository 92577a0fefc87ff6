//! A production-like account with known right answers, written through the SDK into
//! the emulator. Each service's scenario is described where it is made.

use aws_config::SdkConfig;
use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, ExpirationStatus, LifecycleRule, LifecycleRuleFilter,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};

/// S3 Control at the emulator, as orr reaches it (the account id stays out of the host).
fn s3control(sdk: &SdkConfig) -> aws_sdk_s3control::Client {
    aws_sdk_s3control::Client::from_conf(
        aws_sdk_s3control::config::Builder::from(sdk)
            .endpoint_resolver(orr::inventory::aws::EmulatorEndpoint(
                sdk.endpoint_url().unwrap().to_string(),
            ))
            .build(),
    )
}

/// The region every scenario is written in.
const REGION: &str = "us-east-1";

pub const TLS_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::orr-app-data","arn:aws:s3:::orr-app-data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
const READ_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::orr-partial/*"}]}"#;
pub const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const READ_ONLY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;

/// An S3 client for moto: path-style, as bucket host names do not resolve on loopback.
pub fn s3(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    )
}

fn block(flags: [bool; 4]) -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration::builder()
        .block_public_acls(flags[0])
        .ignore_public_acls(flags[1])
        .block_public_policy(flags[2])
        .restrict_public_buckets(flags[3])
        .build()
}

fn encryption(algorithm: ServerSideEncryption) -> ServerSideEncryptionConfiguration {
    ServerSideEncryptionConfiguration::builder()
        .rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(
                    ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(algorithm)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .build()
        .unwrap()
}

fn lifecycle(status: ExpirationStatus) -> BucketLifecycleConfiguration {
    BucketLifecycleConfiguration::builder()
        .rules(
            LifecycleRule::builder()
                .id("expire-old")
                .status(status)
                .filter(LifecycleRuleFilter::builder().prefix("").build())
                .expiration(
                    aws_sdk_s3::types::LifecycleExpiration::builder()
                        .days(365)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// S3: the account blocks public ACLs only (two of four flags: FAIL).
/// - orr-app-data: KMS default encryption, all four bucket flags, TLS-only policy, an
///   enabled lifecycle rule: passes everything.
/// - orr-partial: SSE-S3, the two policy flags at bucket level (with the account's two
///   ACL flags: effectively blocked, PASS), a policy without a TLS deny (FAIL), a
///   disabled lifecycle rule (FAIL).
/// - orr-legacy: nothing configured: fails every bucket check.
pub async fn s3_scenario(sdk: &SdkConfig) {
    let client = s3(sdk);
    for bucket in ["orr-app-data", "orr-partial", "orr-legacy"] {
        client.create_bucket().bucket(bucket).send().await.unwrap();
    }
    let control = s3control(sdk);
    control
        .put_public_access_block()
        .account_id(super::ACCOUNT)
        .public_access_block_configuration(
            aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(false)
                .restrict_public_buckets(false)
                .build(),
        )
        .send()
        .await
        .unwrap();

    configure_bucket(
        &client,
        "orr-app-data",
        BucketSettings {
            encryption: Some(ServerSideEncryption::AwsKms),
            block: Some([true; 4]),
            policy: Some(TLS_POLICY.to_string()),
            lifecycle: Some(ExpirationStatus::Enabled),
        },
    )
    .await;
    configure_bucket(
        &client,
        "orr-partial",
        BucketSettings {
            encryption: Some(ServerSideEncryption::Aes256),
            block: Some([false, false, true, true]),
            policy: Some(READ_POLICY.to_string()),
            lifecycle: Some(ExpirationStatus::Disabled),
        },
    )
    .await;
}

/// What to set on a bucket; `None` leaves that setting unconfigured.
#[derive(Default)]
struct BucketSettings {
    encryption: Option<ServerSideEncryption>,
    block: Option<[bool; 4]>,
    policy: Option<String>,
    lifecycle: Option<ExpirationStatus>,
}

async fn configure_bucket(client: &aws_sdk_s3::Client, bucket: &str, settings: BucketSettings) {
    if let Some(algorithm) = settings.encryption {
        client
            .put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(encryption(algorithm))
            .send()
            .await
            .unwrap();
    }
    if let Some(flags) = settings.block {
        client
            .put_public_access_block()
            .bucket(bucket)
            .public_access_block_configuration(block(flags))
            .send()
            .await
            .unwrap();
    }
    if let Some(policy) = settings.policy {
        client
            .put_bucket_policy()
            .bucket(bucket)
            .policy(policy)
            .send()
            .await
            .unwrap();
    }
    if let Some(status) = settings.lifecycle {
        client
            .put_bucket_lifecycle_configuration()
            .bucket(bucket)
            .lifecycle_configuration(lifecycle(status))
            .send()
            .await
            .unwrap();
    }
}

/// IAM: a password policy of length 12 (FAIL); root without MFA (moto: FAIL) and
/// without keys (PASS); alice with a console password and no MFA (FAIL), bob with
/// both (PASS), ci with a fresh access key (rotation PASS) and an inline `*:*`
/// policy (FAIL); customer policies `orr-admin` (FAIL) and `orr-read-only` (PASS).
pub async fn iam_scenario(sdk: &SdkConfig) {
    let iam = aws_sdk_iam::Client::new(sdk);
    iam.update_account_password_policy()
        .minimum_password_length(12)
        .password_reuse_prevention(24)
        .send()
        .await
        .unwrap();
    for user in ["alice", "bob", "ci"] {
        iam.create_user().user_name(user).send().await.unwrap();
    }
    for user in ["alice", "bob"] {
        iam.create_login_profile()
            .user_name(user)
            .password("Correct-Horse-Battery-9")
            .send()
            .await
            .unwrap();
    }
    let device = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob")
        .send()
        .await
        .unwrap();
    iam.enable_mfa_device()
        .user_name("bob")
        .serial_number(device.virtual_mfa_device().unwrap().serial_number())
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .unwrap();
    iam.create_access_key()
        .user_name("ci")
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("ci")
        .policy_name("deploy-anything")
        .policy_document(ADMIN_POLICY)
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("orr-admin")
        .policy_document(ADMIN_POLICY)
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("orr-read-only")
        .policy_document(READ_ONLY_POLICY)
        .send()
        .await
        .unwrap();
}

/// CloudTrail: `org-trail` is multi-region, validated, KMS-encrypted and logging
/// (PASS everywhere); `local-trail` is single-region without KMS (kms FAIL).
pub async fn cloudtrail_scenario(sdk: &SdkConfig) {
    s3(sdk)
        .create_bucket()
        .bucket("orr-trail-logs")
        .send()
        .await
        .unwrap();
    let kms_key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    let trails = aws_sdk_cloudtrail::Client::new(sdk);
    trails
        .create_trail()
        .name("org-trail")
        .s3_bucket_name("orr-trail-logs")
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .kms_key_id(kms_key)
        .send()
        .await
        .unwrap();
    default_selectors(&trails, "org-trail").await;
    trails
        .start_logging()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    trails
        .create_trail()
        .name("local-trail")
        .s3_bucket_name("orr-trail-logs")
        .send()
        .await
        .unwrap();
}

/// The selector AWS gives a new trail by default (every management event, read and
/// write); moto gives none.
async fn default_selectors(trails: &aws_sdk_cloudtrail::Client, trail: &str) {
    trails
        .put_event_selectors()
        .trail_name(trail)
        .event_selectors(
            aws_sdk_cloudtrail::types::EventSelector::builder()
                .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// Config: a recorder for all resource types, recording (PASS). Conformance packs
/// cannot be created in moto (its DescribeConformancePacks answers HTTP 500), so
/// config.conformance_pack is ERROR there: the honest answer.
pub async fn config_scenario(sdk: &SdkConfig) {
    s3(sdk)
        .create_bucket()
        .bucket("orr-config-history")
        .send()
        .await
        .unwrap();
    let config = aws_sdk_config::Client::new(sdk);
    config
        .put_configuration_recorder()
        .configuration_recorder(
            aws_sdk_config::types::ConfigurationRecorder::builder()
                .name("default")
                .role_arn("arn:aws:iam::123456789012:role/aws-config")
                .recording_group(
                    aws_sdk_config::types::RecordingGroup::builder()
                        .all_supported(true)
                        .include_global_resource_types(true)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    config
        .put_delivery_channel()
        .delivery_channel(
            aws_sdk_config::types::DeliveryChannel::builder()
                .name("default")
                .s3_bucket_name("orr-config-history")
                .build(),
        )
        .send()
        .await
        .unwrap();
    config
        .start_configuration_recorder()
        .configuration_recorder_name("default")
        .send()
        .await
        .unwrap();
}

/// RDS: `orders` (PostgreSQL 16, encrypted, private, Multi-AZ, protected, 14 days of
/// backups, rds.force_ssl=1) passes; `legacy` (MySQL 8.0, unencrypted, public,
/// single-AZ, unprotected, 1 day, require_secure_transport at its default OFF) fails.
/// moto never returns Performance Insights or MonitoringInterval, so those two checks
/// are ERROR for both: orr does not guess.
pub async fn rds_scenario(sdk: &SdkConfig) {
    let rds = aws_sdk_rds::Client::new(sdk);
    rds.create_db_parameter_group()
        .db_parameter_group_name("orders-pg16")
        .db_parameter_group_family("postgres16")
        .description("orders")
        .send()
        .await
        .unwrap();
    rds.modify_db_parameter_group()
        .db_parameter_group_name("orders-pg16")
        .parameters(
            aws_sdk_rds::types::Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value("1")
                .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .unwrap();
    rds.create_db_parameter_group()
        .db_parameter_group_name("legacy-mysql80")
        .db_parameter_group_family("mysql8.0")
        .description("legacy")
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("orders")
        .engine("postgres")
        .engine_version("16.3")
        .db_instance_class("db.m6g.large")
        .allocated_storage(100)
        .master_username("orders")
        .master_user_password("not-a-real-password-1")
        .storage_encrypted(true)
        .publicly_accessible(false)
        .multi_az(true)
        .deletion_protection(true)
        .backup_retention_period(14)
        .db_parameter_group_name("orders-pg16")
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("legacy")
        .engine("mysql")
        .engine_version("8.0.35")
        .db_instance_class("db.t3.medium")
        .allocated_storage(20)
        .master_username("admin")
        .master_user_password("not-a-real-password-2")
        .storage_encrypted(false)
        .publicly_accessible(true)
        .multi_az(false)
        .deletion_protection(false)
        .backup_retention_period(1)
        .db_parameter_group_name("legacy-mysql80")
        .send()
        .await
        .unwrap();
}

/// `count` more buckets with SSE-S3 and a TLS-only policy, to give the per-bucket reads
/// some width in benchmarks.
pub async fn extra_buckets(sdk: &SdkConfig, count: usize) {
    let client = s3(sdk);
    for n in 0..count {
        let bucket = format!("orr-bench-{n:04}");
        client.create_bucket().bucket(&bucket).send().await.unwrap();
        let settings = BucketSettings {
            encryption: Some(ServerSideEncryption::Aes256),
            policy: Some(TLS_POLICY.replace("orr-app-data", &bucket)),
            ..BucketSettings::default()
        };
        configure_bucket(&client, &bucket, settings).await;
    }
}

pub async fn whole_account(sdk: &SdkConfig) {
    s3_scenario(sdk).await;
    iam_scenario(sdk).await;
    cloudtrail_scenario(sdk).await;
    config_scenario(sdk).await;
    rds_scenario(sdk).await;
    security_services_scenario(sdk).await;
    ec2_scenario(sdk).await;
    messaging_scenario(sdk).await;
    elasticache_scenario(sdk).await;
    ecs_scenario(sdk).await;
    observability_scenario(sdk).await;
    data_and_cost_scenario(sdk).await;
    production_scenario(sdk).await;
}

/// GuardDuty: a detector, enabled (PASS). moto does not route ListFindings, so
/// guardduty.no_high_findings is ERROR there. Security Hub: enabled (PASS), no findings
/// (PASS); standards are not routed by moto, so securityhub.fsbp_enabled is ERROR.
pub async fn security_services_scenario(sdk: &SdkConfig) {
    aws_sdk_guardduty::Client::new(sdk)
        .create_detector()
        .enable(true)
        .send()
        .await
        .unwrap();
    aws_sdk_securityhub::Client::new(sdk)
        .enable_security_hub()
        .enable_default_standards(false)
        .send()
        .await
        .unwrap();
}

/// EC2: `orr-bastion` opens 22 to the world (FAIL), `orr-web` only 443 (PASS); EBS
/// default encryption on (PASS); VPC `10.42.0.0/16` whose main route table is private
/// has an S3 gateway endpoint but none for DynamoDB (FAIL). Returns the VPC id.
pub async fn ec2_scenario(sdk: &SdkConfig) -> String {
    use aws_sdk_ec2::types::{IpPermission, IpRange, VpcEndpointType};
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    for (name, port) in [("orr-bastion", 22), ("orr-web", 443)] {
        let group = ec2
            .create_security_group()
            .group_name(name)
            .description(name)
            .send()
            .await
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(group.group_id().unwrap())
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(port)
                    .to_port(port)
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    ec2.enable_ebs_encryption_by_default().send().await.unwrap();
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.42.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.create_subnet()
        .vpc_id(&vpc_id)
        .cidr_block("10.42.1.0/24")
        .send()
        .await
        .unwrap();
    let tables = ec2
        .describe_route_tables()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&vpc_id)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let main = tables.route_tables()[0]
        .route_table_id()
        .unwrap()
        .to_string();
    ec2.create_vpc_endpoint()
        .vpc_id(&vpc_id)
        .vpc_endpoint_type(VpcEndpointType::Gateway)
        .service_name(format!("com.amazonaws.{}.s3", REGION))
        .route_table_ids(main)
        .send()
        .await
        .unwrap();
    vpc_id
}

/// SQS: `orr-orders` redrives to `orr-orders-dlq` (PASS, the DLQ is N/A); `orr-emails`
/// has no DLQ (FAIL). moto reports SSE-SQS on every queue, so all are encrypted.
/// SNS: `orr-alerts` with a KMS key (PASS), `orr-events` without (FAIL).
/// KMS: `orr-rotating` rotates (PASS), `orr-static` does not (FAIL).
pub async fn messaging_scenario(sdk: &SdkConfig) {
    use aws_sdk_sqs::types::QueueAttributeName;
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let dlq_arn = queue(&sqs, "orr-orders-dlq").await;
    sqs.create_queue()
        .queue_name("orr-orders")
        .attributes(
            QueueAttributeName::RedrivePolicy,
            format!(r#"{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"5"}}"#),
        )
        .send()
        .await
        .unwrap();
    sqs.create_queue()
        .queue_name("orr-emails")
        .send()
        .await
        .unwrap();

    let sns = aws_sdk_sns::Client::new(sdk);
    sns.create_topic()
        .name("orr-alerts")
        .attributes("KmsMasterKeyId", "alias/aws/sns")
        .send()
        .await
        .unwrap();
    sns.create_topic().name("orr-events").send().await.unwrap();

    let kms = aws_sdk_kms::Client::new(sdk);
    for (name, rotate) in [("orr-rotating", true), ("orr-static", false)] {
        let key = kms.create_key().description(name).send().await.unwrap();
        let id = key.key_metadata().unwrap().key_id().to_string();
        kms.create_alias()
            .alias_name(format!("alias/{name}"))
            .target_key_id(&id)
            .send()
            .await
            .unwrap();
        if rotate {
            kms.enable_key_rotation().key_id(&id).send().await.unwrap();
        }
    }
}

/// ElastiCache: `orr-sessions` encrypted, with an AUTH token and automatic failover
/// (PASS everywhere). moto does not implement DescribeServerlessCaches: each
/// elasticache check also reports one ERROR for the serverless listing.
pub async fn elasticache_scenario(sdk: &SdkConfig) {
    aws_sdk_elasticache::Client::new(sdk)
        .create_replication_group()
        .replication_group_id("orr-sessions")
        .replication_group_description("sessions")
        .engine("redis")
        .cache_node_type("cache.t4g.small")
        .num_cache_clusters(2)
        .at_rest_encryption_enabled(true)
        .transit_encryption_enabled(true)
        .auth_token("a-long-enough-auth-token-0123456789")
        .automatic_failover_enabled(true)
        .send()
        .await
        .unwrap();
}

/// ECS: cluster `orr-prod` with Container Insights (PASS); service `api` with a scalable
/// target 2..10 and a 70 % CPU target-tracking policy (PASS). moto drops the deployment
/// circuit breaker, so ecs.circuit_breaker is ERROR there.
pub async fn ecs_scenario(sdk: &SdkConfig) {
    use aws_sdk_applicationautoscaling::types::{
        MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
        TargetTrackingScalingPolicyConfiguration,
    };
    let ecs = aws_sdk_ecs::Client::new(sdk);
    ecs.create_cluster()
        .cluster_name("orr-prod")
        .settings(
            aws_sdk_ecs::types::ClusterSetting::builder()
                .name(aws_sdk_ecs::types::ClusterSettingName::ContainerInsights)
                .value("enabled")
                .build(),
        )
        .send()
        .await
        .unwrap();
    task_definition(&ecs, "api", "public.ecr.aws/nginx/nginx:latest", 512).await;
    ecs.create_service()
        .cluster("orr-prod")
        .service_name("api")
        .task_definition("api")
        .desired_count(2)
        .send()
        .await
        .unwrap();
    let scaling = aws_sdk_applicationautoscaling::Client::new(sdk);
    scaling
        .register_scalable_target()
        .service_namespace(ServiceNamespace::Ecs)
        .resource_id("service/orr-prod/api")
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .min_capacity(2)
        .max_capacity(10)
        .send()
        .await
        .unwrap();
    scaling
        .put_scaling_policy()
        .service_namespace(ServiceNamespace::Ecs)
        .resource_id("service/orr-prod/api")
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .policy_name("api-cpu70")
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(
            TargetTrackingScalingPolicyConfiguration::builder()
                .target_value(70.0)
                .predefined_metric_specification(
                    PredefinedMetricSpecification::builder()
                        .predefined_metric_type(MetricType::EcsServiceAverageCpuUtilization)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// Lambda: `orr-consumer` consumes `orr-orders` reporting batch item failures (PASS)
/// with 20 reserved executions (PASS). Needs the messaging scenario's queue.
/// CloudWatch is not seeded: the SDK speaks CloudWatch's RPC v2 (CBOR) protocol,
/// which moto 5.2 does not route (HTTP 404), so the cloudwatch checks are ERROR there.
/// Logs: `/orr/api` keeps 30 days (PASS), `/orr/debug` never expires (FAIL).
pub async fn observability_scenario(sdk: &SdkConfig) {
    let lambda = lambda_function(sdk, "orr-consumer").await;
    lambda
        .put_function_concurrency()
        .function_name("orr-consumer")
        .reserved_concurrent_executions(20)
        .send()
        .await
        .unwrap();
    lambda
        .create_event_source_mapping()
        .function_name("orr-consumer")
        .event_source_arn(format!(
            "arn:aws:sqs:{}:{}:orr-orders",
            REGION,
            super::ACCOUNT
        ))
        .function_response_types(
            aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures,
        )
        .send()
        .await
        .unwrap();

    let logs = aws_sdk_cloudwatchlogs::Client::new(sdk);
    for group in ["/orr/api", "/orr/debug"] {
        logs.create_log_group()
            .log_group_name(group)
            .send()
            .await
            .unwrap();
    }
    logs.put_retention_policy()
        .log_group_name("/orr/api")
        .retention_in_days(30)
        .send()
        .await
        .unwrap();
}

/// Creates the queue `name` and returns its ARN.
async fn queue(sqs: &aws_sdk_sqs::Client, name: &str) -> String {
    use aws_sdk_sqs::types::QueueAttributeName;
    let url = sqs.create_queue().queue_name(name).send().await.unwrap();
    sqs.get_queue_attributes()
        .queue_url(url.queue_url().unwrap())
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()[&QueueAttributeName::QueueArn]
        .clone()
}

/// Registers `family`: one container of `image` with `memory` MiB.
async fn task_definition(ecs: &aws_sdk_ecs::Client, family: &str, image: &str, memory: i32) {
    ecs.register_task_definition()
        .family(family)
        .container_definitions(
            aws_sdk_ecs::types::ContainerDefinition::builder()
                .name(family)
                .image(image)
                .memory(memory)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// A Python function named `name` with its own execution role; the Lambda client that
/// made it.
async fn lambda_function(sdk: &SdkConfig, name: &str) -> aws_sdk_lambda::Client {
    function_on(sdk, name, aws_sdk_lambda::types::Runtime::Python312).await
}

/// A function named `name` on `runtime`, with its own execution role.
pub async fn function_on(
    sdk: &SdkConfig,
    name: &str,
    runtime: aws_sdk_lambda::types::Runtime,
) -> aws_sdk_lambda::Client {
    let role = aws_sdk_iam::Client::new(sdk)
        .create_role()
        .role_name(format!("{name}-role"))
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    let lambda = aws_sdk_lambda::Client::new(sdk);
    // The smallest valid zip archive (an empty one): moto stores code without running it.
    let empty_zip = vec![
        0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    lambda
        .create_function()
        .function_name(name)
        .runtime(runtime)
        .role(role.role().unwrap().arn())
        .handler("app.handler")
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_sdk_lambda::primitives::Blob::new(empty_zip))
                .build(),
        )
        .send()
        .await
        .unwrap();
    lambda
}

/// An on-demand DynamoDB table keyed by `id`, with deletion protection or not.
pub async fn dynamodb_table(sdk: &SdkConfig, name: &str, deletion_protection: bool) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    aws_sdk_dynamodb::Client::new(sdk)
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .deletion_protection_enabled(deletion_protection)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// DynamoDB: `orr-orders` with PITR (PASS), deletion protection (PASS) and no TTL
/// (FAIL); `orr-sessions` with TTL (PASS) and neither PITR nor deletion protection
/// (FAIL). Backup: one plan; moto does not implement
/// ListBackupSelections, so backup.plan_exists is ERROR there. Budgets: a 400 USD
/// monthly cost budget alerting at 80 % and 100 % (PASS; moto reports zero spend).
/// Cost Explorer anomaly monitors are not implemented by moto: ERROR.
pub async fn data_and_cost_scenario(sdk: &SdkConfig) {
    use aws_sdk_dynamodb::types::{PointInTimeRecoverySpecification, TimeToLiveSpecification};
    let dynamodb = aws_sdk_dynamodb::Client::new(sdk);
    for table in ["orr-orders", "orr-sessions"] {
        dynamodb_table(sdk, table, table == "orr-orders").await;
    }
    dynamodb
        .update_continuous_backups()
        .table_name("orr-orders")
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    dynamodb
        .update_time_to_live()
        .table_name("orr-sessions")
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name("expires_at")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    aws_sdk_backup::Client::new(sdk)
        .create_backup_plan()
        .backup_plan(
            aws_sdk_backup::types::BackupPlanInput::builder()
                .backup_plan_name("orr-daily")
                .rules(
                    aws_sdk_backup::types::BackupRuleInput::builder()
                        .rule_name("daily")
                        .target_backup_vault_name("Default")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    monthly_budget(sdk, super::ACCOUNT, "orr-monthly").await;
}

/// A monthly cost budget of `account` with its whole spend in view, its limit at 400 USD,
/// alerting at 80 % and 100 % of actual spend.
pub async fn monthly_budget(sdk: &SdkConfig, account: &str, name: &str) {
    use aws_sdk_budgets::types::{
        Budget, BudgetType, ComparisonOperator, Notification, NotificationType,
        NotificationWithSubscribers, Spend, Subscriber, SubscriptionType, ThresholdType, TimeUnit,
    };
    let alert = |percent: f64| {
        NotificationWithSubscribers::builder()
            .notification(
                Notification::builder()
                    .notification_type(NotificationType::Actual)
                    .comparison_operator(ComparisonOperator::GreaterThan)
                    .threshold(percent)
                    .threshold_type(ThresholdType::Percentage)
                    .build()
                    .unwrap(),
            )
            .subscribers(
                Subscriber::builder()
                    .subscription_type(SubscriptionType::Email)
                    .address("finops@example.com")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    aws_sdk_budgets::Client::new(sdk)
        .create_budget()
        .account_id(account)
        .budget(
            Budget::builder()
                .budget_name(name)
                .budget_type(BudgetType::Cost)
                .time_unit(TimeUnit::Monthly)
                .budget_limit(Spend::builder().amount("400").unit("USD").build().unwrap())
                .build()
                .unwrap(),
        )
        .notifications_with_subscribers(alert(80.0))
        .notifications_with_subscribers(alert(100.0))
        .send()
        .await
        .unwrap();
}

/// An organization run from the default (management) account, with one member account
/// per name, each created by AWS Organizations (so reached through
/// `OrganizationAccountAccessRole`). Returns the members' ids, in the order of `names`.
pub async fn organization(sdk: &SdkConfig, names: &[&str]) -> Vec<String> {
    let client = aws_sdk_organizations::Client::new(sdk);
    client
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let mut ids = Vec::new();
    for name in names {
        let created = client
            .create_account()
            .account_name(*name)
            .email(format!("{name}@example.com"))
            .send()
            .await
            .unwrap();
        let id = created
            .create_account_status()
            .and_then(|s| s.account_id())
            .expect("moto creates the account at once")
            .to_string();
        ids.push(id);
    }
    ids
}

/// The SDK configuration of a member account: the management account's credentials
/// exchanged for the member's `OrganizationAccountAccessRole` (moto files everything
/// done with them under the member account).
pub async fn member(sdk: &SdkConfig, account: &str) -> SdkConfig {
    let assumed = aws_sdk_sts::Client::new(sdk)
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("orr-seed")
        .send()
        .await
        .unwrap();
    let credentials = assumed.credentials().expect("assumed credentials");
    sdk.to_builder()
        .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(
            aws_sdk_s3::config::Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                Some(credentials.session_token().to_string()),
                None,
                "orr-seed",
            ),
        ))
        .build()
}

/// `count` buckets named `<prefix>-<n>` (bucket names are global, so each account
/// needs its own prefix), the even ones with SSE-S3 and the odd ones with nothing.
pub async fn mixed_buckets(sdk: &SdkConfig, prefix: &str, count: usize) {
    let client = s3(sdk);
    for n in 0..count {
        let bucket = format!("{prefix}-{n:03}");
        client.create_bucket().bucket(&bucket).send().await.unwrap();
        if n % 2 == 0 {
            let settings = BucketSettings {
                encryption: Some(ServerSideEncryption::Aes256),
                ..BucketSettings::default()
            };
            configure_bucket(&client, &bucket, settings).await;
        }
    }
}

/// How many of each resource `at_scale` adds.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub buckets: usize,
    pub databases: usize,
    pub users: usize,
    pub queues: usize,
    pub services: usize,
}

impl Scale {
    /// The benchmarks' account at scale (about ten times the test scenario).
    pub const BENCHMARK: Scale = Scale {
        buckets: 100,
        databases: 30,
        users: 100,
        queues: 50,
        services: 20,
    };
}

/// The benchmark's account: buckets (half encrypted), PostgreSQL instances (half
/// encrypted, default parameter groups), users (every third with an access key), plain
/// queues, and services in one ECS cluster.
pub async fn at_scale(sdk: &SdkConfig, scale: Scale) {
    mixed_buckets(sdk, "orr-scale", scale.buckets).await;
    let rds = aws_sdk_rds::Client::new(sdk);
    for n in 0..scale.databases {
        rds.create_db_instance()
            .db_instance_identifier(format!("scale-db-{n:03}"))
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("scale")
            .master_user_password("not-a-real-password-3")
            .storage_encrypted(n % 2 == 0)
            .send()
            .await
            .unwrap();
    }
    let iam = aws_sdk_iam::Client::new(sdk);
    for n in 0..scale.users {
        let user = format!("scale-user-{n:03}");
        iam.create_user().user_name(&user).send().await.unwrap();
        if n % 3 == 0 {
            iam.create_access_key()
                .user_name(&user)
                .send()
                .await
                .unwrap();
        }
    }
    let sqs = aws_sdk_sqs::Client::new(sdk);
    for n in 0..scale.queues {
        sqs.create_queue()
            .queue_name(format!("scale-queue-{n:03}"))
            .send()
            .await
            .unwrap();
    }
    let ecs = aws_sdk_ecs::Client::new(sdk);
    ecs.create_cluster()
        .cluster_name("orr-scale")
        .send()
        .await
        .unwrap();
    task_definition(&ecs, "scale", "public.ecr.aws/nginx/nginx:latest", 256).await;
    for n in 0..scale.services {
        ecs.create_service()
            .cluster("orr-scale")
            .service_name(format!("scale-svc-{n:03}"))
            .task_definition("scale")
            .desired_count(1)
            .send()
            .await
            .unwrap();
    }
}

/// The shapes of real production accounts that moto can hold, each with the verdict
/// AWS's documentation gives it (asserted in tests/real_world.rs):
/// - Security Hub findings of every severity: two of this account and region that are
///   FAILED at CRITICAL and HIGH (counted), and FAILED CRITICAL ones of another account
///   and of another region, a PASSED CRITICAL one and FAILED LOW/MEDIUM/INFORMATIONAL
///   ones (not counted). Reading them once overflowed a 2 MiB worker stack.
/// - `orr-rw-pl-ssh`, SSH open to a prefix list holding 0.0.0.0/0 (FAIL).
/// - `orr-rw-frankfurt`, an unprotected bucket in eu-central-1, judged whatever regions
///   are audited.
/// - A Neptune cluster and instance, listed by the RDS API but not RDS's to judge.
/// - `orr-rw-pg` and its read replica `orr-rw-pg-replica` without backups (N/A).
/// - `orr-rw-maria118` on the default parameter group of MariaDB 11.8 (TLS forced by
///   default) and `orr-rw-oracle` with native network encryption REQUIRED (PASS).
/// - An ECS DAEMON service (auto scaling N/A).
/// - `orr-rw-migrating`, a cache with TLS in `preferred` mode (FAIL), and `orr-rw-rbac`
///   with an RBAC user group (moto cannot describe user groups: ERROR).
/// - Only a budget filtered to one service (no account-wide budget: FAIL).
/// - `orr-rw-bounded`, consuming a queue with a maximum concurrency (PASS without
///   reserved concurrency).
/// - Queues that are the dead-letter queues of an SNS subscription and of an EventBridge
///   rule target (N/A), and one that is nobody's (FAIL). moto drops a function's
///   `DeadLetterConfig` and answers ListFunctionEventInvokeConfigs with `LastModified` as
///   text (the SDK wants epoch seconds): Lambda's dead-letter queues and on-failure
///   destinations are tested on SDK values only.
pub async fn real_world_shapes(sdk: &SdkConfig) {
    security_hub_findings(sdk).await;
    pipe_and_schedule(sdk).await;

    let frankfurt = sdk
        .to_builder()
        .region(aws_config::Region::new("eu-central-1"))
        .build();
    s3(&frankfurt)
        .create_bucket()
        .bucket("orr-rw-frankfurt")
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuCentral1)
                .build(),
        )
        .send()
        .await
        .unwrap();

    real_world_databases(sdk).await;
    real_world_services(sdk).await;
    world_through_a_prefix_list(sdk).await;
    classic_load_balancers(sdk).await;
}

/// Classic Load Balancers (the 2012 API, which elbv2 does not list): `orr-rw-clb-http`
/// in one zone serving plain HTTP without access logs fails multi_az, https_only and
/// access_logs; `orr-rw-clb-tls` in two zones serving HTTPS with access logs passes.
/// Both are N/A for deletion protection, which Classic Load Balancers do not have.
async fn classic_load_balancers(sdk: &SdkConfig) {
    use aws_sdk_elasticloadbalancing::types::{AccessLog, Listener, LoadBalancerAttributes};
    use orr::model::elb::protocol;
    let elb = aws_sdk_elasticloadbalancing::Client::new(sdk);
    let listener = |front: &str, port: i32, certificate: Option<String>| {
        Listener::builder()
            .protocol(front)
            .load_balancer_port(port)
            .instance_protocol(protocol::HTTP)
            .instance_port(8080)
            .set_ssl_certificate_id(certificate)
            .build()
            .unwrap()
    };
    elb.create_load_balancer()
        .load_balancer_name("orr-rw-clb-http")
        .listeners(listener(protocol::HTTP, 80, None))
        .availability_zones("us-east-1a")
        .send()
        .await
        .unwrap();
    let certificate = issued_certificate(sdk, "clb.example.com").await;
    // Zones, not subnets: moto lists no AvailabilityZones for a load balancer created
    // in subnets (AWS lists the subnets' zones).
    elb.create_load_balancer()
        .load_balancer_name("orr-rw-clb-tls")
        .listeners(listener(protocol::HTTPS, 443, Some(certificate)))
        .availability_zones("us-east-1a")
        .availability_zones("us-east-1b")
        .send()
        .await
        .unwrap();
    elb.modify_load_balancer_attributes()
        .load_balancer_name("orr-rw-clb-tls")
        .load_balancer_attributes(
            LoadBalancerAttributes::builder()
                .access_log(
                    AccessLog::builder()
                        .enabled(true)
                        .s3_bucket_name("orr-rw-frankfurt")
                        .emit_interval(60)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// `orr-rw-pl-ssh` opens 22 to a customer-managed prefix list that holds 0.0.0.0/0.
async fn world_through_a_prefix_list(sdk: &SdkConfig) {
    use aws_sdk_ec2::types::{AddPrefixListEntry, IpPermission, PrefixListId};
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let list = ec2
        .create_managed_prefix_list()
        .prefix_list_name("orr-rw-everyone")
        .max_entries(5)
        .address_family("IPv4")
        .entries(AddPrefixListEntry::builder().cidr("0.0.0.0/0").build())
        .send()
        .await
        .unwrap();
    let group = ec2
        .create_security_group()
        .group_name("orr-rw-pl-ssh")
        .description("SSH from a prefix list")
        .send()
        .await
        .unwrap();
    ec2.authorize_security_group_ingress()
        .group_id(group.group_id().unwrap())
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(22)
                .to_port(22)
                .prefix_list_ids(
                    PrefixListId::builder()
                        .prefix_list_id(list.prefix_list().unwrap().prefix_list_id().unwrap())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
}

async fn security_hub_findings(sdk: &SdkConfig) {
    use aws_sdk_securityhub::types::{
        AwsSecurityFinding, Compliance, ComplianceStatus, RecordState, Resource, Severity,
        SeverityLabel, Workflow, WorkflowStatus,
    };
    let hub = aws_sdk_securityhub::Client::new(sdk);
    // Already enabled where the whole account was seeded first: either way it is on.
    let _ = hub
        .enable_security_hub()
        .enable_default_standards(false)
        .send()
        .await;
    let finding = |n: usize,
                   account: &str,
                   region: &str,
                   label: SeverityLabel,
                   compliance: ComplianceStatus| {
        AwsSecurityFinding::builder()
            .schema_version("2018-10-08")
            .id(format!("orr-rw-finding-{n}"))
            .product_arn(format!(
                "arn:aws:securityhub:{region}::product/aws/securityhub"
            ))
            .generator_id(format!("orr-rw-control-{n}"))
            .aws_account_id(account)
            .region(region)
            .types("Software and Configuration Checks/AWS Security Best Practices")
            .created_at("2026-11-01T00:00:00Z")
            .updated_at("2026-11-01T00:00:00Z")
            .severity(Severity::builder().label(label).build())
            .title(format!("orr real-world finding {n}"))
            .description("seeded by orr's tests")
            .resources(
                Resource::builder()
                    .r#type("AwsS3Bucket")
                    .id(format!("arn:aws:s3:::orr-rw-{n}"))
                    .build(),
            )
            .compliance(Compliance::builder().status(compliance).build())
            .record_state(RecordState::Active)
            .workflow(Workflow::builder().status(WorkflowStatus::New).build())
            .build()
    };
    let other_account = "210987654321";
    let findings = vec![
        finding(
            1,
            super::ACCOUNT,
            REGION,
            SeverityLabel::Critical,
            ComplianceStatus::Failed,
        ),
        finding(
            2,
            super::ACCOUNT,
            REGION,
            SeverityLabel::High,
            ComplianceStatus::Failed,
        ),
        finding(
            3,
            super::ACCOUNT,
            REGION,
            SeverityLabel::Medium,
            ComplianceStatus::Failed,
        ),
        finding(
            4,
            super::ACCOUNT,
            REGION,
            SeverityLabel::Low,
            ComplianceStatus::Failed,
        ),
        finding(
            5,
            super::ACCOUNT,
            REGION,
            SeverityLabel::Informational,
            ComplianceStatus::Failed,
        ),
        finding(
            6,
            super::ACCOUNT,
            REGION,
            SeverityLabel::Critical,
            ComplianceStatus::Passed,
        ),
        finding(
            7,
            other_account,
            REGION,
            SeverityLabel::Critical,
            ComplianceStatus::Failed,
        ),
        finding(
            8,
            super::ACCOUNT,
            "eu-west-1",
            SeverityLabel::Critical,
            ComplianceStatus::Failed,
        ),
    ];
    let imported = hub
        .batch_import_findings()
        .set_findings(Some(findings))
        .send()
        .await
        .unwrap();
    assert_eq!(imported.failed_count(), Some(0), "{imported:?}");
}

async fn real_world_databases(sdk: &SdkConfig) {
    let rds = aws_sdk_rds::Client::new(sdk);
    rds.create_db_cluster()
        .db_cluster_identifier("orr-rw-graph")
        .engine("neptune")
        .send()
        .await
        .unwrap();
    // Public cluster snapshots: Neptune's (not RDS's to judge) and an Aurora one (FAIL).
    rds.create_db_cluster()
        .db_cluster_identifier("orr-rw-ledger")
        .engine("aurora-postgresql")
        .master_username("ledger")
        .master_user_password("not-a-real-password-4")
        .storage_encrypted(true)
        .deletion_protection(true)
        .send()
        .await
        .unwrap();
    for (cluster, snapshot) in [
        ("orr-rw-graph", "orr-rw-graph-shared"),
        ("orr-rw-ledger", "orr-rw-ledger-shared"),
    ] {
        rds.create_db_cluster_snapshot()
            .db_cluster_identifier(cluster)
            .db_cluster_snapshot_identifier(snapshot)
            .send()
            .await
            .unwrap();
        rds.modify_db_cluster_snapshot_attribute()
            .db_cluster_snapshot_identifier(snapshot)
            .attribute_name("restore")
            .values_to_add("all")
            .send()
            .await
            .unwrap();
    }
    rds.create_db_instance()
        .db_instance_identifier("orr-rw-graph-1")
        .db_cluster_identifier("orr-rw-graph")
        .engine("neptune")
        .db_instance_class("db.r6g.large")
        .send()
        .await
        .unwrap();
    let instance = |id: &str, engine: &str, version: &str| {
        rds.create_db_instance()
            .db_instance_identifier(id)
            .engine(engine)
            .engine_version(version)
            .db_instance_class("db.m6g.large")
            .allocated_storage(100)
            .master_username("admin")
            .master_user_password("not-a-real-password-3")
            .storage_encrypted(true)
            .multi_az(true)
            .deletion_protection(true)
            .backup_retention_period(7)
    };
    instance("orr-rw-pg", "postgres", "16.3")
        .send()
        .await
        .unwrap();
    rds.create_db_instance_read_replica()
        .db_instance_identifier("orr-rw-pg-replica")
        .source_db_instance_identifier("orr-rw-pg")
        .db_instance_class("db.m6g.large")
        .send()
        .await
        .unwrap();
    rds.modify_db_instance()
        .db_instance_identifier("orr-rw-pg-replica")
        .backup_retention_period(0)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    instance("orr-rw-maria118", "mariadb", "11.8.3")
        .send()
        .await
        .unwrap();
    rds.create_option_group()
        .option_group_name("orr-rw-oracle-nne")
        .engine_name("oracle-ee")
        .major_engine_version("19")
        .option_group_description("native network encryption required")
        .send()
        .await
        .unwrap();
    rds.modify_option_group()
        .option_group_name("orr-rw-oracle-nne")
        .options_to_include(
            aws_sdk_rds::types::OptionConfiguration::builder()
                .option_name("NATIVE_NETWORK_ENCRYPTION")
                .option_settings(
                    aws_sdk_rds::types::OptionSetting::builder()
                        .name("SQLNET.ENCRYPTION_SERVER")
                        .value("REQUIRED")
                        .build(),
                )
                .build(),
        )
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    instance(
        "orr-rw-oracle",
        "oracle-ee",
        "19.0.0.0.ru-2025-10.rur-2025-10.r1",
    )
    .option_group_name("orr-rw-oracle-nne")
    .send()
    .await
    .unwrap();
}

async fn real_world_services(sdk: &SdkConfig) {
    let ecs = aws_sdk_ecs::Client::new(sdk);
    ecs.create_cluster()
        .cluster_name("orr-rw-agents")
        .send()
        .await
        .unwrap();
    task_definition(
        &ecs,
        "log-agent",
        "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        256,
    )
    .await;
    ecs.create_service()
        .cluster("orr-rw-agents")
        .service_name("log-agent")
        .task_definition("log-agent")
        .scheduling_strategy(aws_sdk_ecs::types::SchedulingStrategy::Daemon)
        .send()
        .await
        .unwrap();

    let elasticache = aws_sdk_elasticache::Client::new(sdk);
    elasticache
        .create_replication_group()
        .replication_group_id("orr-rw-migrating")
        .replication_group_description("TLS being switched on")
        .engine("redis")
        .cache_node_type("cache.t4g.small")
        .transit_encryption_enabled(true)
        .transit_encryption_mode(aws_sdk_elasticache::types::TransitEncryptionMode::Preferred)
        .send()
        .await
        .unwrap();
    elasticache
        .create_replication_group()
        .replication_group_id("orr-rw-rbac")
        .replication_group_description("RBAC")
        .engine("redis")
        .cache_node_type("cache.t4g.small")
        .transit_encryption_enabled(true)
        .user_group_ids("orr-rw-users")
        .send()
        .await
        .unwrap();

    use aws_sdk_budgets::types::{Budget, BudgetType, Spend, TimeUnit};
    #[allow(deprecated)] // CostFilters: budgets made with them still exist
    let filtered = Budget::builder()
        .budget_name("orr-rw-ec2-only")
        .budget_type(BudgetType::Cost)
        .time_unit(TimeUnit::Monthly)
        .budget_limit(Spend::builder().amount("2500").unit("USD").build().unwrap())
        .cost_filters(
            "Service",
            vec!["Amazon Elastic Compute Cloud - Compute".to_string()],
        )
        .build()
        .unwrap();
    aws_sdk_budgets::Client::new(sdk)
        .create_budget()
        .account_id(super::ACCOUNT)
        .budget(filtered)
        .send()
        .await
        .unwrap();

    let sqs = aws_sdk_sqs::Client::new(sdk);
    let mut arns = std::collections::BTreeMap::new();
    for name in [
        "orr-rw-work",
        "orr-rw-sns-failures",
        "orr-rw-events-failures",
        "orr-rw-orphan",
    ] {
        arns.insert(name, queue(&sqs, name).await);
    }
    let sns = aws_sdk_sns::Client::new(sdk);
    let topic = sns
        .create_topic()
        .name("orr-rw-orders")
        .send()
        .await
        .unwrap();
    let subscription = sns
        .subscribe()
        .topic_arn(topic.topic_arn().unwrap())
        .protocol("sqs")
        .endpoint(&arns["orr-rw-work"])
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap();
    sns.set_subscription_attributes()
        .subscription_arn(subscription.subscription_arn().unwrap())
        .attribute_name("RedrivePolicy")
        .attribute_value(format!(
            r#"{{"deadLetterTargetArn":"{}"}}"#,
            arns["orr-rw-sns-failures"]
        ))
        .send()
        .await
        .unwrap();

    let events = aws_sdk_eventbridge::Client::new(sdk);
    events
        .put_rule()
        .name("orr-rw-orders-placed")
        .event_pattern(r#"{"source":["orr.orders"]}"#)
        .send()
        .await
        .unwrap();
    events
        .put_targets()
        .rule("orr-rw-orders-placed")
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("work")
                .arn(&arns["orr-rw-work"])
                .dead_letter_config(
                    aws_sdk_eventbridge::types::DeadLetterConfig::builder()
                        .arn(&arns["orr-rw-events-failures"])
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let lambda = lambda_function(sdk, "orr-rw-bounded").await;
    lambda
        .create_event_source_mapping()
        .function_name("orr-rw-bounded")
        .event_source_arn(&arns["orr-rw-work"])
        .function_response_types(
            aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures,
        )
        .scaling_config(
            aws_sdk_lambda::types::ScalingConfig::builder()
                .maximum_concurrency(20)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// The production-readiness checks beyond the runbook, each with a PASS and a FAIL where
/// moto can hold both (see the assertions in tests/cli.rs):
/// - ELB: `orr-web` (ALB, two zones, deletion protection, access logs, HTTP redirecting
///   to HTTPS, HTTPS with a TLS 1.3/1.2 policy): PASS everywhere; `orr-internal` (NLB, one
///   zone, no protection, no logs, TLS with ELBSecurityPolicy-2016-08): FAIL everywhere.
/// - Auto Scaling: `orr-web-asg` (two zones, ELB health checks) PASS; `orr-worker-asg`
///   (one zone, EC2 health checks, attached to a target group) FAIL. Both launch from
///   `orr-app`: the web group its `$Latest` version 2 (HttpTokens required), the worker
///   group its default version 1, which sets no HttpTokens (the account default decides).
/// - EC2: `orr-imdsv2` requires tokens (PASS), `orr-imdsv1` and the stopped
///   `orr-stopped-imdsv1` do not (FAIL); a public AMI
///   (FAIL); a private (PASS) and a public (FAIL) snapshot; a flow log on the 10.42 VPC
///   (PASS) while the default VPC has none (FAIL).
/// - RDS: a private manual snapshot of `orders` (PASS) and a public one of `legacy` (FAIL).
/// - ACM: `orr.example.com`, served by both load balancers (PASS: issued at once, as
///   the emulator is told, and valid for a year); `unused.example.com` (N/A).
/// - Secrets Manager: `orr/db` with rotation (PASS), `orr/api-key` without (FAIL).
/// - Synthetics: `orr-api` canary, which the SDK cannot read from moto (ERROR).
/// - S3 Storage Lens: an enabled configuration, which moto lists under an XML root the
///   SDK refuses (ERROR).
///
/// Lambda GetAccountSettings, AWS Health, AWS FIS and AWS Backup's job listings are not
/// answered by moto: their checks are ERROR (manual items stay MANUAL), tested on SDK
/// values beside their readers instead.
pub async fn production_scenario(sdk: &SdkConfig) {
    let subnets = default_subnets(sdk).await;
    let certificate = issued_certificate(sdk, "orr.example.com").await;
    issued_certificate(sdk, "unused.example.com").await;
    let (web_group, worker_group) = load_balancers(sdk, &subnets, &certificate).await;
    auto_scaling_groups(sdk, &subnets, &web_group, &worker_group).await;
    instances_images_and_snapshots(sdk).await;
    flow_log(sdk).await;
    rds_snapshots(sdk).await;
    secrets(sdk).await;
    canary(sdk).await;
    s3control(sdk)
        .put_storage_lens_configuration()
        .config_id("orr-dashboard")
        .account_id(super::ACCOUNT)
        .storage_lens_configuration(
            aws_sdk_s3control::types::StorageLensConfiguration::builder()
                .id("orr-dashboard")
                .is_enabled(true)
                .account_level(
                    aws_sdk_s3control::types::AccountLevel::builder()
                        .bucket_level(aws_sdk_s3control::types::BucketLevel::builder().build())
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// The default VPC's subnets, one per Availability Zone, in zone order.
async fn default_subnets(sdk: &SdkConfig) -> Vec<String> {
    let found = aws_sdk_ec2::Client::new(sdk)
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("default-for-az")
                .values("true")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut subnets: Vec<(String, String)> = found
        .subnets()
        .iter()
        .map(|s| {
            (
                s.availability_zone().unwrap().to_string(),
                s.subnet_id().unwrap().to_string(),
            )
        })
        .collect();
    subnets.sort();
    subnets.into_iter().map(|(_, id)| id).collect()
}

async fn issued_certificate(sdk: &SdkConfig, domain: &str) -> String {
    aws_sdk_acm::Client::new(sdk)
        .request_certificate()
        .domain_name(domain)
        .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
        .send()
        .await
        .unwrap()
        .certificate_arn()
        .unwrap()
        .to_string()
}

/// Returns the target group ARNs of the web and worker Auto Scaling groups.
async fn load_balancers(
    sdk: &SdkConfig,
    subnets: &[String],
    certificate: &str,
) -> (String, String) {
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, Certificate, LoadBalancerAttribute, LoadBalancerTypeEnum,
        ProtocolEnum, RedirectActionConfig, RedirectActionStatusCodeEnum,
    };
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(sdk);
    let vpc = aws_sdk_ec2::Client::new(sdk)
        .describe_vpcs()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("is-default")
                .values("true")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .vpcs()[0]
        .vpc_id()
        .unwrap()
        .to_string();
    let target_group = |name: &'static str, protocol: ProtocolEnum| {
        let elb = elb.clone();
        let vpc = vpc.clone();
        async move {
            elb.create_target_group()
                .name(name)
                .protocol(protocol)
                .port(443)
                .vpc_id(vpc)
                .send()
                .await
                .unwrap()
                .target_groups()[0]
                .target_group_arn()
                .unwrap()
                .to_string()
        }
    };
    let web_group = target_group("orr-web-tg", ProtocolEnum::Https).await;
    let worker_group = target_group("orr-worker-tg", ProtocolEnum::Tcp).await;
    let forward = |group: &str| {
        Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn(group)
            .build()
    };
    let certificate = Certificate::builder().certificate_arn(certificate).build();

    let web = elb
        .create_load_balancer()
        .name("orr-web")
        .subnets(&subnets[0])
        .subnets(&subnets[1])
        .send()
        .await
        .unwrap();
    let web = web.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&web)
        .attributes(
            LoadBalancerAttribute::builder()
                .key("deletion_protection.enabled")
                .value("true")
                .build(),
        )
        .attributes(
            LoadBalancerAttribute::builder()
                .key("access_logs.s3.enabled")
                .value("true")
                .build(),
        )
        .attributes(
            LoadBalancerAttribute::builder()
                .key("access_logs.s3.bucket")
                .value("orr-app-data")
                .build(),
        )
        .send()
        .await
        .unwrap();
    elb.create_listener()
        .load_balancer_arn(&web)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Redirect)
                .redirect_config(
                    RedirectActionConfig::builder()
                        .protocol("HTTPS")
                        .port("443")
                        .status_code(RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    elb.create_listener()
        .load_balancer_arn(&web)
        .protocol(ProtocolEnum::Https)
        .port(443)
        .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
        .certificates(certificate.clone())
        .default_actions(forward(&web_group))
        .send()
        .await
        .unwrap();

    let internal = elb
        .create_load_balancer()
        .name("orr-internal")
        .r#type(LoadBalancerTypeEnum::Network)
        .subnets(&subnets[0])
        .send()
        .await
        .unwrap();
    let internal = internal.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    // moto lists access_logs.s3.enabled only once it has been set (AWS always does).
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&internal)
        .attributes(
            LoadBalancerAttribute::builder()
                .key("access_logs.s3.enabled")
                .value("false")
                .build(),
        )
        .send()
        .await
        .unwrap();
    elb.create_listener()
        .load_balancer_arn(&internal)
        .protocol(ProtocolEnum::Tls)
        .port(443)
        .ssl_policy("ELBSecurityPolicy-2016-08")
        .certificates(certificate)
        .default_actions(forward(&worker_group))
        .send()
        .await
        .unwrap();
    (web_group, worker_group)
}

async fn auto_scaling_groups(
    sdk: &SdkConfig,
    subnets: &[String],
    web_group: &str,
    worker_group: &str,
) {
    aws_sdk_ec2::Client::new(sdk)
        .create_launch_template()
        .launch_template_name("orr-app")
        .launch_template_data(
            aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                .image_id("ami-12c6146b")
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // Version 2 requires IMDSv2; version 1, the default, sets no HttpTokens (the
    // account default decides).
    aws_sdk_ec2::Client::new(sdk)
        .create_launch_template_version()
        .launch_template_name("orr-app")
        .source_version("1")
        .launch_template_data(
            aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                .metadata_options(
                    aws_sdk_ec2::types::LaunchTemplateInstanceMetadataOptionsRequest::builder()
                        .http_tokens(aws_sdk_ec2::types::LaunchTemplateHttpTokensState::Required)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let template = |version: Option<&str>| {
        aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
            .launch_template_name("orr-app")
            .set_version(version.map(str::to_string))
            .build()
    };
    let autoscaling = aws_sdk_autoscaling::Client::new(sdk);
    for (name, zones, group, health, version) in [
        (
            "orr-web-asg",
            subnets[..2].join(","),
            web_group,
            "ELB",
            Some("$Latest"),
        ),
        (
            "orr-worker-asg",
            subnets[0].clone(),
            worker_group,
            "EC2",
            None,
        ),
    ] {
        autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .launch_template(template(version))
            .min_size(0)
            .max_size(2)
            .vpc_zone_identifier(zones)
            .target_group_arns(group)
            .health_check_type(health)
            .send()
            .await
            .unwrap();
    }
}

async fn instances_images_and_snapshots(sdk: &SdkConfig) {
    use aws_sdk_ec2::types::{
        HttpTokensState, InstanceMetadataOptionsRequest, LaunchPermission,
        LaunchPermissionModifications, PermissionGroup, ResourceType, Tag, TagSpecification,
    };
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let mut first = None;
    for (name, tokens) in [
        ("orr-imdsv2", HttpTokensState::Required),
        ("orr-imdsv1", HttpTokensState::Optional),
        ("orr-stopped-imdsv1", HttpTokensState::Optional),
    ] {
        let run = ec2
            .run_instances()
            .image_id("ami-12c6146b")
            .min_count(1)
            .max_count(1)
            .metadata_options(
                InstanceMetadataOptionsRequest::builder()
                    .http_tokens(tokens)
                    .build(),
            )
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(Tag::builder().key("Name").value(name).build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let id = run.instances()[0].instance_id().unwrap().to_string();
        if name == "orr-stopped-imdsv1" {
            ec2.stop_instances().instance_ids(&id).send().await.unwrap();
        }
        first.get_or_insert(id);
    }
    let image = ec2
        .create_image()
        .instance_id(first.unwrap())
        .name("orr-app-image")
        .send()
        .await
        .unwrap();
    ec2.modify_image_attribute()
        .image_id(image.image_id().unwrap())
        .launch_permission(
            LaunchPermissionModifications::builder()
                .add(
                    LaunchPermission::builder()
                        .group(PermissionGroup::All)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    for public in [false, true] {
        let volume = ec2
            .create_volume()
            .availability_zone(format!("{REGION}a"))
            .size(1)
            .send()
            .await
            .unwrap();
        let snapshot = ec2
            .create_snapshot()
            .volume_id(volume.volume_id().unwrap())
            .description(if public { "public" } else { "private" })
            .send()
            .await
            .unwrap();
        if public {
            ec2.modify_snapshot_attribute()
                .snapshot_id(snapshot.snapshot_id().unwrap())
                .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
                .operation_type(aws_sdk_ec2::types::OperationType::Add)
                // moto reads the group from GroupNames, not from CreateVolumePermission.
                .group_names("all")
                .send()
                .await
                .unwrap();
        }
    }
}

/// A flow log on the 10.42 VPC of `ec2_scenario`, to a bucket of `s3_scenario`.
async fn flow_log(sdk: &SdkConfig) {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let vpcs = ec2.describe_vpcs().send().await.unwrap();
    let vpc = vpcs
        .vpcs()
        .iter()
        .find(|v| v.cidr_block() == Some("10.42.0.0/16"))
        .expect("ec2_scenario made the 10.42 VPC")
        .vpc_id()
        .unwrap()
        .to_string();
    let made = ec2
        .create_flow_logs()
        .resource_ids(vpc)
        .resource_type(aws_sdk_ec2::types::FlowLogsResourceType::Vpc)
        .traffic_type(aws_sdk_ec2::types::TrafficType::All)
        .log_destination_type(aws_sdk_ec2::types::LogDestinationType::S3)
        .log_destination("arn:aws:s3:::orr-app-data")
        .send()
        .await
        .unwrap();
    assert!(made.unsuccessful().is_empty(), "{made:?}");
}

async fn rds_snapshots(sdk: &SdkConfig) {
    let rds = aws_sdk_rds::Client::new(sdk);
    for (instance, snapshot) in [("orders", "orders-manual"), ("legacy", "legacy-shared")] {
        rds.create_db_snapshot()
            .db_instance_identifier(instance)
            .db_snapshot_identifier(snapshot)
            .send()
            .await
            .unwrap();
    }
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("legacy-shared")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .unwrap();
}

async fn secrets(sdk: &SdkConfig) {
    let secrets = aws_sdk_secretsmanager::Client::new(sdk);
    for name in ["orr/db", "orr/api-key"] {
        secrets
            .create_secret()
            .name(name)
            .secret_string("not-a-real-secret")
            .send()
            .await
            .unwrap();
    }
    let rotator = lambda_function(sdk, "orr-rotate-db").await;
    let function = rotator
        .get_function()
        .function_name("orr-rotate-db")
        .send()
        .await
        .unwrap();
    // moto turns rotation on and schedules the next one before invoking the function,
    // which it cannot run here: the invocation's error is the emulator's, not the seed's.
    let _ = secrets
        .rotate_secret()
        .secret_id("orr/db")
        .rotation_lambda_arn(function.configuration().unwrap().function_arn().unwrap())
        .rotation_rules(
            aws_sdk_secretsmanager::types::RotationRulesType::builder()
                .automatically_after_days(30)
                .build(),
        )
        .send()
        .await;
}

/// moto answers canary timestamps as ISO strings where the API sends epoch seconds:
/// the SDK cannot read its answer (the canary is made all the same), nor orr's
/// DescribeCanaries, whose check is then ERROR with the call named.
async fn canary(sdk: &SdkConfig) {
    let _unreadable = aws_sdk_synthetics::Client::new(sdk)
        .create_canary()
        .name("orr-api")
        .code(
            aws_sdk_synthetics::types::CanaryCodeInput::builder()
                .handler("index.handler")
                .s3_bucket("orr-app-data")
                .s3_key("canary.zip")
                .build(),
        )
        .artifact_s3_location("s3://orr-app-data/canary/")
        .execution_role_arn("arn:aws:iam::123456789012:role/orr-canary")
        .schedule(
            aws_sdk_synthetics::types::CanaryScheduleInput::builder()
                .expression("rate(5 minutes)")
                .build()
                .unwrap(),
        )
        .runtime_version("syn-nodejs-puppeteer-9.1")
        .send()
        .await;
}

/// An EventBridge pipe reading a Kinesis stream and an EventBridge schedule, each with a
/// dead-letter queue (that does not exist): what DescribePipe and GetSchedule read.
async fn pipe_and_schedule(sdk: &SdkConfig) {
    use aws_sdk_pipes::types::{
        DeadLetterConfig, KinesisStreamStartPosition, PipeSourceKinesisStreamParameters,
        PipeSourceParameters,
    };
    let arn = |service: &str, resource: &str| {
        format!("arn:aws:{service}:{REGION}:{}:{resource}", super::ACCOUNT)
    };
    aws_sdk_pipes::Client::new(sdk)
        .create_pipe()
        .name("orr-stream-pipe")
        .role_arn(arn("iam", "role/orr-pipe").replace(REGION, ""))
        .source(arn("kinesis", "stream/orr-orders"))
        .target(arn("sqs", "orr-work"))
        .source_parameters(
            PipeSourceParameters::builder()
                .kinesis_stream_parameters(
                    PipeSourceKinesisStreamParameters::builder()
                        .starting_position(KinesisStreamStartPosition::Latest)
                        .dead_letter_config(
                            DeadLetterConfig::builder()
                                .arn(arn("sqs", "orr-pipe-failures"))
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    use aws_sdk_scheduler::types::{FlexibleTimeWindow, FlexibleTimeWindowMode, Target};
    aws_sdk_scheduler::Client::new(sdk)
        .create_schedule()
        .name("orr-nightly")
        .schedule_expression("rate(1 day)")
        .flexible_time_window(
            FlexibleTimeWindow::builder()
                .mode(FlexibleTimeWindowMode::Off)
                .build()
                .unwrap(),
        )
        .target(
            Target::builder()
                .arn(arn("sqs", "orr-work"))
                .role_arn(arn("iam", "role/orr-scheduler").replace(REGION, ""))
                .dead_letter_config(
                    aws_sdk_scheduler::types::DeadLetterConfig::builder()
                        .arn(arn("sqs", "orr-schedule-failures"))
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// The accounts of `landing_zone`, by their job.
pub struct LandingZone {
    pub security: String,
    pub network: String,
    pub workload: String,
    pub sandbox: String,
    /// The VPC the network account shares with the workload account.
    pub shared_vpc: String,
}

/// A landing zone as AWS Control Tower lays one out, run from the default account (its
/// management account): the organization trail (multi-region, validated, logging with
/// the default selectors, but encrypted with SSE-S3 only) and a monthly budget in the
/// management account; a GuardDuty detector in every account; a network account whose
/// VPC, shared with the workload account, has no flow log. What moto cannot show across
/// accounts (the trail and the shared VPC seen from members, the delegated GuardDuty
/// administrator's findings, anomaly monitors) the test's proxy answers as AWS does.
pub async fn landing_zone(sdk: &SdkConfig) -> LandingZone {
    let ids = organization(sdk, &["security", "network", "workload", "sandbox"]).await;
    s3(sdk)
        .create_bucket()
        .bucket("orr-org-trail")
        .send()
        .await
        .unwrap();
    let trails = aws_sdk_cloudtrail::Client::new(sdk);
    trails
        .create_trail()
        .name("org")
        .s3_bucket_name("orr-org-trail")
        .is_multi_region_trail(true)
        .is_organization_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await
        .unwrap();
    default_selectors(&trails, "org").await;
    trails.start_logging().name("org").send().await.unwrap();
    monthly_budget(sdk, super::ACCOUNT, "organization-monthly").await;

    let mut accounts = vec![sdk.clone()];
    for id in &ids {
        accounts.push(member(sdk, id).await);
    }
    for account in &accounts {
        aws_sdk_guardduty::Client::new(account)
            .create_detector()
            .enable(true)
            .send()
            .await
            .unwrap();
    }
    let shared_vpc = aws_sdk_ec2::Client::new(&accounts[2])
        .create_vpc()
        .cidr_block("10.20.0.0/16")
        .send()
        .await
        .unwrap()
        .vpc()
        .and_then(|vpc| vpc.vpc_id())
        .expect("a VPC id")
        .to_string();
    let mut ids = ids.into_iter();
    let mut next = || ids.next().expect("four members");
    LandingZone {
        security: next(),
        network: next(),
        workload: next(),
        sandbox: next(),
        shared_vpc,
    }
}
