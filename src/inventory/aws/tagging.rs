use aws_sdk_resourcegroupstagging::types::ResourceTagMapping;
use aws_sdk_resourcegroupstagging::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::tagging::{ResourceTags, Tags};

const SERVICE: &str = "tagging";

impl AwsReader {
    /// One paginated GetResources without filters: all the region's tagged resources.
    pub(crate) async fn tagging_resources(&self, region: &str) -> Fetched<ResourceTags> {
        let client = self.client(region, Client::new);
        let pages = client.get_resources().into_paginator().send();
        self.listed(SERVICE, "GetResources", region, pages, |page| {
            page.resource_tag_mapping_list()
                .iter()
                .filter_map(tagged)
                .collect::<Vec<_>>()
        })
        .await
        .map(|pages| pages.into_iter().flatten().collect())
    }
}

/// A mapping without an ARN names nothing a policy could match, so it is left out.
fn tagged(mapping: &ResourceTagMapping) -> Option<(String, Tags)> {
    let tags = mapping
        .tags()
        .iter()
        .map(|tag| (tag.key().to_string(), tag.value().to_string()))
        .collect();
    Some((mapping.resource_arn()?.to_string(), tags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_resourcegroupstagging::types::Tag;

    #[test]
    fn sdk_mappings_become_tags_by_arn() {
        let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build().unwrap();
        let arn = "arn:aws:rds:us-east-1:123456789012:db:orders";
        let mapping = ResourceTagMapping::builder()
            .resource_arn(arn)
            .tags(tag("owner", "payments"))
            .tags(tag("tier", "prod"))
            .build();
        let (got_arn, tags) = tagged(&mapping).unwrap();
        assert_eq!(got_arn, arn);
        assert_eq!(tags["owner"], "payments");
        assert_eq!(tags["tier"], "prod");
        assert!(tagged(&ResourceTagMapping::builder().build()).is_none());
    }
}
