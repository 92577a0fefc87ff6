//! Our own plain model of what the audit reads from AWS. Inventory readers produce it,
//! snapshots store it, checks consume it: no SDK type is stored here. AWS's states are
//! kept as AWS spells them and compared through the SDK's enums, never hand-typed.

pub mod acm;
pub mod autoscaling;
pub mod backup;
pub mod budgets;
pub mod ce;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod elasticache;
pub mod elb;
pub mod elbv2;
pub mod eventbridge;
pub mod fis;
pub mod guardduty;
pub mod health;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod organizations;
pub mod pipes;
pub mod rds;
pub mod s3;
pub mod scheduler;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod synthetics;
pub mod tagging;

/// Part `n` of an ARN after its `arn:` (`partition:service:region:account:resource`),
/// when it is an ARN and that part is not empty.
fn arn_part(arn: &str, n: usize) -> Option<&str> {
    arn.strip_prefix("arn:")?
        .split(':')
        .nth(n)
        .filter(|part| !part.is_empty())
}

/// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`).
pub fn partition_of(arn: &str) -> Option<&str> {
    arn_part(arn, 0)
}

/// The service of an ARN (`sqs`, `kinesis`).
pub fn service_of(arn: &str) -> Option<&str> {
    arn_part(arn, 1)
}

/// The partition a region belongs to, by the region name prefixes AWS documents for
/// its partitions (China, GovCloud, the isolated regions); `aws` for the rest.
pub fn partition_of_region(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 6] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// The account of an ARN (`arn:partition:service:region:ACCOUNT:resource`); `None` for
/// ARNs without one (S3 buckets) and for what is not an ARN.
pub fn account_of(arn: &str) -> Option<&str> {
    arn_part(arn, 3)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_account_of_an_arn() {
        let account = super::account_of;
        assert_eq!(
            account("arn:aws:cloudtrail:us-east-1:111111111111:trail/org"),
            Some("111111111111")
        );
        assert_eq!(account("arn:aws:s3:::bucket"), None);
        assert_eq!(account("not:an:arn:at:all"), None);
    }

    #[test]
    fn partitions_of_arns_and_regions() {
        assert_eq!(
            super::partition_of("arn:aws-cn:sts::111111111111:assumed-role/r/s"),
            Some("aws-cn")
        );
        assert_eq!(super::partition_of("nope"), None);
        assert_eq!(
            super::service_of("arn:aws-cn:sqs:cn-north-1:111111111111:q"),
            Some("sqs")
        );
        let region = super::partition_of_region;
        assert_eq!(region("cn-north-1"), "aws-cn");
        assert_eq!(region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(region("us-isob-east-1"), "aws-iso-b");
        assert_eq!(region("us-iso-east-1"), "aws-iso");
        assert_eq!(region("eu-west-1"), "aws");
    }
}
