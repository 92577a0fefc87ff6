//! EventBridge's pieces, per region: the dead-letter queues of rule targets (read only
//! to tell dead-letter queues apart from queues missing one).

use super::{accessors, pieces, Memo};
use crate::model::eventbridge::TargetDeadLetter;

pieces! {
    pub struct EventBridgeRegional {
        target_dead_letters: Memo<Vec<TargetDeadLetter>>,
    }
}

accessors! {
    iam "events";
    regional eventbridge_target_dead_letters: Vec<TargetDeadLetter> = eventbridge.target_dead_letters, "ListEventBuses" "ListRules" "ListTargetsByRule",
        |_inventory, aws, region| aws.eventbridge_target_dead_letters(region);
}
