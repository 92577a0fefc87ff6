use aws_sdk_acm::types::{CertificateStatus, RenewalStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A certificate in ACM (DescribeCertificate); its key and body are never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Certificate {
    /// CertificateArn: the certificate's ARN.
    pub arn: String,
    /// DomainName: the fully qualified domain name, e.g. `www.example.com`.
    pub domain: String,
    /// SubjectAlternativeNames: every name the certificate covers, its domain included.
    #[serde(default)]
    pub subject_alternative_names: Vec<String>,
    /// `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `INACTIVE`, `REVOKED`, `FAILED`, ...
    pub status: String,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub kind: String,
    /// KeyAlgorithm: the public key's algorithm, e.g. `RSA_2048` or `EC_prime256v1`.
    #[serde(default)]
    pub key_algorithm: Option<String>,
    /// Issuer: the name of the certificate authority that issued and signed it.
    #[serde(default)]
    pub issuer: Option<String>,
    /// CertificateAuthorityArn: the private CA that issued a `PRIVATE` certificate.
    #[serde(default)]
    pub certificate_authority_arn: Option<String>,
    /// The ARNs of what serves it (load balancers, CloudFront distributions, ...).
    pub in_use_by: Vec<String>,
    /// CreatedAt: when it was requested (ACM-issued and private certificates only).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// ImportedAt: when it was imported (`IMPORTED` certificates only).
    #[serde(default)]
    pub imported_at: Option<DateTime<Utc>>,
    /// NotBefore: when it starts to be valid.
    #[serde(default)]
    pub not_before: Option<DateTime<Utc>>,
    /// NotAfter: when it stops being valid.
    pub not_after: Option<DateTime<Utc>>,
    /// RenewalEligibility: `ELIGIBLE` or `INELIGIBLE` for ACM's managed renewal.
    #[serde(default)]
    pub renewal_eligibility: Option<String>,
    /// The managed renewal's status: `PENDING_AUTO_RENEWAL`, `PENDING_VALIDATION`,
    /// `SUCCESS` or `FAILED`.
    pub renewal_status: Option<String>,
    /// RenewalSummary.RenewalStatusReason: why the managed renewal failed, e.g.
    /// `NO_AVAILABLE_CONTACTS`.
    pub renewal_failure: Option<String>,
    /// The domains ACM's managed renewal is waiting to validate
    /// (`RenewalSummary.DomainValidationOptions` in `PENDING_VALIDATION`).
    #[serde(default)]
    pub renewal_pending_domains: Vec<String>,
}

impl Certificate {
    pub fn renewal_failed(&self) -> bool {
        self.renewal_status.as_deref().map(RenewalStatus::from) == Some(RenewalStatus::Failed)
    }

    /// ACM started renewing (from 60 days before expiry) but cannot validate a domain
    /// on its own: without someone fixing the DNS record or answering the email, the
    /// renewal never completes.
    pub fn renewal_awaits_validation(&self) -> bool {
        self.renewal_status.as_deref().map(RenewalStatus::from)
            == Some(RenewalStatus::PendingValidation)
    }

    /// InUseBy names a CloudFront distribution (`arn:<partition>:cloudfront::<account>:distribution/<id>`).
    pub fn used_by_cloudfront(&self) -> bool {
        self.in_use_by
            .iter()
            .any(|arn| arn.split(':').nth(2) == Some("cloudfront"))
    }

    pub fn is_issued(&self) -> bool {
        CertificateStatus::from(self.status.as_str()) == CertificateStatus::Issued
    }
}
