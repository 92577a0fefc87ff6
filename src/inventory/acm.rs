//! ACM's pieces, per region: the certificates and each one's details.

use super::{accessors, each_of, pieces, Inventory, Memo, PerResource};
use crate::model::acm::Certificate;

pieces! {
    pub struct AcmRegional {
        certificate_arns: Memo<Vec<String>>,
        certificates: Memo<PerResource<Certificate>>,
    }
}

impl Inventory {
    accessors! {
        /// Every certificate of the region, whatever its key type or status.
        regional acm_certificate_arns: Vec<String> = acm.certificate_arns, "ListCertificates",
            |_inventory, aws, region| aws.acm_certificate_arns(region);
        /// Each certificate's details, keyed by its ARN.
        regional acm_certificates: PerResource<Certificate> = acm.certificates, "DescribeCertificate",
            |inventory, aws, region| async move {
                let listing = inventory.acm_certificate_arns(region).await;
                each_of(listing, Vec::clone, |arns| aws.acm_certificates(region, arns)).await
            };
    }
}
