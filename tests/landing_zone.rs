//! A landing zone end to end: a management account with the organization trail and the
//! budget, a security-tooling account administering GuardDuty, a network account
//! sharing a VPC, a workload account and a sandbox. moto keeps each account's state;
//! the proxy answers as AWS documents what moto cannot show across accounts: the
//! organization trail in each member's DescribeTrails and GetTrailStatus (and its
//! GetEventSelectors refused to members), the shared VPC in the workload's
//! DescribeVpcs, GuardDuty's findings (the sandbox's finding listed by the delegated
//! administrator too, unless filtered on the account), and the anomaly monitors.
//!
//! A well-run member gets GO; each misconfiguration is found in the account that owns
//! it (the trail's encryption in the management account, the shared VPC's flow logs in
//! the network account, the sandbox's finding in the sandbox, the declined anomaly
//! subscriber in the management account) and nowhere else.

mod support;

use serde_json::{json, Value};
use support::proxy::{Answer, FaultProxy, Faults};
use support::seed::{self, LandingZone};
use support::{audit_through, Moto, ACCOUNT};

const CHECKS: &str = "cloudtrail.multi_region_logging,cloudtrail.kms_encrypted,cloudtrail.log_file_validation,guardduty.enabled,guardduty.no_high_findings,ec2.vpc_flow_logs,budgets.monthly_budget,ce.anomaly_detection";

const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/org";

/// What AWS answers where moto cannot.
fn answers(zone: &LandingZone) -> Vec<Answer> {
    let members = [&zone.security, &zone.network, &zone.workload, &zone.sandbox];
    let mut answers = Vec::new();
    for member in members {
        answers.extend([
            // A member's DescribeTrails shows the organization trail, as its management
            // account made it: default selectors (HasCustomEventSelectors false).
            Answer::json(
                member,
                "cloudtrail",
                "DescribeTrails",
                json!({ "trailList": [{
                    "Name": "org",
                    "S3BucketName": "orr-org-trail",
                    "IsMultiRegionTrail": true,
                    "HomeRegion": "us-east-1",
                    "TrailARN": TRAIL,
                    "LogFileValidationEnabled": true,
                    "HasCustomEventSelectors": false,
                    "HasInsightSelectors": false,
                    "IsOrganizationTrail": true,
                }]}),
            ),
            Answer::json(
                member,
                "cloudtrail",
                "GetTrailStatus",
                json!({ "IsLogging": true }),
            ),
            Answer::json_error(
                member,
                "cloudtrail",
                "GetEventSelectors",
                "400 Bad Request",
                "TrailNotFoundException",
                "Unknown trail for the user",
            ),
            Answer::json(
                member,
                "ce",
                "GetAnomalyMonitors",
                json!({ "AnomalyMonitors": [] }),
            ),
            Answer::json(
                member,
                "ce",
                "GetAnomalySubscriptions",
                json!({ "AnomalySubscriptions": [] }),
            ),
        ]);
    }
    // The sandbox's own high finding: listed by the sandbox, and by the delegated
    // administrator unless it asks for its own account's findings only.
    let finding = json!({ "findings": [{
        "accountId": zone.sandbox,
        "arn": format!("arn:aws:guardduty:us-east-1:{}:detector/d/finding/f-sandbox", zone.sandbox),
        "createdAt": "2026-11-30T10:00:00.000Z",
        "id": "f-sandbox",
        "region": "us-east-1",
        "resource": { "resourceType": "Instance" },
        "schemaVersion": "2.0",
        "severity": 8.0,
        "title": "Bitcoin mining from i-0sandbox",
        "type": "CryptoCurrency:EC2/BitcoinTool.B!DNS",
        "updatedAt": "2026-11-30T10:00:00.000Z",
    }]});
    let found = json!({ "findingIds": ["f-sandbox"] });
    let none = json!({ "findingIds": [] });
    answers.extend([
        Answer::json(&zone.sandbox, "guardduty", "/findings", found.clone())
            .when_body_contains(&zone.sandbox),
        Answer::json(&zone.sandbox, "guardduty", "/findings/get", finding.clone()),
        Answer::json(&zone.security, "guardduty", "/findings", none.clone())
            .when_body_contains(&zone.security),
        Answer::json(&zone.security, "guardduty", "/findings", found),
        Answer::json(&zone.security, "guardduty", "/findings/get", finding),
    ]);
    for account in [ACCOUNT, &zone.network, &zone.workload] {
        answers.push(Answer::json(
            account,
            "guardduty",
            "/findings",
            none.clone(),
        ));
    }
    // The management account's monitor, whose only subscriber declined.
    let monitor = "arn:aws:ce::123456789012:anomalymonitor/services";
    answers.extend([
        Answer::json(
            ACCOUNT,
            "ce",
            "GetAnomalyMonitors",
            json!({ "AnomalyMonitors": [{
                "MonitorArn": monitor,
                "MonitorName": "services",
                "MonitorType": "DIMENSIONAL",
                "MonitorDimension": "SERVICE",
            }]}),
        ),
        Answer::json(
            ACCOUNT,
            "ce",
            "GetAnomalySubscriptions",
            json!({ "AnomalySubscriptions": [{
                "SubscriptionArn": "arn:aws:ce::123456789012:anomalysubscription/daily",
                "AccountId": ACCOUNT,
                "MonitorArnList": [monitor],
                "Subscribers": [{ "Address": "finops@example.com", "Type": "EMAIL", "Status": "DECLINED" }],
                "Frequency": "DAILY",
                "SubscriptionName": "daily",
            }]}),
        ),
    ]);
    // The workload account sees the VPC the network account shares with it.
    answers.push(Answer::xml(
        &zone.workload,
        "ec2",
        "DescribeVpcs",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>orr-proxy</requestId><vpcSet><item><vpcId>{}</vpcId><ownerId>{}</ownerId><state>available</state><cidrBlock>10.20.0.0/16</cidrBlock><isDefault>false</isDefault><instanceTenancy>default</instanceTenancy><dhcpOptionsId>dopt-1</dhcpOptionsId></item></vpcSet></DescribeVpcsResponse>"#,
            zone.shared_vpc, zone.network
        ),
    ));
    answers
}

