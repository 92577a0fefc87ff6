//! ACM's pieces, per region: the certificates and each one's details.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::acm::Certificate;

pieces! {
    pub struct AcmRegional {
        certificate_arns: Memo<Vec<String>>,
        certificates: Memo<PerResource<Certificate>>,
    }
}

accessors! {
    /// Every certificate of the region, whatever its key type or status.
    regional acm_certificate_arns: Vec<String> = acm.certificate_arns, "ListCertificates" needs ["acm:ListCertificates"],
        |_inventory, aws, region| aws.acm_certificate_arns(region);
    /// Each certificate's details, keyed by its ARN.
    regional acm_certificates: PerResource<Certificate> = acm.certificates, "DescribeCertificate" needs ["acm:DescribeCertificate", "acm:ListCertificates"],
        |inventory, aws, region| async move {
            let listing = inventory.acm_certificate_arns(region).await;
            each_of(listing, Vec::clone, |arns| aws.acm_certificates(region, arns)).await
        };
}
