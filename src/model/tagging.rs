//! Resource tags, as the Resource Groups Tagging API reports them.

use std::collections::BTreeMap;

/// A resource's tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// Every resource of a region that has (or had) tags, by ARN. GetResources lists
/// only resources that are or were tagged: a resource absent here has no tags.
pub type ResourceTags = BTreeMap<String, Tags>;