struct Zone {
    _moto: Moto,
    proxy: FaultProxy,
    accounts: LandingZone,
}

fn landing_zone() -> Zone {
    let moto = Moto::start();
    let accounts = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { seed::landing_zone(&moto.sdk_config().await).await });
    let proxy = FaultProxy::start(
        &moto.endpoint,
        Faults {
            answers: answers(&accounts),
            ..Faults::default()
        },
    );
    Zone {
        _moto: moto,
        proxy,
        accounts,
    }
}

impl Zone {
    fn audit(&self, args: &[&str]) -> (Option<i32>, Value) {
        audit_through(&self.proxy, CHECKS, args)
    }
}

/// `account`'s findings as (check, status, resource id, message).
fn findings_of<'a>(audit: &'a Value, account: &str) -> Vec<(&'a str, &'a str, &'a str, &'a str)> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["account_id"] == account)
        .map(|f| {
            (
                f["check_id"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["resource_id"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect()
}

/// The statuses of `account`'s findings of `check`.
fn statuses<'a>(audit: &'a Value, account: &str, check: &str) -> Vec<&'a str> {
    findings_of(audit, account)
        .into_iter()
        .filter(|(id, ..)| *id == check)
        .map(|(_, status, ..)| status)
        .collect()
}

/// The problems (FAIL, ERROR) of `account`, by check and resource.
fn problems<'a>(audit: &'a Value, account: &str) -> Vec<(&'a str, &'a str)> {
    findings_of(audit, account)
        .into_iter()
        .filter(|(_, status, ..)| matches!(*status, "FAIL" | "ERROR"))
        .map(|(check, _, resource, _)| (check, resource))
        .collect()
}

#[test]
fn a_landing_zone_is_judged_where_each_control_lives() {
    let zone = landing_zone();
    let ids = &zone.accounts;
    let (code, audit) = zone.audit(&["--org"]);
    assert_eq!(
        code,
        Some(1),
        "the sandbox's high finding is NO-GO: {audit:#}"
    );

    // The workload account: GO. The organization trail passes from what a member may
    // read; its encryption and validation, the budget and the anomaly monitors are the
    // management account's, the shared VPC's flow logs the network account's.
    assert_eq!(
        problems(&audit, &ids.workload),
        [],
        "{:#?}",
        findings_of(&audit, &ids.workload)
    );
    assert_eq!(
        audit["summary"]["by_account"][&ids.workload]["verdict"],
        "GO"
    );
    let workload = findings_of(&audit, &ids.workload);
    let said = |check: &str| {
        workload
            .iter()
            .filter(|(id, ..)| *id == check)
            .map(|(_, status, _, message)| format!("{status} {message}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert!(
        said("cloudtrail.multi_region_logging")
            .starts_with("PASS organization trail org of account 123456789012"),
        "{}",
        said("cloudtrail.multi_region_logging")
    );
    for check in [
        "cloudtrail.kms_encrypted",
        "cloudtrail.log_file_validation",
        "budgets.monthly_budget",
        "ce.anomaly_detection",
    ] {
        assert!(
            said(check).starts_with("NA ")
                && said(check).contains("123456789012, which this audit covers"),
            "{check}: {}",
            said(check)
        );
    }
    assert!(
        said("ec2.vpc_flow_logs").starts_with("NA ")
            && said("ec2.vpc_flow_logs").contains(ids.network.as_str()),
        "{}",
        said("ec2.vpc_flow_logs")
    );
    // A member never asks for the selectors only the trail's owner may read.
    let asked: Vec<_> = zone
        .proxy
        .calls()
        .into_iter()
        .filter(|c| c.operation == "GetEventSelectors" && c.account != ACCOUNT)
        .map(|c| c.account)
        .collect();
    assert_eq!(asked, Vec::<String>::new());

    // Each misconfiguration in the account that owns it, and only there.
    assert_eq!(
        problems(&audit, ACCOUNT),
        [
            ("ce.anomaly_detection", ACCOUNT),
            ("cloudtrail.kms_encrypted", TRAIL)
        ],
        "{:#?}",
        findings_of(&audit, ACCOUNT)
    );
    assert!(findings_of(&audit, ACCOUNT)
        .iter()
        .any(|(check, _, _, message)| *check == "ce.anomaly_detection"
            && message.contains("1 subscriber declined")));
    let network = problems(&audit, &ids.network);
    assert!(
        network.len() == 1
            && network[0].0 == "ec2.vpc_flow_logs"
            && network[0].1.ends_with(ids.shared_vpc.as_str()),
        "{:#?}",
        findings_of(&audit, &ids.network)
    );
    assert_eq!(
        statuses(&audit, &ids.sandbox, "guardduty.no_high_findings"),
        ["FAIL"]
    );
    assert_eq!(
        problems(&audit, &ids.sandbox).len(),
        1,
        "{:#?}",
        findings_of(&audit, &ids.sandbox)
    );
    // The delegated administrator counts its own findings, not its members'.
    assert_eq!(
        statuses(&audit, &ids.security, "guardduty.no_high_findings"),
        ["PASS"]
    );
    assert_eq!(problems(&audit, &ids.security), []);
}

/// A member audited alone: nothing another account owns fails it; what only the
/// management account shows is MANUAL (a warning) until a person attests it.
#[test]
fn a_member_audited_alone_says_what_to_confirm_where() {
    let zone = landing_zone();
    let role = format!(
        "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
        zone.accounts.workload
    );
    let (code, alone) = zone.audit(&["--role-arn", &role]);
    assert_eq!(problems(&alone, &zone.accounts.workload), []);
    assert_eq!(code, Some(2), "warnings only: {alone:#}");
    for check in ["budgets.monthly_budget", "ce.anomaly_detection"] {
        let found = findings_of(&alone, &zone.accounts.workload);
        let (_, status, _, message) = found.iter().find(|(id, ..)| *id == check).unwrap();
        assert_eq!(*status, "MANUAL");
        assert!(
            message.contains("in account 123456789012")
                && message.contains(&format!("item = \"{check}\"")),
            "{message}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("orr.toml");
    std::fs::write(
        &config,
        "[[attestations]]\nitem = \"budgets.monthly_budget\"\nby = \"finops\"\ndate = 2026-11-20\n\n[[attestations]]\nitem = \"ce.anomaly_detection\"\nby = \"finops\"\ndate = 2026-11-20\n",
    )
    .unwrap();
    let (code, attested) = zone.audit(&["--config", config.to_str().unwrap(), "--role-arn", &role]);
    assert_eq!(code, Some(0), "{attested:#}");
}
