use std::collections::BTreeMap;

use aws_sdk_acm::types::{
    CertificateDetail, CertificateSummary, DomainStatus, Filters, KeyAlgorithm,
};
use aws_sdk_acm::Client;

use super::{fetch_error, instant, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::inventory::PerResource;
use crate::model::acm::Certificate;

const SERVICE: &str = "acm";

impl AwsReader {
    fn acm(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// ListCertificates returns only RSA 1024 and 2048 certificates unless asked for the
    /// other key types: every key algorithm the SDK knows is asked for.
    pub(crate) async fn acm_certificate_arns(&self, region: &str) -> Fetched<Vec<String>> {
        self.acm_summaries(region, |c| Some(summary_arn(c))).await
    }

    /// The certificates of `region` that serve something (CertificateSummary.InUse; one
    /// whose InUse is not given is kept), each with its details: InUseBy, which says
    /// what serves it, is in DescribeCertificate's answer only.
    pub(crate) async fn acm_in_use_certificates(
        &self,
        region: &str,
    ) -> Fetched<PerResource<Certificate>> {
        match self.acm_summaries(region, in_use_arn).await {
            Fetched::Ok(arns) => Fetched::Ok(self.acm_certificates(region, arns).await),
            Fetched::Error(error) => Fetched::Error(error),
        }
    }

    /// Every certificate summary of the region, whatever its key type, through `keep`.
    async fn acm_summaries(
        &self,
        region: &str,
        keep: impl Fn(&CertificateSummary) -> Option<String>,
    ) -> Fetched<Vec<String>> {
        let client = self.acm(region);
        let every_key_type = Filters::builder()
            .set_key_types(Some(
                KeyAlgorithm::values()
                    .iter()
                    .map(|k| KeyAlgorithm::from(*k))
                    .collect(),
            ))
            .build();
        let items = client
            .list_certificates()
            .includes(every_key_type)
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "ListCertificates", region, items, keep)
            .await
            .map(|kept| kept.into_iter().flatten().collect())
    }

    pub(crate) async fn acm_certificates(
        &self,
        region: &str,
        arns: Vec<String>,
    ) -> BTreeMap<String, Fetched<Certificate>> {
        let client = self.acm(region);
        self.per_resource(arns, |arn| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_certificate()
                    .certificate_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeCertificate", Some(&arn), &e))?;
                out.certificate().map(certificate).ok_or_else(|| {
                    FetchError::new(
                        SERVICE,
                        "DescribeCertificate",
                        Some(&arn),
                        "IncompleteAnswer",
                        "the answer has no Certificate",
                    )
                })
            }
        })
        .await
    }
}

fn summary_arn(summary: &CertificateSummary) -> String {
    summary.certificate_arn().unwrap_or_default().to_string()
}

/// The certificate's ARN unless its summary says nothing uses it.
fn in_use_arn(summary: &CertificateSummary) -> Option<String> {
    (summary.in_use() != Some(false)).then(|| summary_arn(summary))
}

