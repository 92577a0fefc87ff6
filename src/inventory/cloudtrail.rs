//! CloudTrail's pieces: the trails each region reports (its own and the multi-region
//! trails it shadows), then each trail's status and the selectors of the trails the
//! account owns, asked once per trail.
//! A region whose DescribeTrails fails costs only that region's answer.

use super::{accessors, pieces, FetchError, Fetched, Inventory, Memo, PerResource};
use crate::model::cloudtrail::{EventSelectors, Trail, TrailStatus};

pieces! {
    pub struct CloudTrailGlobal {
        trail_status: Memo<PerResource<TrailStatus>>,
        event_selectors: Memo<PerResource<EventSelectors>>,
    }
}

pieces! {
    pub struct CloudTrailRegional {
        trails: Memo<Vec<Trail>>,
    }
}

/// The trails of every audited region, once each, and the regions that could not say.
pub struct TrailsSeen<'a> {
    pub trails: Vec<&'a Trail>,
    pub unreadable: Vec<(&'a str, &'a FetchError)>,
}

accessors! {
    iam "cloudtrail";
    regional cloudtrail_region_trails: Vec<Trail> = cloudtrail.trails, "DescribeTrails",
        |_inventory, aws, region| aws.cloudtrail_trails(region);
    global cloudtrail_trail_status: PerResource<TrailStatus> = cloudtrail.trail_status, "GetTrailStatus" after [cloudtrail_region_trails],
        |inventory, aws| async move {
            let seen = inventory.cloudtrail_trails().await;
            Fetched::Ok(aws.cloudtrail_trail_status(&seen.trails).await)
        };
    /// Of the trails the account owns: another account's trail (an organization trail,
    /// seen from a member) refuses its selectors to anyone else.
    global cloudtrail_event_selectors: PerResource<EventSelectors> = cloudtrail.event_selectors, "GetEventSelectors" after [cloudtrail_region_trails],
        |inventory, aws| async move {
            let seen = inventory.cloudtrail_trails().await;
            let own: Vec<&Trail> = seen
                .trails
                .into_iter()
                .filter(|t| !t.owned_elsewhere(inventory.account_id()))
                .collect();
            Fetched::Ok(aws.cloudtrail_event_selectors(&own).await)
        };
}

impl Inventory {
    pub async fn cloudtrail_trails(&self) -> TrailsSeen<'_> {
        let mut seen = TrailsSeen {
            trails: Vec::new(),
            unreadable: Vec::new(),
        };
        for region in self.regions() {
            match self.cloudtrail_region_trails(region).await {
                Fetched::Ok(trails) => {
                    for trail in trails {
                        if !seen.trails.iter().any(|t| t.arn == trail.arn) {
                            seen.trails.push(trail);
                        }
                    }
                }
                Fetched::Error(error) => seen.unreadable.push((region.as_str(), error)),
            }
        }
        seen.trails.sort_by(|a, b| a.arn.cmp(&b.arn));
        seen
    }
}
