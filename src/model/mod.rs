//! Our own plain model of what the audit reads from AWS. Inventory readers produce it,
//! snapshots store it, checks consume it: no SDK type crosses this line.

pub mod cloudtrail;
pub mod config;
pub mod iam;
pub mod rds;
pub mod s3;
