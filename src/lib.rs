//! orr: an operational readiness review of an AWS account.
//!
//! Data flows one way: config and flags select checks; the inventory reads the account
//! (or a snapshot) into our own model; checks turn it into findings; the audit value
//! carries findings and verdict to every renderer.

pub mod accounts;
pub mod audit;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod fetched;
pub mod files;
pub mod finding;
pub mod frameworks;
pub mod inventory;
pub mod merge;
pub mod model;
pub mod policy;
pub mod regions;
pub mod registry;
pub mod rego;
pub mod report;
pub mod runner;
pub mod scope;
pub mod settings;
pub mod verdict;
pub mod waivers;
