use serde_json::json;

use super::{lookup, or_not_applicable, organizations, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::cloudtrail::TrailsSeen;
use crate::inventory::{FetchError, Fetched, PerResource};
use crate::model::cloudtrail::{EventSelectors, Trail, TrailStatus};

const TRAIL: &str = "AWS::CloudTrail::Trail";

fn trail_resource(trail: &Trail) -> Resource {
    Resource::new(TRAIL, trail.arn.clone())
}

/// One ERROR per region whose trails could not be read: the trails the other regions
/// report are still judged.
fn unreadable_regions(ctx: &CheckCtx, seen: &TrailsSeen) -> Vec<Observation> {
    seen.unreadable
        .iter()
        .map(|(region, error)| Observation::unverified(&ctx.account(), error).in_region(region))
        .collect()
}

/// What the audited account can know of whether a trail records every management
/// event: of its own trails, their selectors; of another account's (an organization
/// trail seen from a member, whose selectors only the owner may read), only whether
/// they are the default, which records every management event. `None`: not knowable here.
fn records_all_management_events(
    ctx: &CheckCtx,
    trail: &Trail,
    selectors: &Fetched<PerResource<EventSelectors>>,
) -> Result<Option<bool>, FetchError> {
    if trail.owned_elsewhere(ctx.inventory.account_id()) {
        return Ok(trail
            .has_custom_event_selectors
            .and_then(|custom| (!custom).then_some(true)));
    }
    lookup(selectors, &trail.arn).map(|s| Some(s.records_all_management_events()))
}

/// The trail's name, with its owner when another account owns it.
fn named(ctx: &CheckCtx, trail: &Trail) -> String {
    match trail.owner() {
        Some(owner) if trail.owned_elsewhere(ctx.inventory.account_id()) => {
            format!("organization trail {} of account {owner}", trail.name)
        }
        _ => format!("trail {}", trail.name),
    }
}

/// One account-level answer: is there a multi-region trail that is logging every
/// management event? A trail whose status could not be read, or a region whose trails
/// could not be listed, counts only if no trail settles the question. A member account
/// covered by its organization's trail is judged from what it may read of that trail;
/// what only the trail's owner can see is confirmed there.
pub async fn multi_region_logging(ctx: CheckCtx) -> Vec<Observation> {
    let seen = ctx.inventory.cloudtrail_trails().await;
    let account = ctx.account();
    let multi_region: Vec<&Trail> = seen
        .trails
        .iter()
        .copied()
        .filter(|t| t.is_multi_region)
        .collect();
    let statuses = ctx.inventory.cloudtrail_trail_status().await;
    let selectors = ctx.inventory.cloudtrail_event_selectors().await;
    let mut evidence = Vec::new();
    let mut unknown = seen.unreadable.first().map(|(_, error)| (*error).clone());
    let mut known_only_to_owner = None;
    for trail in &multi_region {
        let status = lookup(statuses, &trail.arn);
        let logging = status.clone().map(TrailStatus::delivers);
        let management = records_all_management_events(&ctx, trail, selectors);
        evidence.push(json!({
            "trail": trail.arn,
            "is_organization_trail": trail.is_organization_trail,
            "is_logging": status.as_ref().ok().map(|s| s.is_logging),
            "latest_delivery_error": status.as_ref().ok().and_then(|s| s.latest_delivery_error.as_deref()),
            "has_custom_event_selectors": trail.has_custom_event_selectors,
            "records_all_management_events": management.as_ref().ok(),
        }));
        match (logging, management) {
            (Ok(true), Ok(Some(true))) => {
                return vec![Observation::pass(
                    &account,
                    format!(
                        "{} logs management events in every region",
                        named(&ctx, trail)
                    ),
                    json!({ "trails": evidence }),
                )]
            }
            (Ok(true), Ok(None)) => known_only_to_owner = Some(*trail),
            (Err(error), _) | (_, Err(error)) => unknown = Some(error),
            _ => {}
        }
    }
    match (unknown, known_only_to_owner) {
        (Some(error), _) => vec![Observation::unverified(&account, &error)],
        (None, Some(trail)) => vec![organizations::attested_elsewhere(
            &ctx,
            "cloudtrail.multi_region_logging",
            trail.owner().unwrap_or_default(),
            &format!(
                "{} is logging in every region, but its event selectors are custom and only its owner may read them: confirm it records every management event, read and write",
                named(&ctx, trail)
            ),
            json!({ "trails": evidence }),
        )],
        (None, None) if multi_region.is_empty() => vec![Observation::fail(
            &account,
            "no multi-region CloudTrail trail",
            json!({ "trails": seen.trails.iter().map(|t| &t.arn).collect::<Vec<_>>() }),
        )],
        (None, None) => vec![Observation::fail(
            &account,
            "no multi-region trail is logging, delivering to S3 and recording all management events",
            json!({ "trails": evidence }),
        )],
    }
}

/// An organization trail seen from a member is judged in the account that owns it,
/// which alone can change it; the values seen are kept as evidence.
fn owned_elsewhere(
    ctx: &CheckCtx,
    trail: &Trail,
    evidence: serde_json::Value,
) -> Option<Observation> {
    let owner = trail
        .owner()
        .filter(|_| trail.owned_elsewhere(ctx.inventory.account_id()))?;
    Some(organizations::judged_elsewhere(
        ctx,
        &trail_resource(trail),
        owner,
        &named(ctx, trail),
        evidence,
    ))
}

pub async fn log_file_validation(ctx: CheckCtx) -> Vec<Observation> {
    let seen = ctx.inventory.cloudtrail_trails().await;
    let mut observations = unreadable_regions(&ctx, &seen);
    observations.extend(seen.trails.iter().filter(|t| t.is_multi_region).map(|trail| {
        let evidence = json!({ "home_region": trail.home_region, "log_file_validation": trail.log_file_validation });
        owned_elsewhere(&ctx, trail, evidence.clone()).unwrap_or_else(|| {
            Observation::judge(
                trail.log_file_validation,
                &trail_resource(trail),
                if trail.log_file_validation {
                    "log file validation is on"
                } else {
                    "log file validation is off: tampering with delivered logs goes unnoticed"
                },
                evidence,
            )
        })
    }));
    or_not_applicable(&ctx, observations, || {
        "no multi-region trail (see cloudtrail.multi_region_logging)".into()
    })
}

pub async fn kms_encrypted(ctx: CheckCtx) -> Vec<Observation> {
    let seen = ctx.inventory.cloudtrail_trails().await;
    let mut observations = unreadable_regions(&ctx, &seen);
    observations.extend(seen.trails.iter().map(|trail| {
        let evidence = json!({ "home_region": trail.home_region, "kms_key_id": trail.kms_key_id });
        owned_elsewhere(&ctx, trail, evidence.clone()).unwrap_or_else(|| {
            let message = match &trail.kms_key_id {
                Some(key) => format!("logs encrypted with KMS key {key}"),
                None => "logs are not encrypted with a KMS key (SSE-S3 only)".to_string(),
            };
            Observation::judge(
                trail.kms_key_id.is_some(),
                &trail_resource(trail),
                message,
                evidence,
            )
        })
    }));
    or_not_applicable(&ctx, observations, || "no CloudTrail trails".into())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::cloudtrail::{BasicEventSelector, EventSelectors};

    fn trail(name: &str, multi_region: bool) -> Trail {
        Trail {
            name: name.to_string(),
            arn: format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{name}"),
            home_region: REGION.to_string(),
            is_multi_region: multi_region,
            log_file_validation: true,
            kms_key_id: Some("arn:aws:kms:us-east-1:123456789012:key/abc".into()),
            s3_bucket: Some("trail-bucket".into()),
            is_organization_trail: false,
            has_custom_event_selectors: Some(true),
        }
    }

    fn selectors(read_write: &str, management: bool) -> Fetched<EventSelectors> {
        Fetched::Ok(EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: read_write.to_string(),
                include_management_events: management,
                exclude_management_event_sources: vec![],
            }],
            advanced: vec![],
        })
    }

    fn account_with(
        trails: Vec<Trail>,
        status: Vec<Fetched<TrailStatus>>,
        selected: Vec<Fetched<EventSelectors>>,
    ) -> InventoryData {
        let mut data = data();
        let arns: Vec<String> = trails.iter().map(|t| t.arn.clone()).collect();
        data.global.cloudtrail.trail_status = Memo::ready(Fetched::Ok(
            arns.iter().cloned().zip(status).collect::<BTreeMap<_, _>>(),
        ));
        data.global.cloudtrail.event_selectors = Memo::ready(Fetched::Ok(
            arns.into_iter().zip(selected).collect::<BTreeMap<_, _>>(),
        ));
        data.region_mut(REGION).cloudtrail.trails = Memo::ready(Fetched::Ok(trails));
        data
    }

    fn logging(on: bool) -> Fetched<TrailStatus> {
        Fetched::Ok(TrailStatus {
            is_logging: on,
            latest_delivery_error: None,
        })
    }

    async fn multi_region_status(data: InventoryData) -> Status {
        let found = run(data, false, multi_region_logging).await;
        assert_eq!(found.len(), 1);
        found[0].status
    }

    #[tokio::test]
    async fn multi_region_logging_needs_one_complete_trail() {
        let good = account_with(
            vec![trail("main", true)],
            vec![logging(true)],
            vec![selectors("All", true)],
        );
        assert_eq!(multi_region_status(good).await, Status::Pass);

        let stopped = account_with(
            vec![trail("main", true)],
            vec![logging(false)],
            vec![selectors("All", true)],
        );
        assert_eq!(multi_region_status(stopped).await, Status::Fail);

        let undelivered = account_with(
            vec![trail("main", true)],
            vec![Fetched::Ok(TrailStatus {
                is_logging: true,
                latest_delivery_error: Some("AccessDenied".into()),
            })],
            vec![selectors("All", true)],
        );
        assert_eq!(multi_region_status(undelivered).await, Status::Fail);

        let write_only = account_with(
            vec![trail("main", true)],
            vec![logging(true)],
            vec![selectors("WriteOnly", true)],
        );
        assert_eq!(multi_region_status(write_only).await, Status::Fail);

        let single = account_with(
            vec![trail("local", false)],
            vec![logging(true)],
            vec![selectors("All", true)],
        );
        assert_eq!(multi_region_status(single).await, Status::Fail);
    }

    #[tokio::test]
    async fn multi_region_logging_is_unverified_only_when_nothing_else_settles_it() {
        let unknown = account_with(
            vec![trail("main", true)],
            vec![err("cloudtrail", "GetTrailStatus")],
            vec![selectors("All", true)],
        );
        assert_eq!(multi_region_status(unknown).await, Status::Error);

        let settled = account_with(
            vec![trail("a-unknown", true), trail("b-good", true)],
            vec![err("cloudtrail", "GetTrailStatus"), logging(true)],
            vec![selectors("All", true), selectors("All", true)],
        );
        assert_eq!(multi_region_status(settled).await, Status::Pass);
    }

    #[tokio::test]
    async fn validation_and_kms_are_judged_per_trail() {
        let mut unvalidated = trail("unvalidated", true);
        unvalidated.log_file_validation = false;
        unvalidated.kms_key_id = None;
        let trails = vec![trail("good", true), unvalidated, trail("regional", false)];
        let data = || account_with(trails.clone(), vec![], vec![]);

        let found = run(data(), false, log_file_validation).await;
        assert_eq!(found.len(), 2, "only multi-region trails");
        assert_eq!(status_of(&found, "/good"), Status::Pass);
        assert_eq!(status_of(&found, "/unvalidated"), Status::Fail);

        let found = run(data(), false, kms_encrypted).await;
        assert_eq!(found.len(), 3);
        assert_eq!(status_of(&found, "/unvalidated"), Status::Fail);
        assert_eq!(status_of(&found, "/regional"), Status::Pass);
    }

    #[tokio::test]
    async fn no_trails_and_unreadable_trails() {
        let none = || account_with(vec![], vec![], vec![]);
        assert_eq!(
            statuses(&run(none(), false, kms_encrypted).await),
            [Status::NotApplicable]
        );
        assert_eq!(
            statuses(&run(none(), false, log_file_validation).await),
            [Status::NotApplicable]
        );
        assert_eq!(
            statuses(&run(none(), false, multi_region_logging).await),
            [Status::Fail]
        );

        let mut data = data();
        data.region_mut(REGION).cloudtrail.trails =
            Memo::ready(err("cloudtrail", "DescribeTrails"));
        assert_eq!(
            statuses(&run(data, false, kms_encrypted).await),
            [Status::Error]
        );
    }

    /// A region whose DescribeTrails is denied (an SCP, say) costs that region's answer
    /// only: the trails another region reports keep their PASS and FAIL.
    #[tokio::test]
    async fn a_region_that_cannot_list_trails_costs_only_that_region() {
        let data = || {
            let mut unencrypted = trail("unencrypted", false);
            unencrypted.kms_key_id = None;
            let mut data = account_with(
                vec![trail("main", true), unencrypted],
                vec![logging(true), logging(true)],
                vec![selectors("All", true), selectors("All", true)],
            );
            data.regions.push("eu-west-1".to_string());
            data.region_mut("eu-west-1").cloudtrail.trails =
                Memo::ready(err("cloudtrail", "DescribeTrails"));
            data
        };

        let found = run(data(), false, kms_encrypted).await;
        assert_eq!(status_of(&found, "/main"), Status::Pass);
        assert_eq!(status_of(&found, "/unencrypted"), Status::Fail);
        let errors: Vec<_> = found.iter().filter(|o| o.status == Status::Error).collect();
        assert_eq!(errors.len(), 1, "{found:#?}");
        assert_eq!(errors[0].region.as_deref(), Some("eu-west-1"));

        let found = run(data(), false, log_file_validation).await;
        assert_eq!(status_of(&found, "/main"), Status::Pass);
        assert_eq!(
            found.iter().filter(|o| o.status == Status::Error).count(),
            1
        );

        // The multi-region trail covers the unreadable region too.
        assert_eq!(multi_region_status(data()).await, Status::Pass);
    }

    const MANAGEMENT: &str = "111111111111";

    /// The organization trail as a member sees it: owned by the management account.
    fn organization_trail(custom_selectors: Option<bool>) -> Trail {
        Trail {
            arn: format!("arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org"),
            is_organization_trail: true,
            has_custom_event_selectors: custom_selectors,
            kms_key_id: None,
            log_file_validation: false,
            ..trail("org", true)
        }
    }

    /// A member reads the organization trail's status but not its selectors: default
    /// selectors pass, custom ones are confirmed in the owner (N/A when the run audits
    /// it, MANUAL otherwise); its KMS key and validation are judged in the owner.
    #[tokio::test]
    async fn a_member_is_judged_on_what_it_can_read_of_the_organization_trail() {
        let member = |custom: Option<bool>| {
            let mut data = account_with(
                vec![organization_trail(custom)],
                vec![logging(true)],
                vec![],
            );
            // The member never asks for another account's selectors.
            data.global.cloudtrail.event_selectors = ok(BTreeMap::new());
            data
        };
        let found = run(member(Some(false)), false, multi_region_logging).await;
        assert_eq!(statuses(&found), [Status::Pass]);
        assert!(
            found[0]
                .message
                .contains("organization trail org of account 111111111111"),
            "{}",
            found[0].message
        );
        let alone = run(member(Some(true)), false, multi_region_logging).await;
        assert_eq!(statuses(&alone), [Status::Manual]);
        assert!(
            alone[0].message.contains("in account 111111111111"),
            "{}",
            alone[0].message
        );
        let in_org = run_under(
            member(Some(true)),
            false,
            auditing(&[ACCOUNT, MANAGEMENT]),
            multi_region_logging,
        )
        .await;
        assert_eq!(statuses(&in_org), [Status::NotApplicable]);
        assert_eq!(
            statuses(&run(member(None), false, multi_region_logging).await),
            [Status::Manual],
            "a snapshot without HasCustomEventSelectors cannot tell"
        );
        let stopped = account_with(
            vec![organization_trail(Some(false))],
            vec![logging(false)],
            vec![],
        );
        assert_eq!(multi_region_status(stopped).await, Status::Fail);

        for found in [
            run(member(Some(false)), false, kms_encrypted).await,
            run(member(Some(false)), false, log_file_validation).await,
        ] {
            assert_eq!(statuses(&found), [Status::NotApplicable]);
            assert!(
                found[0].message.contains("belongs to account 111111111111"),
                "{}",
                found[0].message
            );
        }
    }

    /// The owner judges its organization trail like any of its own.
    #[tokio::test]
    async fn the_management_account_judges_its_organization_trail() {
        let mut own = organization_trail(Some(true));
        own.arn = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org");
        let data = || {
            account_with(
                vec![own.clone()],
                vec![logging(true)],
                vec![selectors("All", true)],
            )
        };
        assert_eq!(multi_region_status(data()).await, Status::Pass);
        assert_eq!(
            statuses(&run(data(), false, kms_encrypted).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(data(), false, log_file_validation).await),
            [Status::Fail]
        );
    }

    /// Leaving out an event source is one rule for basic and advanced selectors alike.
    #[tokio::test]
    async fn excluded_event_sources_record_part_of_the_management_events() {
        let excluded = |basic: bool| {
            let selectors = if basic {
                EventSelectors {
                    basic: vec![BasicEventSelector {
                        read_write_type: "All".into(),
                        include_management_events: true,
                        exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
                    }],
                    advanced: vec![],
                }
            } else {
                EventSelectors {
                    basic: vec![],
                    advanced: vec![crate::model::cloudtrail::AdvancedEventSelector {
                        name: None,
                        field_selectors: vec![
                            crate::model::cloudtrail::FieldSelector {
                                field: "eventCategory".into(),
                                equals: vec!["Management".into()],
                            },
                            crate::model::cloudtrail::FieldSelector {
                                field: "eventSource".into(),
                                equals: vec![],
                            },
                        ],
                    }],
                }
            };
            account_with(
                vec![trail("main", true)],
                vec![logging(true)],
                vec![Fetched::Ok(selectors)],
            )
        };
        assert_eq!(multi_region_status(excluded(true)).await, Status::Fail);
        assert_eq!(multi_region_status(excluded(false)).await, Status::Fail);
    }
}
