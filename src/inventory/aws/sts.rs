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

/// `orr-<user>`: the session name CloudTrail shows in the audited account, so its owners
/// can tell who read it. Limited to what STS accepts (`[\w+=,.@-]`, 64 characters).
pub fn session_name() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    session_name_for(&user)
}

fn session_name_for(user: &str) -> String {
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c))
        .take(60)
        .collect();
    if user.is_empty() {
        "orr".to_string()
    } else {
        format!("orr-{user}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_name_is_what_sts_accepts() {
        assert_eq!(session_name_for("alice"), "orr-alice");
        assert_eq!(session_name_for("DOMAIN\\bob smith"), "orr-DOMAINbobsmith");
        assert_eq!(session_name_for(""), "orr");
        assert!(session_name_for(&"x".repeat(200)).len() <= 64);
    }
}
