//! CloudWatch end to end. The Rust SDK speaks CloudWatch's Smithy RPC v2 CBOR protocol,
//! which moto does not route; the test proxy translates each call to moto's query
//! protocol and back, so the alarms moto keeps (seeded with query-protocol posts) reach
//! orr's reader as they would from AWS. moto has no PutCompositeAlarm: composite alarms
//! are tested on SDK values (src/inventory/aws/cloudwatch.rs).

mod support;

use support::proxy::{FaultProxy, Faults};
use support::{finding_of, json_audit, moto_query, orr, status_of, Moto, ACCOUNT, REGION};

const ONCALL: &str = "arn:aws:sns:us-east-1:123456789012:oncall";

/// A metric alarm on `metric` of the queue, with an SNS action or none.
fn queue_alarm(moto: &Moto, name: &str, queue: &str, metric: &str, notify: bool) {
    let mut form = vec![
        ("Action", "PutMetricAlarm"),
        ("Version", "2010-08-01"),
        ("AlarmName", name),
        ("Namespace", "AWS/SQS"),
        ("MetricName", metric),
        ("Dimensions.member.1.Name", "QueueName"),
        ("Dimensions.member.1.Value", queue),
        ("Statistic", "Maximum"),
        ("Period", "60"),
        ("EvaluationPeriods", "1"),
        ("Threshold", "300"),
        ("ComparisonOperator", "GreaterThanThreshold"),
    ];
    if notify {
        form.push(("AlarmActions.member.1", ONCALL));
    }
    moto_query(&moto.endpoint, "monitoring", &form);
}

#[test]
fn alarm_coverage_actions_and_dashboards_run_end_to_end() {
    let moto = Moto::start();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let sqs = aws_sdk_sqs::Client::new(&moto.sdk_config().await);
        for queue in ["orr-cw-watched", "orr-cw-half"] {
            sqs.create_queue().queue_name(queue).send().await.unwrap();
        }
    });
    queue_alarm(
        &moto,
        "orr-cw-age",
        "orr-cw-watched",
        "ApproximateAgeOfOldestMessage",
        true,
    );
    // The depth alarm watches the metric through metric math.
    moto_query(
        &moto.endpoint,
        "monitoring",
        &[
            ("Action", "PutMetricAlarm"),
            ("Version", "2010-08-01"),
            ("AlarmName", "orr-cw-depth-math"),
            ("EvaluationPeriods", "1"),
            ("Threshold", "100"),
            ("ComparisonOperator", "GreaterThanThreshold"),
            ("AlarmActions.member.1", ONCALL),
            ("Metrics.member.1.Id", "visible"),
            ("Metrics.member.1.ReturnData", "false"),
            ("Metrics.member.1.MetricStat.Metric.Namespace", "AWS/SQS"),
            (
                "Metrics.member.1.MetricStat.Metric.MetricName",
                "ApproximateNumberOfMessagesVisible",
            ),
            (
                "Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name",
                "QueueName",
            ),
            (
                "Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Value",
                "orr-cw-watched",
            ),
            ("Metrics.member.1.MetricStat.Period", "60"),
            ("Metrics.member.1.MetricStat.Stat", "Maximum"),
            ("Metrics.member.2.Id", "backlog"),
            ("Metrics.member.2.Expression", "visible * 1"),
            ("Metrics.member.2.ReturnData", "true"),
        ],
    );
    queue_alarm(
        &moto,
        "orr-cw-half-age",
        "orr-cw-half",
        "ApproximateAgeOfOldestMessage",
        false,
    );
    moto_query(
        &moto.endpoint,
        "monitoring",
        &[
            ("Action", "PutDashboard"),
            ("Version", "2010-08-01"),
            ("DashboardName", "orr-ops"),
            ("DashboardBody", r#"{"widgets":[]}"#),
        ],
    );

    let proxy = FaultProxy::start(&moto.endpoint, Faults::default());
    let output = orr()
        .envs(moto.env())
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args([
            "audit",
            "--output",
            "json",
            "--max-attempts",
            "2",
            "--checks",
            "cloudwatch.alarm_coverage,cloudwatch.alarm_actions,cloudwatch.dashboards",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let audit = json_audit(&output);
    let findings = audit["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["status"] != "ERROR"),
        "{stderr}\n{findings:#?}"
    );
    let status = |check: &str, suffix: &str| status_of(&audit, check, suffix);
    assert_eq!(
        status("cloudwatch.alarm_coverage", ":orr-cw-watched"),
        "PASS"
    );
    let half = finding_of(&audit, "cloudwatch.alarm_coverage", ":orr-cw-half");
    assert_eq!(half["status"], "FAIL");
    assert!(
        half["message"]
            .as_str()
            .unwrap()
            .contains("ApproximateNumberOfMessagesVisible"),
        "{half:#}"
    );
    assert_eq!(
        status("cloudwatch.alarm_actions", "alarm:orr-cw-age"),
        "PASS"
    );
    assert_eq!(
        status("cloudwatch.alarm_actions", "alarm:orr-cw-depth-math"),
        "PASS"
    );
    assert_eq!(
        status("cloudwatch.alarm_actions", "alarm:orr-cw-half-age"),
        "FAIL"
    );
    assert_eq!(status("cloudwatch.dashboards", ACCOUNT), "PASS");
    // Every CloudWatch call went out in RPC v2 CBOR, through the translation.
    let calls = proxy.calls();
    let cloudwatch: Vec<_> = calls.iter().filter(|c| c.service == "monitoring").collect();
    assert!(!cloudwatch.is_empty());
    assert!(
        cloudwatch.iter().all(|c| c.status == 200),
        "{cloudwatch:#?}"
    );
    assert!(cloudwatch.iter().all(|c| c.region == REGION));
}
