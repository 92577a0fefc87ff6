use super::{fetch_error, AwsReader};
use crate::fetched::FetchError;

pub(crate) struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
}

impl AwsReader {
    pub(crate) async fn caller_identity(&self, region: &str) -> Result<CallerIdentity, FetchError> {
        let client = self.client(region, aws_sdk_sts::Client::new);
        let out = self
            .call(client.get_caller_identity().send())
            .await
            .map_err(|e| fetch_error("sts", "GetCallerIdentity", None, &e))?;
        match (out.account(), out.arn()) {
            (Some(account), Some(arn)) => Ok(CallerIdentity {
                account_id: account.to_string(),
                arn: arn.to_string(),
            }),
            _ => Err(FetchError::new(
                "sts",
                "GetCallerIdentity",
                None,
                "IncompleteResponse",
                "the answer did not name the account",
            )),
        }
    }
}
