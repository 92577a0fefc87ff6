//! A production-like account with known right answers, written through the SDK into
//! the emulator. Each service's scenario is described where it is made.

use aws_config::SdkConfig;
use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, ExpirationStatus, LifecycleRule, LifecycleRuleFilter,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};

pub const TLS_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::orr-app-data","arn:aws:s3:::orr-app-data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
const READ_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::orr-partial/*"}]}"#;
pub const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const READ_ONLY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;

fn s3(sdk: &SdkConfig) -> aws_sdk_s3::Client {
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
    let control = aws_sdk_s3control::Client::from_conf(
        aws_sdk_s3control::config::Builder::from(sdk)
            .endpoint_resolver(orr::inventory::aws::EmulatorEndpoint(
                sdk.endpoint_url().unwrap().to_string(),
            ))
            .build(),
    );
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
    // AWS gives a new trail this selector by default; moto gives none.
    trails
        .put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            aws_sdk_cloudtrail::types::EventSelector::builder()
                .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
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
}
