//! EventBridge Scheduler's pieces, per region: the schedules, and the dead-letter queue
//! of each (read only to tell dead-letter queues apart).

use super::{accessors, pieces, unique, Memo, PerResource};
use crate::model::scheduler::Schedule;

pieces! {
    pub struct SchedulerRegional {
        schedules: Memo<Vec<Schedule>>,
        dead_letters: Memo<PerResource<Option<String>>>,
    }
}

accessors! {
    iam "scheduler";
    regional scheduler_schedules: Vec<Schedule> = scheduler.schedules, "ListSchedules",
        |_inventory, aws, region| aws.scheduler_schedules(region);
    /// Each schedule's dead-letter queue (`Target.DeadLetterConfig.Arn`), keyed by
    /// `group/name`: ListSchedules does not give it.
    regional scheduler_dead_letters: PerResource<Option<String>> = scheduler.dead_letters, "GetSchedule",
        each scheduler_schedules(|schedules: &Vec<Schedule>| unique(schedules.iter().map(Schedule::key))) |aws, region, keys| aws.scheduler_dead_letters(region, keys);
}
