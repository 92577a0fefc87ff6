//! Criteria only a person can attest (a restore drill, a load test): MANUAL until an
//! `[[attestations]]` entry in orr.toml names who attested them, when, and the evidence.

use serde_json::json;

use super::CheckCtx;
use crate::finding::{Observation, Status};

fn attested(ctx: &CheckCtx, id: &str) -> Vec<Observation> {
    let account = ctx.account();
    let observation = match ctx.rules.attestations.iter().rev().find(|a| a.item == id) {
        Some(attestation) => Observation::pass(
            &account,
            format!("attested by {} on {}", attestation.by, attestation.date),
            json!({
                "by": attestation.by,
                "date": attestation.date.to_string(),
                "evidence": attestation.evidence,
            }),
        ),
        None => Observation::new(
            Status::Manual,
            &account,
            format!("not attested: a person confirms it in orr.toml ([[attestations]] item = \"{id}\", by, date, evidence)"),
            json!({}),
        ),
    };
    vec![observation]
}

macro_rules! manual_items {
    ($($name:ident),* $(,)?) => {
        /// The ids of every manual criterion, for validating attestations.
        pub const ITEMS: &[&str] = &[$(concat!("manual.", stringify!($name))),*];
        $(
            pub async fn $name(ctx: CheckCtx) -> Vec<Observation> {
                attested(&ctx, concat!("manual.", stringify!($name)))
            }
        )*
    };
}

manual_items!(
    backup_restore_tested,
    load_test,
    chaos_experiment,
    rate_limiter_tested,
    runbooks_reviewed,
    stakeholder_signoff,
);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::checks::{testing, Rules};
    use crate::config::Attestation;
    use crate::inventory::Inventory;

    #[tokio::test]
    async fn manual_until_attested_then_pass_with_who_when_and_evidence() {
        let inventory = Arc::new(Inventory::offline(testing::data()));
        let rules = Rules {
            attestations: vec![Attestation {
                item: "manual.load_test".into(),
                by: "jane.doe (platform)".into(),
                date: "2026-11-20".parse().unwrap(),
                evidence: Some("https://wiki.example.com/load-test".into()),
            }],
            ..Rules::default()
        };
        let ctx = CheckCtx::new(inventory, Arc::new(rules), None);
        let attested = load_test(ctx.clone()).await;
        assert_eq!(attested[0].status, Status::Pass);
        assert_eq!(
            attested[0].message,
            "attested by jane.doe (platform) on 2026-11-20"
        );
        assert_eq!(
            attested[0].evidence["evidence"],
            "https://wiki.example.com/load-test"
        );
        let open = chaos_experiment(ctx).await;
        assert_eq!(open[0].status, Status::Manual);
        assert_eq!(ITEMS.len(), 6);
    }
}
