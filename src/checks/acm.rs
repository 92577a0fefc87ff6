//! ACM certificates: expiry and renewal of the ones in use.

use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const CERTIFICATE: &str = "AWS::CertificateManager::Certificate";

/// A certificate that expires takes every endpoint serving it down for its clients;
/// ACM renews its own certificates from 60 days before expiry, so one in use that is
/// close to expiry, whose renewal failed, or whose renewal waits for a domain to be
/// validated (it will not complete on its own), needs a person now.
pub async fn certificate_expiry(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let arns = match listed(&ctx, ctx.inventory.acm_certificate_arns(region).await) {
        Ok(arns) => arns,
        Err(errors) => return errors,
    };
    let details = ctx.inventory.acm_certificates(region).await;
    let minimum = ctx.rules.thresholds.acm.min_days_to_expiry;
    let now = ctx.now();
    let observations = arns
        .iter()
        .map(|arn| {
            let resource = Resource::new(CERTIFICATE, arn.clone());
            let certificate = match lookup(details, arn) {
                Ok(certificate) => certificate,
                Err(error) => return Observation::unverified(&resource, &error),
            };
            let name = &certificate.domain;
            if certificate.in_use_by.is_empty() {
                return Observation::not_applicable(
                    &resource,
                    format!("certificate for {name} is not in use"),
                );
            }
            let days_left = certificate.not_after.map(|t| (t - now).num_days());
            let evidence = json!({
                "domain": name,
                "status": certificate.status,
                "type": certificate.kind,
                "in_use_by": certificate.in_use_by,
                "not_after": certificate.not_after,
                "days_left": days_left,
                "renewal_status": certificate.renewal_status,
                "renewal_failure": certificate.renewal_failure,
                "renewal_pending_domains": certificate.renewal_pending_domains,
                "min_days_to_expiry": minimum,
            });
            if certificate.renewal_failed() {
                return Observation::fail(
                    &resource,
                    format!(
                        "certificate for {name} failed to renew ({})",
                        certificate
                            .renewal_failure
                            .as_deref()
                            .unwrap_or("no reason given")
                    ),
                    evidence,
                );
            }
            match days_left {
                None => Observation::cannot_judge(
                    &resource,
                    format!(
                        "DescribeCertificate gave no NotAfter for the certificate for {name} ({})",
                        certificate.status
                    ),
                    evidence,
                ),
                Some(days) if days < 0 || !certificate.is_issued() => Observation::fail(
                    &resource,
                    format!(
                        "certificate for {name} is {} and still in use",
                        certificate.status
                    ),
                    evidence,
                ),
                Some(days) if certificate.renewal_awaits_validation() => Observation::fail(
                    &resource,
                    format!(
                        "certificate for {name} expires in {days} day(s) and ACM's renewal waits for validation of {} (PENDING_VALIDATION)",
                        match certificate.renewal_pending_domains.as_slice() {
                            [] => "a domain".to_string(),
                            domains => domains.join(", "),
                        }
                    ),
                    evidence,
                ),
                Some(days) => Observation::judge(
                    days > minimum,
                    &resource,
                    format!("certificate for {name} expires in {days} day(s)"),
                    evidence,
                ),
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no ACM certificate in {region}")
    })
}
