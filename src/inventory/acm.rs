//! ACM's pieces: per region, the certificates and each one's details; for the account,
//! the certificates CloudFront uses, which live in us-east-1 whatever regions are audited.

use super::{accessors, pieces, Fetched, Inventory, Memo, PerResource};
use crate::inventory::aws::AwsReader;
use crate::model::acm::Certificate;

/// The region CloudFront takes its ACM certificates from (acm-regions.html).
pub const CLOUDFRONT_REGION: &str = "us-east-1";

pieces! {
    pub struct AcmRegional {
        certificate_arns: Memo<Vec<String>>,
        certificates: Memo<PerResource<Certificate>>,
    }
}

pieces! {
    pub struct AcmGlobal {
        cloudfront_certificates: Memo<PerResource<Certificate>>,
    }
}

accessors! {
    iam "acm";
    /// Every certificate of the region, whatever its key type or status.
    regional acm_certificate_arns: Vec<String> = acm.certificate_arns, "ListCertificates",
        |_inventory, aws, region| aws.acm_certificate_arns(region);
    /// Each certificate's details, keyed by its ARN.
    regional acm_certificates: PerResource<Certificate> = acm.certificates, "DescribeCertificate",
        each acm_certificate_arns(Vec::clone) |aws, region, arns| aws.acm_certificates(region, arns);
    /// The us-east-1 certificates CloudFront uses (InUseBy names a distribution), keyed
    /// by ARN, with those in use whose details could not be read (what uses them is
    /// unknown). Where us-east-1 is audited, taken from its pieces: nothing is read twice.
    global acm_cloudfront_certificates: PerResource<Certificate> = acm.cloudfront_certificates, "ListCertificates" "DescribeCertificate",
        |inventory, aws| inventory.read_cloudfront_certificates(aws);
}

impl Inventory {
    async fn read_cloudfront_certificates(
        &self,
        aws: &AwsReader,
    ) -> Fetched<PerResource<Certificate>> {
        let in_use = if self.regions().iter().any(|r| r == CLOUDFRONT_REGION) {
            // The listing's error is the piece's; the details are then read.
            match self.acm_certificate_arns(CLOUDFRONT_REGION).await {
                Fetched::Error(error) => return Fetched::Error(error.clone()),
                Fetched::Ok(_) => self.acm_certificates(CLOUDFRONT_REGION).await.clone(),
            }
        } else {
            aws.acm_in_use_certificates(CLOUDFRONT_REGION).await
        };
        in_use.map(|certificates| {
            certificates
                .into_iter()
                .filter(|(_, found)| match found {
                    Fetched::Ok(certificate) => certificate.used_by_cloudfront(),
                    Fetched::Error(_) => true,
                })
                .collect()
        })
    }
}
