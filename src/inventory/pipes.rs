//! EventBridge Pipes' pieces, per region: the pipes, and the dead-letter queue of each
//! stream-sourced pipe (read only to tell dead-letter queues apart).

use super::{accessors, pieces, unique, Memo, PerResource};
use crate::model::pipes::Pipe;

pieces! {
    pub struct PipesRegional {
        pipes: Memo<Vec<Pipe>>,
        dead_letters: Memo<PerResource<Option<String>>>,
    }
}

accessors! {
    iam "pipes";
    regional pipes_pipes: Vec<Pipe> = pipes.pipes, "ListPipes",
        |_inventory, aws, region| aws.pipes_pipes(region);
    /// The dead-letter queue (`SourceParameters.*StreamParameters.DeadLetterConfig.Arn`)
    /// of each pipe that reads a Kinesis or DynamoDB stream, keyed by pipe name: ListPipes
    /// does not give it, and no other source has one, so only those pipes are described.
    regional pipes_dead_letters: PerResource<Option<String>> = pipes.dead_letters, "DescribePipe",
        each pipes_pipes(|pipes: &Vec<Pipe>| {
                unique(pipes.iter().filter(|p| p.reads_a_stream()).map(|p| p.name.clone()))
            }) |aws, region, names| aws.pipes_dead_letters(region, names);
}
