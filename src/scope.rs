//! Whether a check, or a piece of inventory, is about the whole account or one region.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Once for the account.
    Global,
    /// Once per audited region.
    Regional,
}
