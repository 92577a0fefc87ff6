use aws_sdk_acm::types::{CertificateStatus, RenewalStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A certificate in ACM (DescribeCertificate); its key and body are never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    /// `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `INACTIVE`, `REVOKED`, `FAILED`, ...
    pub status: String,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub kind: String,
    /// The ARNs of what serves it (load balancers, CloudFront distributions, ...).
    pub in_use_by: Vec<String>,
    pub not_after: Option<DateTime<Utc>>,
    /// The managed renewal's status: `PENDING_AUTO_RENEWAL`, `PENDING_VALIDATION`,
    /// `SUCCESS` or `FAILED`.
    pub renewal_status: Option<String>,
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

    pub fn is_issued(&self) -> bool {
        CertificateStatus::from(self.status.as_str()) == CertificateStatus::Issued
    }
}
