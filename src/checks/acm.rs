//! ACM certificates: expiry and renewal of the ones in use.

use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::acm::CLOUDFRONT_REGION;
use crate::inventory::{FetchError, Fetched};
use crate::model::acm::Certificate;

const CERTIFICATE: &str = "AWS::CertificateManager::Certificate";

/// A certificate that expires takes every endpoint serving it down for its clients;
/// ACM renews its own certificates from 60 days before expiry, so one in use that is
/// close to expiry, whose renewal failed, or whose renewal waits for a domain to be
/// validated (it will not complete on its own), needs a person now. CloudFront's
/// certificates live in us-east-1: where that region is not audited, the home region's
/// run judges them too (once for the account, one finding per certificate).
pub async fn certificate_expiry(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let mut observations = match listed(&ctx, ctx.inventory.acm_certificate_arns(region).await) {
        Err(errors) => errors,
        Ok(arns) => {
            let details = ctx.inventory.acm_certificates(region).await;
            arns.iter()
                .map(|arn| judge_certificate(&ctx, arn, lookup(details, arn)))
                .collect()
        }
    };
    if region == ctx.inventory.home_region() {
        observations.extend(cloudfront_certificates(&ctx).await);
    }
    or_not_applicable(&ctx, observations, || {
        format!("no ACM certificate in {region}")
    })
}

/// The us-east-1 certificates CloudFront uses, each judged in us-east-1, unless that
/// region is audited: its own run judges them then. The piece is read either way (it
/// then comes from us-east-1's pieces, no second call), so the check's reads do not
/// depend on the regions.
async fn cloudfront_certificates(ctx: &CheckCtx) -> Vec<Observation> {
    let found = ctx.inventory.acm_cloudfront_certificates().await;
    if ctx
        .inventory
        .regions()
        .iter()
        .any(|r| r == CLOUDFRONT_REGION)
    {
        return Vec::new();
    }
    let observations = match found {
        Fetched::Error(error) => vec![Observation::unverified(&ctx.account(), error)],
        Fetched::Ok(certificates) => certificates
            .iter()
            .map(|(arn, found)| {
                judge_certificate(ctx, arn, found.as_result().map_err(Clone::clone))
            })
            .collect(),
    };
    observations
        .into_iter()
        .map(|o| o.in_region(CLOUDFRONT_REGION))
        .collect()
}

