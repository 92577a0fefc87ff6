//! ACM's pieces, per region: the certificates and each one's details.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::acm::Certificate;

pieces! {
    pub struct AcmRegional {
        certificate_arns: Memo<Vec<String>>,
        certificates: Memo<PerResource<Certificate>>,
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
}
