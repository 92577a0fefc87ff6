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
pub mod elbv2;
pub mod eventbridge;
pub mod fis;
pub mod guardduty;
pub mod health;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod synthetics;
pub mod tagging;
