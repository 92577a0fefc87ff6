//! IMDSv2 beyond running instances, end to end on the seeded emulator: a stopped
//! instance, the launch template versions the Auto Scaling groups launch from, and the
//! region's account default. moto 5.2.1 answers GetInstanceMetadataDefaults with HTTP
//! 500: the tests' proxy answers it as AWS documents (an account that set no default,
//! unless a test gives the default).

mod support;

use support::proxy::{instance_metadata_defaults_xml, Answer, FaultProxy, Faults};
use support::{audit_through, finding_of, seed, Moto, ACCOUNT, REGION};

const CHECKS: &str = "ec2.imdsv2_required,ec2.imdsv2_account_default,ec2.launch_template_imdsv2";

fn seeded_moto() -> Moto {
    let moto = Moto::start();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { seed::whole_account(&moto.sdk_config().await).await });
    moto
}

fn findings<'a>(audit: &'a serde_json::Value, check: &str) -> Vec<&'a serde_json::Value> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check)
        .collect()
}

#[test]
fn stopped_instances_launch_templates_and_the_account_default_are_judged() {
    let moto = seeded_moto();
    let required = FaultProxy::start(
        &moto.endpoint,
        Faults {
            answers: vec![Answer::xml(
                ACCOUNT,
                "ec2",
                "GetInstanceMetadataDefaults",
                &instance_metadata_defaults_xml(Some("required")),
            )],
            ..Faults::default()
        },
    );
    let (_, audit) = audit_through(&required, CHECKS, &["--region", REGION]);

    // orr-imdsv2 requires tokens; orr-imdsv1 and the stopped orr-stopped-imdsv1 do not.
    let instances = findings(&audit, "ec2.imdsv2_required");
    let statuses: Vec<&str> = instances
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        (
            statuses.iter().filter(|s| **s == "PASS").count(),
            statuses.iter().filter(|s| **s == "FAIL").count()
        ),
        (1, 2),
        "{instances:#?}"
    );
    assert!(
        instances.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .ends_with("answers IMDSv1 when started (HttpTokens optional)")
            && f["message"]
                .as_str()
                .unwrap()
                .starts_with("stopped instance i-")),
        "{instances:#?}"
    );

    let default = finding_of(&audit, "ec2.imdsv2_account_default", ACCOUNT);
    assert_eq!(default["status"], "PASS", "{default:#}");

    // orr-web-asg launches orr-app's $Latest (version 2, required); orr-worker-asg its
    // default version 1, which sets nothing and gets the account default.
    let template = finding_of(&audit, "ec2.launch_template_imdsv2", "launch-template/");
    assert_eq!(template["status"], "PASS", "{template:#}");
    let message = template["message"].as_str().unwrap();
    assert!(
        message.starts_with("launch template orr-app (lt-")
            && message.contains("version 2 ($Latest, launched by orr-web-asg) requires IMDSv2")
            && message.contains(
                "version 1 ($Default, launched by orr-worker-asg) sets no HttpTokens and the \
                 account default in us-east-1 requires IMDSv2"
            ),
        "{message}"
    );
    // One DescribeLaunchTemplateVersions for the template, asking for both versions.
    let reads: Vec<_> = required
        .calls()
        .into_iter()
        .filter(|c| c.operation == "DescribeLaunchTemplateVersions")
        .collect();
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert!(
        reads[0].identity.contains("%24Latest") && reads[0].identity.contains("%24Default"),
        "{reads:#?}"
    );

    // An account that never set a default: both the default and the template's
    // version 1 fail.
    let unset = FaultProxy::start(&moto.endpoint, Faults::default());
    let (_, audit) = audit_through(&unset, CHECKS, &["--region", REGION]);
    let default = finding_of(&audit, "ec2.imdsv2_account_default", ACCOUNT);
    assert_eq!(default["status"], "FAIL", "{default:#}");
    assert!(
        default["message"]
            .as_str()
            .unwrap()
            .contains("(no preference)"),
        "{default:#}"
    );
    let template = finding_of(&audit, "ec2.launch_template_imdsv2", "launch-template/");
    assert_eq!(template["status"], "FAIL", "{template:#}");
}