fn judge_certificate(
    ctx: &CheckCtx,
    arn: &str,
    found: Result<&Certificate, FetchError>,
) -> Observation {
    let minimum = ctx.rules.thresholds.acm.min_days_to_expiry;
    let now = ctx.now();
    let resource = Resource::new(CERTIFICATE, arn.to_string());
    let certificate = match found {
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
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::checks::testing::{err, failed, now, ok, statuses_of, ACCOUNT};
    use crate::checks::Rules;
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
    use crate::inventory::{Inventory, InventoryData, PerResource};

    const HOME: &str = "eu-west-1";

    fn certificate(region: &str, name: &str, days_left: i64, used_by: &str) -> Certificate {
        Certificate {
            arn: format!("arn:aws:acm:{region}:{ACCOUNT}:certificate/{name}"),
            domain: format!("{name}.example.com"),
            subject_alternative_names: Vec::new(),
            status: "ISSUED".to_string(),
            kind: "AMAZON_ISSUED".to_string(),
            key_algorithm: None,
            issuer: None,
            certificate_authority_arn: None,
            in_use_by: vec![used_by.to_string()],
            created_at: None,
            imported_at: None,
            not_before: None,
            not_after: Some(now() + chrono::Duration::days(days_left)),
            renewal_eligibility: None,
            renewal_status: None,
            renewal_failure: None,
            renewal_pending_domains: Vec::new(),
        }
    }

    fn distribution(id: &str) -> String {
        format!("arn:aws:cloudfront::{ACCOUNT}:distribution/{id}")
    }

    fn by_arn(certificates: &[Certificate]) -> PerResource<Certificate> {
        certificates
            .iter()
            .map(|c| (c.arn.clone(), Fetched::Ok(c.clone())))
            .collect()
    }

    async fn run_in(data: InventoryData, region: &str) -> Vec<Observation> {
        let inventory = Arc::new(Inventory::offline(data));
        let ctx = CheckCtx::new(inventory, Arc::new(Rules::default()), Some(region.into()));
        certificate_expiry(ctx).await
    }

    /// An audit of eu-west-1 only: its own certificates, and once, in us-east-1, those
    /// CloudFront uses (one in use whose details are unknown is an ERROR).
    fn eu_only() -> InventoryData {
        let mut data = InventoryData::new(
            ACCOUNT,
            &[HOME.to_string(), "eu-central-1".to_string()],
            now(),
        );
        let alb = certificate(
            HOME,
            "api",
            200,
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/1",
        );
        let acm = &mut data.region_mut(HOME).acm;
        acm.certificate_arns = ok(vec![alb.arn.clone()]);
        acm.certificates = ok(by_arn(&[alb]));
        let central = &mut data.region_mut("eu-central-1").acm;
        central.certificate_arns = ok(vec![]);
        central.certificates = ok(Default::default());
        let mut cloudfront = by_arn(&[
            certificate(CLOUDFRONT_REGION, "www", 200, &distribution("E1")),
            certificate(CLOUDFRONT_REGION, "cdn", 10, &distribution("E2")),
        ]);
        cloudfront.insert(
            format!("arn:aws:acm:us-east-1:{ACCOUNT}:certificate/unknown"),
            err("acm", "DescribeCertificate"),
        );
        data.global.acm.cloudfront_certificates = ok(cloudfront);
        data
    }

    #[tokio::test]
    async fn cloudfront_certificates_are_judged_once_in_us_east_1_when_it_is_not_audited() {
        let home = run_in(eu_only(), HOME).await;
        assert_eq!(
            statuses_of(&home, &["/api", "/www", "/cdn", "/unknown"]),
            [Pass, Pass, Fail, Error]
        );
        let cdn = home
            .iter()
            .find(|o| o.resource_id.ends_with("/cdn"))
            .unwrap();
        assert_eq!(cdn.region.as_deref(), Some(CLOUDFRONT_REGION));
        assert_eq!(
            cdn.message,
            "certificate for cdn.example.com expires in 10 day(s)"
        );
        assert_eq!(
            home.iter()
                .find(|o| o.resource_id.ends_with("/api"))
                .unwrap()
                .region,
            None
        );
        // The other audited region judges only its own (none).
        assert_eq!(
            statuses_of(&run_in(eu_only(), "eu-central-1").await, &[ACCOUNT]),
            [NotApplicable]
        );
    }

    #[tokio::test]
    async fn an_unreadable_cloudfront_listing_is_one_error_beside_the_regions_verdicts() {
        let mut data = eu_only();
        data.global.acm.cloudfront_certificates = failed("acm", "ListCertificates");
        let home = run_in(data, HOME).await;
        assert_eq!(statuses_of(&home, &["/api", ACCOUNT]), [Pass, Error]);
        assert_eq!(home.len(), 2);
    }

    /// Where us-east-1 is audited its certificates are judged there, CloudFront's
    /// included, and never a second time from the account-wide piece.
    #[tokio::test]
    async fn with_us_east_1_audited_a_cloudfront_certificate_is_judged_once() {
        let regions = [HOME.to_string(), CLOUDFRONT_REGION.to_string()];
        let data = || {
            let mut data = InventoryData::new(ACCOUNT, &regions, now());
            let cdn = certificate(CLOUDFRONT_REGION, "cdn", 10, &distribution("E2"));
            let acm = &mut data.region_mut(CLOUDFRONT_REGION).acm;
            acm.certificate_arns = ok(vec![cdn.arn.clone()]);
            acm.certificates = ok(by_arn(std::slice::from_ref(&cdn)));
            let home = &mut data.region_mut(HOME).acm;
            home.certificate_arns = ok(vec![]);
            home.certificates = ok(Default::default());
            data.global.acm.cloudfront_certificates = ok(by_arn(&[cdn]));
            data
        };
        let mut all = run_in(data(), CLOUDFRONT_REGION).await;
        all.extend(run_in(data(), HOME).await);
        assert_eq!(statuses_of(&all, &["/cdn", ACCOUNT]), [Fail, NotApplicable]);
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!(all[0].region, None, "judged in its own region's run");
    }
}