fn certificate(detail: &CertificateDetail) -> Certificate {
    let renewal = detail.renewal_summary();
    Certificate {
        arn: detail.certificate_arn().unwrap_or_default().to_string(),
        domain: detail.domain_name().unwrap_or_default().to_string(),
        subject_alternative_names: detail.subject_alternative_names().to_vec(),
        status: detail
            .status()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        kind: detail
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        key_algorithm: detail.key_algorithm().map(|k| k.as_str().to_string()),
        issuer: detail.issuer().map(str::to_string),
        certificate_authority_arn: detail.certificate_authority_arn().map(str::to_string),
        in_use_by: detail.in_use_by().to_vec(),
        created_at: detail.created_at().and_then(instant),
        imported_at: detail.imported_at().and_then(instant),
        not_before: detail.not_before().and_then(instant),
        not_after: detail.not_after().and_then(instant),
        renewal_eligibility: detail.renewal_eligibility().map(|e| e.as_str().to_string()),
        renewal_status: renewal.map(|r| r.renewal_status().as_str().to_string()),
        renewal_failure: renewal
            .and_then(|r| r.renewal_status_reason())
            .map(|r| r.as_str().to_string()),
        renewal_pending_domains: renewal
            .map(|r| r.domain_validation_options())
            .unwrap_or_default()
            .iter()
            .filter(|d| d.validation_status() == Some(&DomainStatus::PendingValidation))
            .map(|d| d.domain_name().to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_acm::primitives::DateTime;
    use aws_sdk_acm::types::{
        CertificateStatus, CertificateType, DomainValidation, FailureReason, RenewalEligibility,
        RenewalStatus, RenewalSummary,
    };

    use crate::checks::acm::certificate_expiry;
    use crate::checks::testing::{data, err, now, ok, run, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};

    fn sdk_certificate(
        name: &str,
        days_left: i64,
        in_use: bool,
        status: CertificateStatus,
    ) -> aws_sdk_acm::types::builders::CertificateDetailBuilder {
        let not_after = now() + chrono::Duration::days(days_left);
        CertificateDetail::builder()
            .certificate_arn(format!(
                "arn:aws:acm:us-east-1:123456789012:certificate/{name}"
            ))
            .domain_name(format!("{name}.example.com"))
            .subject_alternative_names(format!("{name}.example.com"))
            .subject_alternative_names(format!("www.{name}.example.com"))
            .key_algorithm(KeyAlgorithm::EcPrime256v1)
            .issuer("Amazon")
            .renewal_eligibility(RenewalEligibility::Eligible)
            .created_at(DateTime::from_secs(1_700_000_000))
            .not_before(DateTime::from_secs(1_700_000_100))
            .status(status)
            .r#type(CertificateType::AmazonIssued)
            .set_in_use_by(in_use.then(|| {
                vec![
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"
                        .to_string(),
                ]
            }))
            .not_after(DateTime::from_secs(not_after.timestamp()))
    }

    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let renewal_failed = RenewalSummary::builder()
            .renewal_status(RenewalStatus::Failed)
            .renewal_status_reason(FailureReason::NoAvailableContacts)
            .updated_at(DateTime::from_secs(0))
            .set_domain_validation_options(Some(vec![]))
            .build()
            .unwrap();
        let validation = |domain: &str, status: DomainStatus| {
            DomainValidation::builder()
                .domain_name(domain)
                .validation_status(status)
                .build()
                .unwrap()
        };
        let awaiting_validation = RenewalSummary::builder()
            .renewal_status(RenewalStatus::PendingValidation)
            .updated_at(DateTime::from_secs(0))
            .domain_validation_options(validation("stuck.example.com", DomainStatus::Success))
            .domain_validation_options(validation(
                "www.stuck.example.com",
                DomainStatus::PendingValidation,
            ))
            .build()
            .unwrap();
        let renewing = RenewalSummary::builder()
            .renewal_status(RenewalStatus::PendingAutoRenewal)
            .updated_at(DateTime::from_secs(0))
            .domain_validation_options(validation(
                "renewing.example.com",
                DomainStatus::PendingValidation,
            ))
            .build()
            .unwrap();
        let certificates = [
            certificate(&sdk_certificate("fresh", 200, true, CertificateStatus::Issued).build()),
            certificate(&sdk_certificate("soon", 12, true, CertificateStatus::Issued).build()),
            certificate(
                &sdk_certificate("failing", 200, true, CertificateStatus::Issued)
                    .renewal_summary(renewal_failed)
                    .build(),
            ),
            certificate(&sdk_certificate("expired", -3, true, CertificateStatus::Expired).build()),
            certificate(&sdk_certificate("idle", 5, false, CertificateStatus::Issued).build()),
            certificate(
                &sdk_certificate("stuck", 45, true, CertificateStatus::Issued)
                    .renewal_summary(awaiting_validation)
                    .build(),
            ),
            certificate(
                &sdk_certificate("renewing", 45, true, CertificateStatus::Issued)
                    .renewal_summary(renewing)
                    .build(),
            ),
        ];
        let fresh = &certificates[0];
        assert_eq!(
            fresh.subject_alternative_names,
            ["fresh.example.com", "www.fresh.example.com"]
        );
        assert_eq!(
            fresh.key_algorithm.as_deref(),
            Some(KeyAlgorithm::EcPrime256v1.as_str())
        );
        assert_eq!(fresh.issuer.as_deref(), Some("Amazon"));
        assert_eq!(fresh.kind, CertificateType::AmazonIssued.as_str());
        assert_eq!(
            fresh.renewal_eligibility.as_deref(),
            Some(RenewalEligibility::Eligible.as_str())
        );
        assert_eq!(fresh.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(fresh.not_before.map(|t| t.timestamp()), Some(1_700_000_100));
        assert_eq!(fresh.in_use_by.len(), 1);
        assert_eq!(fresh.imported_at, None);
        assert_eq!(
            certificates[2].renewal_failure.as_deref(),
            Some("NO_AVAILABLE_CONTACTS")
        );
        assert_eq!(
            certificates[5].renewal_pending_domains,
            ["www.stuck.example.com"]
        );
        let mut account = data();
        let acm = &mut account.region_mut(REGION).acm;
        let mut details: crate::inventory::PerResource<Certificate> = certificates
            .iter()
            .map(|c| (c.arn.clone(), Fetched::Ok(c.clone())))
            .collect();
        let unreadable = "arn:aws:acm:us-east-1:123456789012:certificate/unreadable".to_string();
        details.insert(unreadable.clone(), err("acm", "DescribeCertificate"));
        acm.certificate_arns = ok(certificates
            .iter()
            .map(|c| c.arn.clone())
            .chain([unreadable])
            .collect());
        acm.certificates = ok(details);
        let observations = run(account, true, certificate_expiry).await;
        assert_eq!(
            statuses_of(
                &observations,
                &[
                    "/fresh",
                    "/soon",
                    "/failing",
                    "/expired",
                    "/idle",
                    "/unreadable",
                    "/stuck",
                    "/renewing"
                ]
            ),
            [Pass, Fail, Fail, Fail, NotApplicable, Error, Fail, Pass]
        );
        let stuck = observations
            .iter()
            .find(|o| o.resource_id.ends_with("/stuck"))
            .unwrap();
        assert_eq!(
            stuck.message,
            "certificate for stuck.example.com expires in 45 day(s) and ACM's renewal waits for validation of www.stuck.example.com (PENDING_VALIDATION)"
        );
    }

    /// Only the summaries in use (or silent about it) are described; a distribution in
    /// InUseBy marks a certificate CloudFront uses.
    #[test]
    fn in_use_summaries_and_cloudfront_users_from_sdk_values() {
        let summary = |name: &str, in_use: Option<bool>| {
            CertificateSummary::builder()
                .certificate_arn(format!(
                    "arn:aws:acm:us-east-1:123456789012:certificate/{name}"
                ))
                .domain_name(format!("{name}.example.com"))
                .set_in_use(in_use)
                .build()
        };
        let kept: Vec<Option<String>> = [
            summary("served", Some(true)),
            summary("idle", Some(false)),
            summary("silent", None),
        ]
        .iter()
        .map(in_use_arn)
        .collect();
        assert_eq!(
            kept,
            [
                Some("arn:aws:acm:us-east-1:123456789012:certificate/served".to_string()),
                None,
                Some("arn:aws:acm:us-east-1:123456789012:certificate/silent".to_string()),
            ]
        );
        let cdn = certificate(
            &sdk_certificate("cdn", 200, false, CertificateStatus::Issued)
                .in_use_by("arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE")
                .build(),
        );
        assert!(cdn.used_by_cloudfront());
        let alb =
            certificate(&sdk_certificate("alb", 200, true, CertificateStatus::Issued).build());
        assert!(!alb.used_by_cloudfront());
    }
}
