//! Lambda's pieces, per region: functions (names and dead-letter targets only), event
//! source mappings, the reserved concurrency of functions an SQS queue triggers, and
//! where failed asynchronous invocations go; the region's concurrency pool.

use super::{accessors, pieces, unique, Memo, PerResource};
use crate::model::lambda::{AccountConcurrency, EventSourceMapping, LambdaFunction};

pieces! {
    pub struct LambdaRegional {
        functions: Memo<Vec<LambdaFunction>>,
        event_source_mappings: Memo<Vec<EventSourceMapping>>,
        reserved_concurrency: Memo<PerResource<Option<i32>>>,
        failure_destinations: Memo<PerResource<Vec<String>>>,
        account_concurrency: Memo<AccountConcurrency>,
    }
}

accessors! {
    iam "lambda";
    regional lambda_functions: Vec<LambdaFunction> = lambda.functions, "ListFunctions",
        |_inventory, aws, region| aws.lambda_functions(region);
    regional lambda_event_source_mappings: Vec<EventSourceMapping> = lambda.event_source_mappings, "ListEventSourceMappings",
        |_inventory, aws, region| aws.lambda_event_source_mappings(region);
    regional lambda_account_concurrency: AccountConcurrency = lambda.account_concurrency, "GetAccountSettings",
        |_inventory, aws, region| aws.lambda_account_concurrency(region);
    /// Reserved concurrency (`None`: unreserved) of each function an SQS mapping
    /// triggers, keyed by function name.
    regional lambda_reserved_concurrency: PerResource<Option<i32>> = lambda.reserved_concurrency, "GetFunctionConcurrency",
        each lambda_event_source_mappings(|mappings: &Vec<EventSourceMapping>| {
                let sqs = mappings.iter().filter(|m| m.is_sqs());
                unique(sqs.map(|m| m.function_name().to_string()))
            }) |aws, region, names| aws.lambda_reserved_concurrency(region, names);
    /// Where each function's failed asynchronous invocations go (its event invoke
    /// configs' `OnFailure` destinations), keyed by function name.
    regional lambda_failure_destinations: PerResource<Vec<String>> = lambda.failure_destinations, "ListFunctionEventInvokeConfigs",
        each lambda_functions(|functions: &Vec<LambdaFunction>| unique(functions.iter().map(|f| f.name.clone()))) |aws, region, names| aws.lambda_failure_destinations(region, names);
}
