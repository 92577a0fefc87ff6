//! Lambda's pieces, per region: functions (names only), event source mappings, and
//! the reserved concurrency of functions an SQS queue triggers.

use super::{accessors, each_of, pieces, unique, Inventory, Memo, PerResource};
use crate::model::lambda::{EventSourceMapping, LambdaFunction};

pieces! {
    pub struct LambdaRegional {
        functions: Memo<Vec<LambdaFunction>>,
        event_source_mappings: Memo<Vec<EventSourceMapping>>,
        reserved_concurrency: Memo<PerResource<Option<i32>>>,
    }
}

impl Inventory {
    accessors! {
        regional lambda_functions: Vec<LambdaFunction> = lambda.functions, "ListFunctions",
            |_inventory, aws, region| aws.lambda_functions(region);
        regional lambda_event_source_mappings: Vec<EventSourceMapping> = lambda.event_source_mappings, "ListEventSourceMappings",
            |_inventory, aws, region| aws.lambda_event_source_mappings(region);
        /// Reserved concurrency (`None`: unreserved) of each function an SQS mapping
        /// triggers, keyed by function name.
        regional lambda_reserved_concurrency: PerResource<Option<i32>> = lambda.reserved_concurrency, "GetFunctionConcurrency",
            |inventory, aws, region| async move {
                let triggered = |mappings: &Vec<EventSourceMapping>| {
                    let sqs = mappings.iter().filter(|m| m.is_sqs());
                    unique(sqs.map(|m| m.function_name().to_string()))
                };
                let listing = inventory.lambda_event_source_mappings(region).await;
                each_of(listing, triggered, |names| aws.lambda_reserved_concurrency(region, names)).await
            };
    }
}
