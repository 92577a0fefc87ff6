//! The Resource Groups Tagging API's piece, per region: every tagged resource's tags in
//! one paginated read, for users' policies (no built-in check reads tags).

use super::{accessors, pieces, Memo};
use crate::model::tagging::ResourceTags;

pieces! {
    pub struct TaggingRegional {
        resources: Memo<ResourceTags>,
    }
}

accessors! {
    iam "tag";
    /// Every tagged resource's tags, by ARN.
    regional tagging_resources: ResourceTags = tagging.resources, "GetResources",
        |_inventory, aws, region| aws.tagging_resources(region);
}
