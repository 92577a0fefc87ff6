use std::collections::BTreeMap;

use aws_sdk_acm::types::{CertificateDetail, CertificateSummary, Filters, KeyAlgorithm};
use aws_sdk_acm::Client;

use super::{fetch_error, instant, AwsReader};
use crate::inventory::memo::{FetchError, Fetched};
use crate::model::acm::Certificate;

const SERVICE: &str = "acm";

impl AwsReader {
    fn acm(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    /// ListCertificates returns only RSA 1024 and 2048 certificates unless asked for the
    /// other key types: every key algorithm the SDK knows is asked for.
    pub(crate) async fn acm_certificate_arns(&self, region: &str) -> Fetched<Vec<String>> {
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
        self.listed(
            SERVICE,
            "ListCertificates",
            region,
            items,
            |c: &CertificateSummary| c.certificate_arn().unwrap_or_default().to_string(),
        )
        .await
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

fn certificate(detail: &CertificateDetail) -> Certificate {
    let renewal = detail.renewal_summary();
    Certificate {
        arn: detail.certificate_arn().unwrap_or_default().to_string(),
        domain: detail.domain_name().unwrap_or_default().to_string(),
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
        in_use_by: detail.in_use_by().to_vec(),
        not_after: detail.not_after().and_then(instant),
        renewal_status: renewal.map(|r| r.renewal_status().as_str().to_string()),
        renewal_failure: renewal
            .and_then(|r| r.renewal_status_reason())
            .map(|r| r.as_str().to_string()),
    }
}
