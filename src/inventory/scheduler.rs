//! EventBridge Scheduler's pieces, per region: the schedules, and the dead-letter queue
//! of each (read only to tell dead-letter queues apart).

use super::{accessors, each_of, pieces, unique, Memo, PerResource};
use crate::model::scheduler::Schedule;

pieces! {
    pub struct SchedulerRegional {
        schedules: Memo<Vec<Schedule>>,
        dead_letters: Memo<PerResource<Option<String>>>,
    }
}

accessors! {
    regional scheduler_schedules: Vec<Schedule> = scheduler.schedules, "ListSchedules" needs ["scheduler:ListSchedules"],
        |_inventory, aws, region| aws.scheduler_schedules(region);
    /// Each schedule's dead-letter queue (`Target.DeadLetterConfig.Arn`), keyed by
    /// `group/name`: ListSchedules does not give it.
    regional scheduler_dead_letters: PerResource<Option<String>> = scheduler.dead_letters, "GetSchedule" needs ["scheduler:GetSchedule", "scheduler:ListSchedules"],
        |inventory, aws, region| async move {
            let keys = |schedules: &Vec<Schedule>| unique(schedules.iter().map(Schedule::key));
            let listing = inventory.scheduler_schedules(region).await;
            each_of(listing, keys, |keys| aws.scheduler_dead_letters(region, keys)).await
        };
}
