//! The audited account's organization, read once: `None` when the account belongs to
//! none. Any account of an organization may read it; a refusal leaves it unknown, and
//! the checks that use it judge the account as if it stood alone.

use super::{accessors, pieces, Memo};
use crate::model::organizations::Organization;

pieces! {
    pub struct OrganizationsGlobal {
        organization: Memo<Option<Organization>>,
    }
}

accessors! {
    iam "organizations";
    global organizations_organization: Option<Organization> = organizations.organization, "DescribeOrganization",
        |inventory, aws| aws.organization(inventory.home_region());
}
