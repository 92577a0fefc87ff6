//! Secrets Manager: rotation.

use serde_json::json;

use super::{listed, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const SECRET: &str = "AWS::SecretsManager::Secret";

/// A credential that never changes stays valid wherever it leaked. Rotation on but
/// overdue means the rotation function fails: Secrets Manager keeps the old value.
pub async fn rotation(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let secrets = match listed(&ctx, ctx.inventory.secretsmanager_secrets(region).await) {
        Ok(secrets) => secrets,
        Err(errors) => return errors,
    };
    let grace = ctx.rules.thresholds.secretsmanager.rotation_grace_days;
    let now = ctx.now();
    let observations = secrets
        .iter()
        .map(|secret| {
            let resource = Resource::new(SECRET, secret.arn.clone());
            let evidence = json!({
                "rotation_enabled": secret.rotation_enabled,
                "automatically_after_days": secret.rotation_days,
                "schedule_expression": secret.schedule,
                "last_rotated": secret.last_rotated,
                "next_rotation": secret.next_rotation,
                "owning_service": secret.owning_service,
                "rotation_grace_days": grace,
            });
            let name = &secret.name;
            // A secret another service owns (an EventBridge connection's, say) is changed
            // only through that service; if it rotates, its schedule is still judged below.
            if let (false, Some(owner)) = (secret.rotation_enabled, &secret.owning_service) {
                return Observation::not_applicable(
                    &resource,
                    format!("secret {name} is owned by the {owner} service, which alone may change it; its rotation is that service's to manage"),
                );
            }
            if !secret.rotation_enabled {
                return Observation::fail(&resource, format!("secret {name} does not rotate"), evidence);
            }
            match secret.rotation_due() {
                None if secret.last_rotated.is_none() => Observation::fail(
                    &resource,
                    format!("secret {name} has rotation on but has never rotated"),
                    evidence,
                ),
                None => Observation::cannot_judge(
                    &resource,
                    format!("secret {name}: ListSecrets gave neither an interval nor a next rotation date"),
                    evidence,
                ),
                Some(due) => {
                    let late = (now - due).num_days();
                    if late > grace {
                        Observation::fail(
                            &resource,
                            format!("secret {name} should have rotated by {} ({late} days ago): its rotation is failing", due.date_naive()),
                            evidence,
                        )
                    } else {
                        Observation::pass(
                            &resource,
                            format!("secret {name} rotates; next due {}", due.date_naive()),
                            evidence,
                        )
                    }
                }
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no secret in Secrets Manager in {region}")
    })
}
