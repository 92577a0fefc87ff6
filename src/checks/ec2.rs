use aws_sdk_ec2::types::{PermissionGroup, State, VpcEndpointType};
use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::{arn, listed, lookup, or_not_applicable, organizations, CheckCtx};
use crate::finding::{Observation, Resource, Status};
use crate::inventory::{FetchError, Fetched};
use crate::model::ec2::{
    blocks_all_sharing, is_world, launched_version, FlowLog, FlowLogRecording,
    InstanceMetadataDefaults, LaunchTemplateVersion, PublicSnapshots, RouteTable, SecurityGroup,
    Snapshot, Subnet, Vpc,
};

const SECURITY_GROUP: &str = "AWS::EC2::SecurityGroup";
const VPC: &str = "AWS::EC2::VPC";

/// The service usually listening on each port of the default list: FSBP EC2.19's
/// high-risk ports and the database and cache ports orr listed before it. A finding names
/// it beside the port, so a reviewer sees what is exposed without looking it up.
const PORT_SERVICES: &[(u16, &str)] = &[
    (20, "FTP data"),
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (25, "SMTP"),
    (110, "POP3"),
    (135, "Microsoft RPC"),
    (143, "IMAP"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1434, "SQL Server Browser"),
    (1521, "Oracle"),
    (3000, "web development servers"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (4333, "mSQL"),
    (5000, "web development servers"),
    (5432, "PostgreSQL"),
    (5500, "VNC"),
    (5601, "Kibana"),
    (6379, "Redis"),
    (8080, "HTTP alternate"),
    (8088, "Hadoop YARN"),
    (8888, "HTTP alternate"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// `23 (Telnet)`; a port the user added without a known service, the number alone.
fn port_and_service(port: u16) -> String {
    match PORT_SERVICES.iter().find(|(known, _)| *known == port) {
        Some((_, service)) => format!("{port} ({service})"),
        None => port.to_string(),
    }
}

/// Every way `group` lets the whole internet reach a listed port (or every port), and
/// the first prefix list whose entries that needed could not be read. A rule's prefix
/// list counts as the world when it holds 0.0.0.0/0 or ::/0.
fn world_openings(
    group: &SecurityGroup,
    ports: &[u16],
    prefix_lists: &dyn Fn(&str) -> Result<Vec<String>, FetchError>,
) -> (Vec<String>, Option<FetchError>) {
    let mut openings = Vec::new();
    let mut unknown = None;
    for rule in &group.ingress {
        let all_ports = rule.protocol == "-1"
            || (rule.from_port, rule.to_port) == (Some(0), Some(65535))
            || (rule.from_port, rule.to_port) == (Some(-1), Some(-1));
        let reached: Vec<String> = ports
            .iter()
            .filter(|port| rule.covers_port(**port))
            .map(|port| port_and_service(*port))
            .collect();
        let target = if all_ports && rule.covers_port(0) {
            match rule.protocol.as_str() {
                "-1" => "all traffic".to_string(),
                protocol => format!("{protocol} on all ports"),
            }
        } else if !reached.is_empty() {
            format!("{} {}", rule.protocol, reached.join(", "))
        } else {
            continue;
        };
        let mut sources: Vec<String> = rule.open_to_world().iter().map(|r| r.to_string()).collect();
        for list in &rule.prefix_lists {
            match prefix_lists(list) {
                Ok(entries) if entries.iter().any(|cidr| is_world(cidr)) => {
                    sources.push(format!(
                        "{list} (holds {})",
                        entries
                            .iter()
                            .filter(|c| is_world(c))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Ok(_) => {}
                Err(error) => {
                    unknown.get_or_insert(error);
                }
            }
        }
        for source in sources {
            openings.push(format!("{source} to {target}"));
        }
    }
    (openings, unknown)
}

pub async fn no_open_admin_ports(ctx: CheckCtx) -> Vec<Observation> {
    let groups = match listed(&ctx, ctx.inventory.ec2_security_groups(ctx.region()).await) {
        Ok(groups) => groups,
        Err(errors) => return errors,
    };
    let ports = &ctx.rules.thresholds.ec2.admin_ports;
    // Prefix lists are read only when some rule names one.
    let entries = if groups
        .iter()
        .flat_map(|g| &g.ingress)
        .any(|r| !r.prefix_lists.is_empty())
    {
        Some(ctx.inventory.ec2_prefix_list_entries(ctx.region()).await)
    } else {
        None
    };
    let prefix_lists = |id: &str| match entries {
        Some(entries) => lookup(entries, id).cloned(),
        None => Ok(Vec::new()),
    };
    let observations = groups
        .iter()
        .map(|group| {
            let resource = Resource::new(
                SECURITY_GROUP,
                super::arn(&ctx, "ec2", &format!("security-group/{}", group.id)),
            );
            let (openings, unknown) = world_openings(group, ports, &prefix_lists);
            if let (true, Some(error)) = (openings.is_empty(), unknown) {
                return Observation::unverified(&resource, &error);
            }
            let message = if openings.is_empty() {
                format!("security group {} ({}) opens no listed port to the internet", group.id, group.name)
            } else {
                format!("security group {} ({}) allows {}", group.id, group.name, openings.join("; "))
            };
            Observation::judge(
                openings.is_empty(),
                &resource,
                message,
                json!({ "group": group.id, "name": group.name, "vpc": group.vpc_id, "open_to_internet": openings }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no security groups in {}", ctx.region())
    })
}

pub async fn ebs_default_encryption(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let on = match listed(
        &ctx,
        ctx.inventory.ec2_ebs_encryption_by_default(region).await,
    ) {
        Ok(on) => *on,
        Err(errors) => return errors,
    };
    vec![Observation::judge(
        on,
        &ctx.account(),
        if on {
            format!("EBS encryption by default is on in {region}")
        } else {
            format!("EBS encryption by default is off in {region}: new volumes may be unencrypted")
        },
        json!({ "ebs_encryption_by_default": on }),
    )]
}

/// For each VPC with private route tables (serving subnets, no internet-gateway route),
/// S3 and DynamoDB gateway endpoints must serve every one of them.
pub async fn gateway_endpoints(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let (tables, subnets, endpoints) = match (
        listed(&ctx, ctx.inventory.ec2_route_tables(region).await),
        listed(&ctx, ctx.inventory.ec2_subnets(region).await),
        listed(&ctx, ctx.inventory.ec2_vpc_endpoints(region).await),
    ) {
        (Ok(tables), Ok(subnets), Ok(endpoints)) => (tables, subnets, endpoints),
        (Err(errors), _, _) | (_, Err(errors), _) | (_, _, Err(errors)) => return errors,
    };
    let mut private: BTreeMap<&str, Vec<&RouteTable>> = BTreeMap::new();
    // A main table serves only the subnets with no table of their own.
    for table in tables.iter().filter(|t| {
        !t.internet_gateway_route
            && (!t.subnet_ids.is_empty()
                || (t.main && !implicit_subnets(t, tables, subnets).is_empty()))
    }) {
        private
            .entry(table.vpc_id.as_str())
            .or_default()
            .push(table);
    }
    let observations = private
        .into_iter()
        .map(|(vpc, private_tables)| {
            let resource = Resource::new(VPC, super::arn(&ctx, "ec2", &format!("vpc/{vpc}")));
            let mut missing = Vec::new();
            let mut served = BTreeMap::new();
            for service in ["s3", "dynamodb"] {
                let name = format!("com.amazonaws.{region}.{service}");
                let gateways: Vec<_> = endpoints
                    .iter()
                    .filter(|e| {
                        e.vpc_id == vpc
                            && e.service_name == name
                            && VpcEndpointType::from(e.endpoint_type.as_str())
                                == VpcEndpointType::Gateway
                    })
                    .filter(|e| {
                        // The API reference spells these `Deleted`, ...; EC2 answers
                        // `deleted`: compared without case.
                        !e.state.as_deref().is_some_and(|state| {
                            [
                                State::Deleted,
                                State::Deleting,
                                State::Failed,
                                State::Rejected,
                            ]
                            .iter()
                            .any(|gone| state.eq_ignore_ascii_case(gone.as_str()))
                        })
                    })
                    .collect();
                let unserved: Vec<&str> = private_tables
                    .iter()
                    .filter(|t| !gateways.iter().any(|e| e.route_table_ids.contains(&t.id)))
                    .map(|t| t.id.as_str())
                    .collect();
                served.insert(
                    service,
                    gateways.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
                );
                if !unserved.is_empty() {
                    missing.push(format!("{service} (route tables {})", unserved.join(", ")));
                }
            }
            let table_ids: Vec<&str> = private_tables.iter().map(|t| t.id.as_str()).collect();
            let main_serves = private_tables
                .iter()
                .find(|t| t.main)
                .map(|main| implicit_subnets(main, tables, subnets));
            let message = if missing.is_empty() {
                format!(
                    "VPC {vpc}: S3 and DynamoDB gateway endpoints serve every private route table"
                )
            } else {
                format!(
                    "VPC {vpc} has no gateway endpoint for {}",
                    missing.join(" and ")
                )
            };
            Observation::judge(
                missing.is_empty(),
                &resource,
                message,
                json!({ "private_route_tables": table_ids, "main_table_serves": main_serves, "gateway_endpoints": served }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no VPC in {region} has private route tables")
    })
}

/// The subnets of `main`'s VPC that no table is explicitly associated with: the ones
/// the VPC's main route table serves.
fn implicit_subnets<'a>(
    main: &RouteTable,
    tables: &[RouteTable],
    subnets: &'a [Subnet],
) -> Vec<&'a str> {
    let explicit: BTreeSet<&str> = tables
        .iter()
        .flat_map(|t| &t.subnet_ids)
        .map(String::as_str)
        .collect();
    subnets
        .iter()
        .filter(|s| s.vpc_id == main.vpc_id && !explicit.contains(s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect()
}

const INSTANCE: &str = "AWS::EC2::Instance";
const SNAPSHOT: &str = "AWS::EC2::Snapshot";
const IMAGE: &str = "AWS::EC2::Image";
const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";
const AUTO_SCALING_GROUP: &str = "AWS::AutoScaling::AutoScalingGroup";

/// An IMDSv1 answer needs no session token, so an SSRF flaw in the application can read
/// the instance role's credentials; `HttpTokens = required` closes that. A stopped
/// instance keeps its metadata options and answers IMDSv1 again when started, so every
/// instance but those shutting down or terminated is judged.
pub async fn imdsv2_required(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let instances = match listed(&ctx, ctx.inventory.ec2_instances(region).await) {
        Ok(instances) => instances,
        Err(errors) => return errors,
    };
    let observations = instances
        .iter()
        .filter(|i| i.is_kept())
        .map(|instance| {
            let resource = Resource::new(INSTANCE, arn(&ctx, "ec2", &format!("instance/{}", instance.id)));
            let evidence = json!({ "state": instance.state, "http_tokens": instance.http_tokens, "http_endpoint": instance.http_endpoint });
            let named = format!("{} instance {}", instance.state, instance.id);
            if instance.metadata_disabled() {
                Observation::pass(&resource, format!("{named}: the metadata service is off"), evidence)
            } else if instance.requires_imdsv2() {
                Observation::pass(&resource, format!("{named} requires IMDSv2 session tokens"), evidence)
            } else if instance.http_tokens.is_none() {
                Observation::cannot_judge(&resource, format!("DescribeInstances gave no MetadataOptions.HttpTokens for {named}"), evidence)
            } else {
                let when = if instance.is_running() { "" } else { " when started" };
                Observation::fail(&resource, format!("{named} answers IMDSv1{when} (HttpTokens {})", instance.http_tokens.as_deref().unwrap_or_default()), evidence)
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no EC2 instance in {region} but shutting-down or terminated ones")
    })
}

/// Where a new instance's launch parameters set no HttpTokens, the region's account
/// default decides (then the AMI's ImdsSupport, else `optional`): the remediation of
/// `ec2.imdsv2_required` sets it so that new instances start with IMDSv2 only.
pub async fn imdsv2_account_default(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let defaults = match listed(
        &ctx,
        ctx.inventory.ec2_instance_metadata_defaults(region).await,
    ) {
        Ok(defaults) => defaults,
        Err(errors) => return errors,
    };
    let evidence = json!(defaults);
    let resource = ctx.account();
    let observation = if defaults.requires_imdsv2() {
        let enforced = if defaults.enforces_imdsv2() {
            ", and refuses launches that do not"
        } else {
            ""
        };
        Observation::pass(
            &resource,
            format!("the account default in {region} requires IMDSv2 for new instances{enforced}"),
            evidence,
        )
    } else if defaults.metadata_disabled() {
        Observation::pass(
            &resource,
            format!(
                "the account default in {region} turns the metadata service off for new instances"
            ),
            evidence,
        )
    } else {
        let seen = defaults.http_tokens_in_words();
        Observation::fail(&resource, format!("the account default in {region} does not require IMDSv2 ({seen}): a new instance that sets nothing answers IMDSv1 unless its AMI requires IMDSv2"), evidence)
    };
    vec![observation]
}

/// The launch template versions Auto Scaling groups launch from decide what their next
/// instances answer. A version that sets no HttpTokens gets the region's account
/// default (AWS's order of precedence: launch template, account default, AMI); an AMI
/// that requires IMDSv2 is not read, so such a version passes only on the account default.
/// One finding per template, judging every version a group launches from it.
pub async fn launch_template_imdsv2(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let groups = match listed(&ctx, ctx.inventory.autoscaling_groups(region).await) {
        Ok(groups) => groups,
        Err(errors) => return errors,
    };
    // Launch configurations' metadata options are not read: said, not skipped.
    let mut observations: Vec<Observation> = groups
        .iter()
        .filter_map(|group| {
            let configuration = group.launch_configuration_name.as_deref()?;
            Some(Observation::not_applicable(
                &Resource::new(AUTO_SCALING_GROUP, group.arn.as_str()),
                format!("group {} launches from launch configuration {configuration}, whose metadata options orr does not read (FSBP AutoScaling.3)", group.name),
            ))
        })
        .collect();
    // template key -> version spec -> the groups launching it
    let mut launched: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for group in groups {
        for template in group.launch_templates() {
            if let Some(key) = template.key() {
                launched
                    .entry(key)
                    .or_default()
                    .entry(template.version_or_default())
                    .or_default()
                    .push(group.name.as_str());
            }
        }
    }
    if launched.is_empty() {
        return or_not_applicable(&ctx, observations, || {
            format!("no Auto Scaling group in {region} launches from a launch template")
        });
    }
    let versions = ctx.inventory.ec2_launch_template_versions(region).await;
    let defaults = ctx.inventory.ec2_instance_metadata_defaults(region).await;
    observations.extend(launched.into_iter().map(|(key, specs)| {
        let versions = match lookup(versions, key) {
            Ok(versions) => versions,
            Err(error) => return Observation::unverified(&Resource::new(LAUNCH_TEMPLATE, key), &error),
        };
        let judged: Vec<(Status, String, serde_json::Value)> = specs
            .iter()
            .map(|(spec, groups)| match launched_version(versions, spec) {
                Some(version) => judge_template_version(version, spec, groups, region, defaults),
                None => (Status::Error, format!("version {spec} (launched by {}) is not in the DescribeLaunchTemplateVersions answer", groups.join(", ")), json!({ "version": spec, "groups": groups })),
            })
            .collect();
        let (id, name) = versions
            .first()
            .map_or((key, key), |v| (v.template_id.as_str(), v.template_name.as_str()));
        let resource = Resource::new(LAUNCH_TEMPLATE, arn(&ctx, "ec2", &format!("launch-template/{id}")));
        let message = format!(
            "launch template {name} ({id}): {}",
            judged.iter().map(|(_, text, _)| text.as_str()).collect::<Vec<_>>().join("; ")
        );
        let evidence = json!({ "versions": judged.iter().map(|(_, _, evidence)| evidence).collect::<Vec<_>>() });
        let statuses: BTreeSet<Status> = judged.iter().map(|(status, _, _)| *status).collect();
        if statuses.contains(&Status::Fail) {
            Observation::fail(&resource, message, evidence)
        } else if statuses.contains(&Status::Error) {
            Observation::cannot_judge(&resource, message, evidence)
        } else {
            Observation::pass(&resource, message, evidence)
        }
    }));
    observations
}

/// One launch template version a group launches (`spec` as the groups name it): PASS,
/// FAIL or ERROR, in words, with its evidence. A version that sets no HttpTokens gets
/// the account default.
fn judge_template_version(
    version: &LaunchTemplateVersion,
    spec: &str,
    groups: &[&str],
    region: &str,
    defaults: &Fetched<InstanceMetadataDefaults>,
) -> (Status, String, serde_json::Value) {
    let number = version.version.map_or("?".to_string(), |n| n.to_string());
    let by = format!("launched by {}", groups.join(", "));
    // A group naming the version by number needs no second mention of it.
    let named = if spec == number {
        format!("version {number} ({by})")
    } else {
        format!("version {number} ({spec}, {by})")
    };
    let mut evidence = json!({ "version": number, "spec": spec, "groups": groups, "http_tokens": version.http_tokens, "http_endpoint": version.http_endpoint });
    if version.metadata_disabled() {
        return (
            Status::Pass,
            format!("{named} turns the metadata service off"),
            evidence,
        );
    }
    if version.requires_imdsv2() {
        return (
            Status::Pass,
            format!("{named} requires IMDSv2 (HttpTokens required)"),
            evidence,
        );
    }
    if let Some(tokens) = &version.http_tokens {
        return (
            Status::Fail,
            format!("{named} lets its instances answer IMDSv1 (HttpTokens {tokens})"),
            evidence,
        );
    }
    let defaults = match defaults.as_result() {
        Ok(defaults) => defaults,
        Err(error) => {
            evidence["fetch_error"] = json!(error);
            return (Status::Error, format!("{named} sets no HttpTokens and the account default could not be read ({error})"), evidence);
        }
    };
    evidence["account_default"] = json!(defaults);
    if defaults.requires_imdsv2() {
        (
            Status::Pass,
            format!(
                "{named} sets no HttpTokens and the account default in {region} requires IMDSv2"
            ),
            evidence,
        )
    } else {
        let seen = defaults.http_tokens_in_words();
        (Status::Fail, format!("{named} sets no HttpTokens and the account default in {region} does not require IMDSv2 ({seen}): its instances answer IMDSv1 unless the AMI requires IMDSv2"), evidence)
    }
}

/// Without a flow log there is no record of who talked to what in the VPC (incident
/// response, GuardDuty aside). FSBP EC2.6 and CIS ask for rejected traffic at least, so
/// a flow log of accepted traffic only, or one whose delivery fails, does not count.
/// A VPC shared in with RAM is judged in its owner's account, whose flow logs they are;
/// a default VPC nothing runs in (no network interface) is not judged, as Prowler does.
pub async fn vpc_flow_logs(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let vpcs = match listed(&ctx, ctx.inventory.ec2_vpcs(region).await) {
        Ok(vpcs) => vpcs,
        Err(errors) => return errors,
    };
    if vpcs.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("no VPC in {region}"),
        )];
    }
    let logs = match listed(&ctx, ctx.inventory.ec2_flow_logs(region).await) {
        Ok(logs) => logs,
        Err(errors) => return errors,
    };
    let account = ctx.inventory.account_id();
    let recording = |vpc: &Vpc| -> Vec<(&FlowLog, FlowLogRecording)> {
        logs.iter()
            .filter(|l| l.resource_id == vpc.id)
            .map(|l| (l, l.recording()))
            .collect()
    };
    // Network interfaces are read only for a default VPC of the account's own that
    // would otherwise fail.
    let interfaces = if vpcs
        .iter()
        .any(|v| v.is_own_default(account) && recording_rejected(&recording(v)).is_empty())
    {
        Some(ctx.inventory.ec2_default_vpc_interfaces(region).await)
    } else {
        None
    };
    vpcs.iter()
        .map(|vpc| {
            let owner = vpc.owner(account);
            let resource = Resource::new(VPC, super::arn_of(&ctx, owner, "ec2", &format!("vpc/{}", vpc.id)));
            let found = recording(vpc);
            let mine: Vec<&FlowLog> = found.iter().map(|(l, _)| *l).collect();
            let evidence = json!({ "default_vpc": vpc.is_default, "owner": owner, "flow_logs": mine });
            if owner != account {
                return organizations::judged_elsewhere(
                    &ctx,
                    &resource,
                    owner,
                    &format!("VPC {} (shared with this account; its flow logs are the owner's)", vpc.id),
                    evidence,
                );
            }
            let passing = recording_rejected(&found);
            if !passing.is_empty() {
                return Observation::pass(
                    &resource,
                    format!("VPC {} has an active flow log of rejected traffic ({})", vpc.id, passing.join(", ")),
                    evidence,
                );
            }
            if vpc.is_default {
                match interfaces.as_ref().map(|piece| lookup(piece, &vpc.id)) {
                    Some(Err(error)) => return Observation::unverified(&resource, &error),
                    Some(Ok(interfaces)) if interfaces.is_empty() => {
                        return Observation::not_applicable(
                            &resource,
                            format!("default VPC {} is not in use (no network interface in it): flow logs are judged on VPCs in use", vpc.id),
                        )
                    }
                    _ => {}
                }
            }
            let unknown: Vec<&str> = found
                .iter()
                .filter_map(|(_, r)| match r {
                    FlowLogRecording::Unknown(why) => Some(why.as_str()),
                    _ => None,
                })
                .collect();
            let not_recording: Vec<&str> = found
                .iter()
                .filter_map(|(_, r)| match r {
                    FlowLogRecording::No(why) => Some(why.as_str()),
                    _ => None,
                })
                .collect();
            if !unknown.is_empty() {
                Observation::cannot_judge(
                    &resource,
                    format!("VPC {}: {}", vpc.id, unknown.join("; ")),
                    evidence,
                )
            } else if not_recording.is_empty() {
                Observation::fail(&resource, format!("VPC {} has no flow log", vpc.id), evidence)
            } else {
                Observation::fail(
                    &resource,
                    format!("VPC {} has no flow log recording rejected traffic: {}", vpc.id, not_recording.join("; ")),
                    evidence,
                )
            }
        })
        .collect()
}

/// The flow logs among `found` that record rejected traffic.
fn recording_rejected<'a>(found: &[(&'a FlowLog, FlowLogRecording)]) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(_, r)| *r == FlowLogRecording::Rejected)
        .map(|(l, _)| l.id.as_str())
        .collect()
}

/// Where a swept finding is: the region, said in the message when the run does not
/// audit it, so a reviewer who asked for one region sees why another is named.
pub(crate) fn elsewhere(ctx: &CheckCtx, region: &str) -> String {
    if ctx.inventory.audits(region) {
        String::new()
    } else {
        format!(" (in {region}, which this run does not audit)")
    }
}

/// The PASS for the enabled regions where nothing of `what` is public, with their names
/// in the evidence.
pub(crate) fn none_public_in(ctx: &CheckCtx, what: &str, clean: &[&str]) -> Option<Observation> {
    (!clean.is_empty()).then(|| {
        Observation::pass(
            &ctx.account(),
            format!(
                "no {what} is public in the {} enabled region(s) read",
                clean.len()
            ),
            json!({ "regions": clean }),
        )
    })
}

/// An EBS snapshot's or AMI's ARN in `region` (their ARNs name no account).
fn ec2_arn(ctx: &CheckCtx, region: &str, resource: &str) -> String {
    format!("arn:{}:ec2:{region}::{resource}", ctx.inventory.partition())
}

/// Anyone in any account can create a volume from a public snapshot and read its data.
/// Every enabled region is read: a public snapshot in a region nobody audits is exposed
/// all the same.
pub async fn no_public_snapshots(ctx: CheckCtx) -> Vec<Observation> {
    let swept = match listed(&ctx, ctx.inventory.ec2_public_snapshots_everywhere().await) {
        Ok(swept) => swept,
        Err(errors) => return errors,
    };
    let mut observations = Vec::new();
    let mut clean = Vec::new();
    for (region, found) in swept {
        match found {
            Fetched::Error(error) => {
                observations.push(Observation::unverified(&ctx.account(), error).in_region(region))
            }
            Fetched::Ok(found) if found.snapshots.is_empty() => clean.push(region.as_str()),
            Fetched::Ok(found) => observations.extend(
                found
                    .snapshots
                    .iter()
                    .map(|snapshot| public_snapshot(&ctx, region, snapshot, found)),
            ),
        }
    }
    observations.extend(none_public_in(&ctx, "EBS snapshot of the account", &clean));
    or_not_applicable(&ctx, observations, || {
        "no enabled region was listed".to_string()
    })
}

/// The FAIL for a snapshot shared with `all`, saying what block public access does for it.
fn public_snapshot(
    ctx: &CheckCtx,
    region: &str,
    snapshot: &Snapshot,
    found: &PublicSnapshots,
) -> Observation {
    let resource = Resource::new(
        SNAPSHOT,
        ec2_arn(ctx, region, &format!("snapshot/{}", snapshot.id)),
    );
    let state = found
        .block_public_access
        .as_ref()
        .map(|b| b.as_result().map(Option::as_deref));
    let evidence = json!({
        "restorable_by": PermissionGroup::All.as_str(),
        "encrypted": snapshot.encrypted,
        "snapshot_block_public_access": state.map(|s| s.map_err(|e| e.to_string())),
    });
    let at = elsewhere(ctx, region);
    // Under block-all-sharing AWS treats it as private, but the grant stays: turning
    // the block off or to block-new-sharing makes it public again. Still a FAIL, as
    // Prowler's ec2_ebs_public_snapshot.
    let message = match state {
        Some(Ok(Some(state))) if blocks_all_sharing(state) => format!(
            "snapshot {}{at} is shared with all AWS accounts; block public access ({state}) keeps it private only while that setting stays in {region}",
            snapshot.id
        ),
        Some(Ok(Some(state))) => format!(
            "snapshot {}{at} is public (block public access {state}): any AWS account can create a volume from it",
            snapshot.id
        ),
        // A failed read (its error in the evidence), or no state in the answer:
        // unknown either way.
        Some(Err(_)) | Some(Ok(None)) | None => format!(
            "snapshot {}{at} is shared with all AWS accounts; whether block public access keeps it private is unknown",
            snapshot.id
        ),
    };
    Observation::fail(&resource, message, evidence).in_region(region)
}

/// Anyone can launch a public AMI and read what was baked into it. Every enabled region
/// is read, as for snapshots.
pub async fn no_public_amis(ctx: CheckCtx) -> Vec<Observation> {
    let swept = match listed(&ctx, ctx.inventory.ec2_images_everywhere().await) {
        Ok(swept) => swept,
        Err(errors) => return errors,
    };
    let mut observations = Vec::new();
    for (region, images) in swept {
        let images = match images {
            Fetched::Ok(images) => images,
            Fetched::Error(error) => {
                observations.push(Observation::unverified(&ctx.account(), error).in_region(region));
                continue;
            }
        };
        let at = elsewhere(&ctx, region);
        observations.extend(images.iter().map(|image| {
            let resource =
                Resource::new(IMAGE, ec2_arn(&ctx, region, &format!("image/{}", image.id)));
            let name = image.name.as_deref().unwrap_or("(no name)");
            let message = if image.public {
                format!(
                    "AMI {} ({name}){at} is public: any AWS account can launch it",
                    image.id
                )
            } else {
                format!("AMI {} ({name}){at} is private", image.id)
            };
            Observation::judge(
                !image.public,
                &resource,
                message,
                json!({ "public": image.public }),
            )
            .in_region(region)
        }));
    }
    or_not_applicable(&ctx, observations, || {
        "the account owns no AMI in any enabled region".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo, PerResource};
    use crate::model::ec2::{IngressRule, VpcEndpoint};
    use aws_sdk_ec2::types::SnapshotBlockPublicAccessState;

    fn rule(protocol: &str, ports: (i32, i32), v4: &[&str], v6: &[&str]) -> IngressRule {
        IngressRule {
            protocol: protocol.into(),
            from_port: Some(ports.0),
            to_port: Some(ports.1),
            ipv4_ranges: v4.iter().map(|s| s.to_string()).collect(),
            ipv6_ranges: v6.iter().map(|s| s.to_string()).collect(),
            prefix_lists: vec![],
            source_groups: vec![],
        }
    }

    fn group(id: &str, ingress: Vec<IngressRule>) -> SecurityGroup {
        SecurityGroup {
            id: id.into(),
            name: format!("{id}-name"),
            vpc_id: Some("vpc-1".into()),
            ingress,
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn admin_ports_open_to_the_world_fail_with_group_rule_and_port() {
        let mut data = data();
        let via = |list: &str| {
            let mut through = rule("tcp", (22, 22), &[], &[]);
            through.prefix_lists = vec![list.into()];
            through
        };
        data.region_mut(REGION).ec2.prefix_list_entries = Memo::ready(Fetched::Ok(
            [
                ("pl-office", Fetched::Ok(vec!["203.0.113.0/24".to_string()])),
                ("pl-everyone", Fetched::Ok(vec!["0.0.0.0/0".to_string()])),
                ("pl-denied", err("ec2", "GetManagedPrefixListEntries")),
            ]
            .into_iter()
            .map(|(id, entries)| (id.to_string(), entries))
            .collect(),
        ));
        data.region_mut(REGION).ec2.security_groups = Memo::ready(Fetched::Ok(vec![
            group(
                "sg-web",
                vec![rule("tcp", (443, 443), &["0.0.0.0/0"], &["::/0"])],
            ),
            group(
                "sg-db",
                vec![rule("tcp", (5000, 6000), &["0.0.0.0/0"], &[])],
            ),
            group("sg-all", vec![rule("-1", (-1, -1), &[], &["::/0"])]),
            group(
                "sg-ssh-private",
                vec![rule("tcp", (22, 22), &["10.0.0.0/8"], &[])],
            ),
            group("sg-prefix", vec![via("pl-office")]),
            group("sg-prefix-world", vec![via("pl-everyone")]),
            group("sg-prefix-unknown", vec![via("pl-denied")]),
            group("sg-icmp", vec![rule("icmp", (-1, -1), &["0.0.0.0/0"], &[])]),
        ]));
        let found = run(data, true, no_open_admin_ports).await;
        assert_eq!(status_of(&found, "/sg-web"), Status::Pass);
        assert_eq!(status_of(&found, "/sg-db"), Status::Fail);
        let db = found
            .iter()
            .find(|o| o.resource_id.ends_with("/sg-db"))
            .unwrap();
        assert_eq!(
            db.message,
            "security group sg-db (sg-db-name) allows 0.0.0.0/0 to tcp 5000 (web development servers), 5432 (PostgreSQL), 5500 (VNC), 5601 (Kibana)"
        );
        assert_eq!(status_of(&found, "/sg-all"), Status::Fail);
        assert!(found
            .iter()
            .any(|o| o.message.contains("::/0 to all traffic")));
        assert_eq!(status_of(&found, "/sg-ssh-private"), Status::Pass);
        assert_eq!(status_of(&found, "/sg-prefix"), Status::Pass);
        assert_eq!(
            status_of(&found, "/sg-prefix-world"),
            Status::Fail,
            "a prefix list holding 0.0.0.0/0 is the internet"
        );
        assert_eq!(status_of(&found, "/sg-prefix-unknown"), Status::Error);
        assert_eq!(status_of(&found, "/sg-icmp"), Status::Pass);
    }

    /// FSBP EC2.19's high-risk TCP ports, as Security Hub lists them.
    const EC2_19: [u16; 24] = [
        20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432,
        5500, 5601, 8080, 8088, 8888, 9200, 9300,
    ];

    #[test]
    fn the_default_ports_cover_ec2_19_and_each_has_a_service_name() {
        let default = crate::config::Thresholds::default().ec2.admin_ports;
        let missing: Vec<_> = EC2_19.iter().filter(|p| !default.contains(p)).collect();
        assert!(
            missing.is_empty(),
            "EC2.19 ports not in the default: {missing:?}"
        );
        let unnamed: Vec<_> = default
            .iter()
            .filter(|p| !PORT_SERVICES.iter().any(|(known, _)| known == *p))
            .collect();
        assert!(
            unnamed.is_empty(),
            "default ports without a service name: {unnamed:?}"
        );
    }

    #[tokio::test]
    async fn telnet_and_smb_open_to_the_world_fail_naming_the_service() {
        let mut data = data();
        data.region_mut(REGION).ec2.security_groups = Memo::ready(Fetched::Ok(vec![
            group(
                "sg-telnet",
                vec![rule("tcp", (23, 23), &["0.0.0.0/0"], &[])],
            ),
            group("sg-smb", vec![rule("tcp", (445, 445), &[], &["::/0"])]),
            group(
                "sg-smb-office",
                vec![rule("tcp", (445, 445), &["198.51.100.0/24"], &[])],
            ),
        ]));
        let found = run(data, true, no_open_admin_ports).await;
        let message = |id: &str| {
            let o = found.iter().find(|o| o.resource_id.ends_with(id)).unwrap();
            (o.status, o.message.as_str())
        };
        assert_eq!(
            message("/sg-telnet"),
            (
                Status::Fail,
                "security group sg-telnet (sg-telnet-name) allows 0.0.0.0/0 to tcp 23 (Telnet)"
            )
        );
        assert_eq!(
            message("/sg-smb"),
            (
                Status::Fail,
                "security group sg-smb (sg-smb-name) allows ::/0 to tcp 445 (SMB)"
            )
        );
        assert_eq!(message("/sg-smb-office").0, Status::Pass);
    }

    #[tokio::test]
    async fn admin_ports_without_security_groups_or_their_listing() {
        let mut none = data();
        none.region_mut(REGION).ec2.security_groups = Memo::ready(Fetched::Ok(vec![]));
        assert_eq!(
            statuses(&run(none, true, no_open_admin_ports).await),
            [Status::NotApplicable]
        );
        let mut denied = data();
        denied.region_mut(REGION).ec2.security_groups =
            Memo::ready(err("ec2", "DescribeSecurityGroups"));
        assert_eq!(
            statuses(&run(denied, true, no_open_admin_ports).await),
            [Status::Error]
        );
    }

    #[tokio::test]
    async fn the_port_list_is_a_threshold() {
        let open_8443 = || {
            let mut data = data();
            data.region_mut(REGION).ec2.security_groups = Memo::ready(Fetched::Ok(vec![group(
                "sg-web",
                vec![rule("tcp", (8443, 8443), &["0.0.0.0/0"], &[])],
            )]));
            data
        };
        let by_default = run(open_8443(), true, no_open_admin_ports).await;
        assert_eq!(statuses(&by_default), [Status::Pass]);
        let mut thresholds = crate::config::Thresholds::default();
        thresholds.ec2.admin_ports = vec![8443];
        let found = run_with(open_8443(), true, thresholds, no_open_admin_ports).await;
        assert_eq!(statuses(&found), [Status::Fail]);
        assert!(
            found[0].message.ends_with("0.0.0.0/0 to tcp 8443"),
            "a port with no known service is named by its number: {}",
            found[0].message
        );
    }

    #[tokio::test]
    async fn ebs_default_encryption_per_region() {
        for (on, expected) in [(true, Status::Pass), (false, Status::Fail)] {
            let mut data = data();
            data.region_mut(REGION).ec2.ebs_encryption_by_default = Memo::ready(Fetched::Ok(on));
            assert_eq!(
                statuses(&run(data, true, ebs_default_encryption).await),
                [expected]
            );
        }
    }

    fn table(id: &str, vpc: &str, public: bool) -> RouteTable {
        RouteTable {
            id: id.into(),
            vpc_id: vpc.into(),
            main: false,
            subnet_ids: vec![format!("subnet-of-{id}")],
            internet_gateway_route: public,
        }
    }

    fn main_table(id: &str, vpc: &str) -> RouteTable {
        RouteTable {
            main: true,
            subnet_ids: vec![],
            ..table(id, vpc, false)
        }
    }

    fn subnet(id: &str, vpc: &str) -> Subnet {
        Subnet {
            id: id.into(),
            vpc_id: vpc.into(),
            availability_zone: None,
            cidr_block: None,
        }
    }

    fn gateway(service: &str, vpc: &str, tables: &[&str]) -> VpcEndpoint {
        VpcEndpoint {
            id: format!("vpce-{service}-{vpc}"),
            vpc_id: vpc.into(),
            service_name: format!("com.amazonaws.{REGION}.{service}"),
            endpoint_type: "Gateway".into(),
            state: Some("available".into()),
            route_table_ids: tables.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[tokio::test]
    async fn private_route_tables_need_both_gateway_endpoints() {
        let mut data = data();
        let ec2 = &mut data.region_mut(REGION).ec2;
        ec2.route_tables = Memo::ready(Fetched::Ok(vec![
            table("rtb-pub", "vpc-good", true),
            table("rtb-a", "vpc-good", false),
            table("rtb-b", "vpc-half", false),
            table("rtb-c", "vpc-half", false),
            table("rtb-public-only", "vpc-public", true),
        ]));
        ec2.subnets = ok(vec![]);
        ec2.vpc_endpoints = Memo::ready(Fetched::Ok(vec![
            gateway("s3", "vpc-good", &["rtb-a"]),
            gateway("dynamodb", "vpc-good", &["rtb-a"]),
            gateway("s3", "vpc-half", &["rtb-b"]),
        ]));
        let found = run(data, true, gateway_endpoints).await;
        assert_eq!(found.len(), 2, "public-only VPCs are not judged");
        assert_eq!(status_of(&found, "/vpc-good"), Status::Pass);
        let half = found
            .iter()
            .find(|o| o.resource_id.ends_with("/vpc-half"))
            .unwrap();
        assert_eq!(half.status, Status::Fail);
        assert_eq!(
            half.message,
            "VPC vpc-half has no gateway endpoint for s3 (route tables rtb-c) and dynamodb (route tables rtb-b, rtb-c)"
        );
    }

    /// The main table serves only the subnets without a table of their own.
    #[tokio::test]
    async fn a_main_table_is_private_only_while_it_serves_a_subnet() {
        let account = |subnets: Memo<Vec<Subnet>>| {
            let mut data = data();
            let ec2 = &mut data.region_mut(REGION).ec2;
            ec2.route_tables = ok(vec![
                table("rtb-a", "vpc-1", false),
                main_table("rtb-main", "vpc-1"),
            ]);
            ec2.vpc_endpoints = ok(vec![
                gateway("s3", "vpc-1", &["rtb-a"]),
                gateway("dynamodb", "vpc-1", &["rtb-a"]),
            ]);
            ec2.subnets = subnets;
            data
        };
        let every_subnet_has_its_table = ok(vec![subnet("subnet-of-rtb-a", "vpc-1")]);
        let found = run(account(every_subnet_has_its_table), true, gateway_endpoints).await;
        assert_eq!(statuses(&found), [Status::Pass], "{found:#?}");

        let one_without = ok(vec![
            subnet("subnet-of-rtb-a", "vpc-1"),
            subnet("subnet-loose", "vpc-1"),
            subnet("subnet-elsewhere", "vpc-2"),
        ]);
        let found = run(account(one_without), true, gateway_endpoints).await;
        assert_eq!(statuses(&found), [Status::Fail]);
        assert_eq!(
            found[0].message,
            "VPC vpc-1 has no gateway endpoint for s3 (route tables rtb-main) and dynamodb (route tables rtb-main)"
        );
        assert_eq!(
            found[0].evidence["main_table_serves"],
            json!(["subnet-loose"])
        );

        let unreadable = failed("ec2", "DescribeSubnets");
        assert_eq!(
            statuses(&run(account(unreadable), true, gateway_endpoints).await),
            [Status::Error]
        );
    }

    fn vpc(id: &str, default: bool, owner: Option<&str>) -> Vpc {
        Vpc {
            id: id.into(),
            is_default: default,
            owner_id: owner.map(str::to_string),
        }
    }

    fn flow_log(id: &str, vpc: &str, traffic: Option<&str>, delivery: &str) -> FlowLog {
        FlowLog {
            id: id.into(),
            resource_id: vpc.into(),
            status: Some("ACTIVE".into()),
            delivery_status: Some(delivery.into()),
            delivery_error: (delivery == "FAILED").then(|| "Access error".into()),
            traffic_type: traffic.map(str::to_string),
        }
    }

    #[tokio::test]
    async fn flow_logs_must_record_rejected_traffic_and_deliver() {
        let mut data = data();
        let ec2 = &mut data.region_mut(REGION).ec2;
        ec2.vpcs = ok([
            "vpc-all",
            "vpc-reject",
            "vpc-accept",
            "vpc-failing",
            "vpc-unknown",
            "vpc-bare",
        ]
        .map(|id| vpc(id, false, Some(ACCOUNT)))
        .to_vec());
        ec2.flow_logs = ok(vec![
            flow_log("fl-all", "vpc-all", Some("ALL"), "SUCCESS"),
            flow_log("fl-reject", "vpc-reject", Some("REJECT"), "SUCCESS"),
            flow_log("fl-accept", "vpc-accept", Some("ACCEPT"), "SUCCESS"),
            flow_log("fl-failing", "vpc-failing", Some("ALL"), "FAILED"),
            flow_log("fl-unknown", "vpc-unknown", None, "SUCCESS"),
        ]);
        let found = run(data, true, vpc_flow_logs).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "/vpc-all",
                    "/vpc-reject",
                    "/vpc-accept",
                    "/vpc-failing",
                    "/vpc-unknown",
                    "/vpc-bare"
                ]
            ),
            [
                Status::Pass,
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Error,
                Status::Fail
            ]
        );
        let said = |suffix: &str| {
            found
                .iter()
                .find(|o| o.resource_id.ends_with(suffix))
                .map(|o| o.message.clone())
                .unwrap()
        };
        assert_eq!(
            said("/vpc-accept"),
            "VPC vpc-accept has no flow log recording rejected traffic: flow log fl-accept records ACCEPT traffic only"
        );
        assert_eq!(
            said("/vpc-failing"),
            "VPC vpc-failing has no flow log recording rejected traffic: flow log fl-failing fails to deliver (Access error)"
        );
        assert_eq!(
            said("/vpc-unknown"),
            "VPC vpc-unknown: flow log fl-unknown has no TrafficType"
        );
    }

    #[tokio::test]
    async fn shared_vpcs_are_judged_by_their_owner_and_idle_default_vpcs_not_at_all() {
        let account = |interfaces: Memo<PerResource<Vec<String>>>| {
            let mut data = data();
            let ec2 = &mut data.region_mut(REGION).ec2;
            ec2.vpcs = ok(vec![
                vpc("vpc-shared", false, Some("210987654321")),
                vpc("vpc-default", true, Some(ACCOUNT)),
            ]);
            ec2.flow_logs = ok(vec![]);
            ec2.default_vpc_interfaces = interfaces;
            data
        };
        let found = run(
            account(each([("vpc-default", vec![])])),
            true,
            vpc_flow_logs,
        )
        .await;
        assert_eq!(
            statuses_of(&found, &[":210987654321:vpc/vpc-shared", "/vpc-default"]),
            [Status::NotApplicable, Status::NotApplicable]
        );
        assert!(
            found[0]
                .message
                .contains("belongs to account 210987654321: judged in account 210987654321"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[1].message,
            "default VPC vpc-default is not in use (no network interface in it): flow logs are judged on VPCs in use"
        );

        let in_use = each([("vpc-default", vec!["eni-1".to_string()])]);
        let found = run(account(in_use), true, vpc_flow_logs).await;
        assert_eq!(status_of(&found, "/vpc-default"), Status::Fail);

        let unreadable = ok([(
            "vpc-default".to_string(),
            err("ec2", "DescribeNetworkInterfaces"),
        )]
        .into_iter()
        .collect());
        let found = run(account(unreadable), true, vpc_flow_logs).await;
        assert_eq!(status_of(&found, "/vpc-default"), Status::Error);
    }

    /// A region the run does not audit, where the sweeps still read.
    const UNAUDITED: &str = "ap-southeast-2";

    fn snapshot(id: &str) -> Snapshot {
        Snapshot {
            id: id.into(),
            volume_id: None,
            encrypted: true,
        }
    }

    /// Data whose account-wide sweep found `found` in the audited region and `other` in
    /// `UNAUDITED`.
    fn swept_snapshots(
        found: Fetched<PublicSnapshots>,
        other: Fetched<PublicSnapshots>,
    ) -> crate::inventory::InventoryData {
        let mut data = data();
        data.global.ec2.public_snapshots_everywhere =
            ok(
                [(REGION.to_string(), found), (UNAUDITED.to_string(), other)]
                    .into_iter()
                    .collect(),
            );
        data
    }

    fn public(ids: &[&str], block: Option<Fetched<Option<String>>>) -> Fetched<PublicSnapshots> {
        Fetched::Ok(PublicSnapshots {
            snapshots: ids.iter().map(|id| snapshot(id)).collect(),
            block_public_access: block,
        })
    }

    #[tokio::test]
    async fn a_public_snapshot_fails_and_says_what_block_public_access_does_for_it() {
        let state = |state: SnapshotBlockPublicAccessState| {
            Some(Fetched::Ok(Some(state.as_str().to_string())))
        };
        let said = |found: Vec<Observation>| {
            assert_eq!(statuses(&found), [Status::Fail, Status::Pass], "{found:#?}");
            found[0].message.clone()
        };
        let account = |block| swept_snapshots(public(&["snap-1"], block), public(&[], None));
        assert_eq!(
            said(run(account(state(SnapshotBlockPublicAccessState::BlockAllSharing)), false, no_public_snapshots).await),
            "snapshot snap-1 is shared with all AWS accounts; block public access (block-all-sharing) keeps it private only while that setting stays in us-east-1"
        );
        assert_eq!(
            said(run(account(state(SnapshotBlockPublicAccessState::Unblocked)), false, no_public_snapshots).await),
            "snapshot snap-1 is public (block public access unblocked): any AWS account can create a volume from it"
        );
        let unreadable = run(
            account(Some(err("ec2", "GetSnapshotBlockPublicAccessState"))),
            false,
            no_public_snapshots,
        )
        .await;
        assert!(unreadable[0].evidence.to_string().contains("AccessDenied"));
        assert!(
            said(unreadable).ends_with("whether block public access keeps it private is unknown")
        );
    }

    /// The sweep judges every enabled region: a public snapshot where the run does not
    /// audit fails there and says so; no public snapshot anywhere is one PASS naming the
    /// regions; a region that could not be read is an ERROR there, the others judged.
    #[tokio::test]
    async fn snapshots_are_judged_in_every_enabled_region() {
        let found = run(
            swept_snapshots(public(&[], None), public(&["snap-far"], None)),
            false,
            no_public_snapshots,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Fail, Status::Pass]);
        assert_eq!(found[1].evidence, json!({ "regions": [REGION] }));
        assert_eq!(found[0].region.as_deref(), Some(UNAUDITED));
        assert_eq!(
            found[0].resource_id,
            format!("arn:aws:ec2:{UNAUDITED}::snapshot/snap-far")
        );
        assert!(found[0].message.starts_with("snapshot snap-far (in ap-southeast-2, which this run does not audit) is shared with all AWS accounts"), "{}", found[0].message);

        let clean = run(
            swept_snapshots(public(&[], None), public(&[], None)),
            false,
            no_public_snapshots,
        )
        .await;
        assert_eq!(statuses(&clean), [Status::Pass]);
        assert_eq!(
            clean[0].message,
            "no EBS snapshot of the account is public in the 2 enabled region(s) read"
        );

        let one_down = run(
            swept_snapshots(public(&[], None), err("ec2", "DescribeSnapshots")),
            false,
            no_public_snapshots,
        )
        .await;
        assert_eq!(statuses(&one_down), [Status::Error, Status::Pass]);
        assert_eq!(one_down[0].region.as_deref(), Some(UNAUDITED));
        assert_eq!(one_down[1].evidence, json!({ "regions": [REGION] }));

        let mut unlisted = data();
        unlisted.global.ec2.public_snapshots_everywhere = failed("ec2", "DescribeRegions");
        assert_eq!(
            statuses(&run(unlisted, false, no_public_snapshots).await),
            [Status::Error]
        );
        let mut none = data();
        none.global.ec2.public_snapshots_everywhere = ok(Default::default());
        assert_eq!(
            statuses(&run(none, false, no_public_snapshots).await),
            [Status::NotApplicable]
        );
    }

    #[tokio::test]
    async fn amis_are_judged_in_every_enabled_region() {
        let image = |id: &str, public: bool| crate::model::ec2::Image {
            id: id.into(),
            name: Some("web".into()),
            public,
        };
        let account = |here: Fetched<Vec<crate::model::ec2::Image>>,
                       there: Fetched<Vec<crate::model::ec2::Image>>| {
            let mut data = data();
            data.global.ec2.images_everywhere =
                ok([(REGION.to_string(), here), (UNAUDITED.to_string(), there)]
                    .into_iter()
                    .collect());
            data
        };
        let found = run(
            account(
                Fetched::Ok(vec![image("ami-private", false)]),
                Fetched::Ok(vec![image("ami-far", true)]),
            ),
            false,
            no_public_amis,
        )
        .await;
        assert_eq!(
            statuses_of(&found, &["ami-private", "ami-far"]),
            [Status::Pass, Status::Fail]
        );
        assert_eq!(found[0].region.as_deref(), Some(UNAUDITED));
        assert_eq!(found[0].message, "AMI ami-far (web) (in ap-southeast-2, which this run does not audit) is public: any AWS account can launch it");
        assert_eq!(found[1].message, "AMI ami-private (web) is private");

        let one_down = run(
            account(
                Fetched::Ok(vec![image("ami-private", false)]),
                err("ec2", "DescribeImages"),
            ),
            false,
            no_public_amis,
        )
        .await;
        assert_eq!(statuses(&one_down), [Status::Error, Status::Pass]);
        assert_eq!(one_down[0].region.as_deref(), Some(UNAUDITED));

        let none = run(
            account(Fetched::Ok(vec![]), Fetched::Ok(vec![])),
            false,
            no_public_amis,
        )
        .await;
        assert_eq!(statuses(&none), [Status::NotApplicable]);
    }
}

/// The three IMDSv2 checks: instances in every state that keeps them, the account
/// default, and the launch templates Auto Scaling groups launch from.
#[cfg(test)]
mod imds_tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
    use crate::inventory::Memo;
    use crate::model::autoscaling::{AutoScalingGroup, LaunchTemplateRef};
    use crate::model::ec2::Instance;

    fn instance(id: &str, state: &str, tokens: Option<&str>) -> Instance {
        Instance {
            id: id.into(),
            state: state.into(),
            http_tokens: tokens.map(str::to_string),
            http_endpoint: Some("enabled".into()),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn stopped_instances_are_judged_and_gone_ones_are_not() {
        let mut data = data();
        data.region_mut(REGION).ec2.instances = ok(vec![
            instance("i-running", "running", Some("required")),
            instance("i-stopped", "stopped", Some("optional")),
            instance("i-stopping", "stopping", Some("required")),
            instance("i-pending", "pending", None),
            instance("i-terminated", "terminated", Some("optional")),
            instance("i-leaving", "shutting-down", Some("optional")),
        ]);
        let found = run(data, true, imdsv2_required).await;
        assert_eq!(
            statuses_of(
                &found,
                &["/i-running", "/i-stopped", "/i-stopping", "/i-pending"]
            ),
            [Pass, Fail, Pass, Error]
        );
        assert_eq!(
            found.len(),
            4,
            "terminated and shutting-down instances are gone"
        );
        let stopped = found
            .iter()
            .find(|o| o.resource_id.ends_with("/i-stopped"))
            .unwrap();
        assert_eq!(
            stopped.message,
            "stopped instance i-stopped answers IMDSv1 when started (HttpTokens optional)"
        );

        let mut gone = self::data();
        gone.region_mut(REGION).ec2.instances = ok(vec![instance(
            "i-terminated",
            "terminated",
            Some("optional"),
        )]);
        assert_eq!(
            statuses(&run(gone, true, imdsv2_required).await),
            [NotApplicable]
        );
    }

    fn defaults(tokens: Option<&str>, endpoint: Option<&str>) -> InstanceMetadataDefaults {
        InstanceMetadataDefaults {
            http_tokens: tokens.map(str::to_string),
            http_endpoint: endpoint.map(str::to_string),
            ..Default::default()
        }
    }

    async fn account_default(defaults: Memo<InstanceMetadataDefaults>) -> Vec<Observation> {
        let mut data = data();
        data.region_mut(REGION).ec2.instance_metadata_defaults = defaults;
        run(data, true, imdsv2_account_default).await
    }

    #[tokio::test]
    async fn the_account_default_passes_only_when_it_requires_imdsv2() {
        for (value, status) in [
            (defaults(Some("required"), None), Pass),
            (defaults(None, Some("disabled")), Pass),
            (defaults(Some("optional"), Some("enabled")), Fail),
            (defaults(None, None), Fail),
        ] {
            let found = account_default(ok(value.clone())).await;
            assert_eq!(statuses(&found), [status], "{value:?}");
        }
        let unset = account_default(ok(defaults(None, None))).await;
        assert!(unset[0].message.contains("(no preference)"), "{unset:#?}");
        let denied = account_default(failed("ec2", "GetInstanceMetadataDefaults")).await;
        assert_eq!(statuses(&denied), [Error]);
    }

    fn group(
        name: &str,
        template: Option<LaunchTemplateRef>,
        mixed: Option<LaunchTemplateRef>,
    ) -> AutoScalingGroup {
        AutoScalingGroup {
            name: name.into(),
            launch_template: template,
            mixed_instances_launch_template: mixed,
            ..Default::default()
        }
    }

    fn by_id(id: &str, version: Option<&str>) -> Option<LaunchTemplateRef> {
        Some(LaunchTemplateRef {
            id: Some(id.into()),
            version: version.map(str::to_string),
            ..Default::default()
        })
    }

    fn version(
        id: &str,
        number: i64,
        default: bool,
        tokens: Option<&str>,
    ) -> LaunchTemplateVersion {
        LaunchTemplateVersion {
            template_id: id.into(),
            template_name: format!("{id}-name"),
            version: Some(number),
            default_version: default,
            http_tokens: tokens.map(str::to_string),
            ..Default::default()
        }
    }

    /// Groups on `lt-default` ($Default: v1, required), `lt-latest` ($Latest: v3,
    /// optional, beside v1 required), `lt-inherit` (v2 sets nothing), `lt-batch` (a mixed
    /// instances policy's, named `batch`, v1 endpoint off), `lt-gone` (the answer lacks
    /// version 7), `lt-denied` (unreadable), and one on a launch configuration.
    fn templates(
        account_default: Memo<InstanceMetadataDefaults>,
    ) -> crate::inventory::InventoryData {
        let mut data = data();
        data.region_mut(REGION).autoscaling.groups = ok(vec![
            group("web", by_id("lt-default", None), None),
            group("api", by_id("lt-latest", Some("$Latest")), None),
            group("old-api", by_id("lt-latest", Some("1")), None),
            group("jobs", by_id("lt-inherit", Some("2")), None),
            group(
                "batch",
                None,
                Some(LaunchTemplateRef {
                    name: Some("batch".into()),
                    version: Some("$Default".into()),
                    ..Default::default()
                }),
            ),
            group("gone", by_id("lt-gone", Some("7")), None),
            group("denied", by_id("lt-denied", None), None),
            AutoScalingGroup {
                name: "legacy".into(),
                arn: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/legacy".into(),
                launch_configuration_name: Some("lc".into()),
                ..Default::default()
            },
        ]);
        let mut batch = version("lt-batch", 1, true, None);
        batch.http_endpoint = Some("disabled".into());
        let ec2 = &mut data.region_mut(REGION).ec2;
        ec2.launch_template_versions = ok([
            (
                "lt-default",
                Fetched::Ok(vec![version("lt-default", 1, true, Some("required"))]),
            ),
            (
                "lt-latest",
                Fetched::Ok(vec![
                    version("lt-latest", 1, true, Some("required")),
                    version("lt-latest", 3, false, Some("optional")),
                ]),
            ),
            (
                "lt-inherit",
                Fetched::Ok(vec![version("lt-inherit", 2, false, None)]),
            ),
            ("batch", Fetched::Ok(vec![batch])),
            (
                "lt-gone",
                Fetched::Ok(vec![version("lt-gone", 1, true, Some("required"))]),
            ),
            ("lt-denied", err("ec2", "DescribeLaunchTemplateVersions")),
        ]
        .into_iter()
        .map(|(key, versions)| (key.to_string(), versions))
        .collect());
        ec2.instance_metadata_defaults = account_default;
        data
    }

    const TEMPLATES: [&str; 6] = [
        "/lt-default",
        "/lt-latest",
        "/lt-inherit",
        "/lt-batch",
        "/lt-gone",
        "lt-denied",
    ];

    #[tokio::test]
    async fn launch_templates_are_judged_by_the_version_each_group_launches() {
        let found = run(
            templates(ok(defaults(Some("required"), None))),
            true,
            launch_template_imdsv2,
        )
        .await;
        assert_eq!(
            statuses_of(&found, &TEMPLATES),
            [Pass, Fail, Pass, Pass, Error, Error]
        );
        assert_eq!(
            found.len(),
            7,
            "one finding per template, and the group on a launch configuration"
        );
        assert_eq!(status_of(&found, "/legacy"), NotApplicable);
        let latest = found
            .iter()
            .find(|o| o.resource_id.ends_with("/lt-latest"))
            .unwrap();
        assert_eq!(
            latest.message,
            "launch template lt-latest-name (lt-latest): version 3 ($Latest, launched by api) \
             lets its instances answer IMDSv1 (HttpTokens optional); version 1 (launched by \
             old-api) requires IMDSv2 (HttpTokens required)"
        );
        assert!(found
            .iter()
            .any(|o| o.message.contains("version 7 (launched by gone) is not in")));

        // A version that sets nothing gets the account default, or cannot be judged.
        let found = run(
            templates(ok(defaults(Some("optional"), None))),
            true,
            launch_template_imdsv2,
        )
        .await;
        assert_eq!(status_of(&found, "/lt-inherit"), Fail);
        let found = run(
            templates(failed("ec2", "GetInstanceMetadataDefaults")),
            true,
            launch_template_imdsv2,
        )
        .await;
        assert_eq!(
            statuses_of(&found, &["/lt-default", "/lt-inherit"]),
            [Pass, Error]
        );
    }

    #[tokio::test]
    async fn no_group_on_a_launch_template_is_not_applicable_and_unlisted_groups_are_an_error() {
        let with_groups = |groups: Vec<AutoScalingGroup>| {
            let mut data = data();
            data.region_mut(REGION).autoscaling.groups = ok(groups);
            data
        };
        let legacy = AutoScalingGroup {
            name: "legacy".into(),
            launch_configuration_name: Some("lc".into()),
            ..Default::default()
        };
        let found = run(with_groups(vec![legacy]), true, launch_template_imdsv2).await;
        assert_eq!(statuses(&found), [NotApplicable]);
        assert!(
            found[0]
                .message
                .contains("launch configuration lc, whose metadata options orr does not read"),
            "{found:#?}"
        );
        assert_eq!(
            statuses(&run(with_groups(vec![]), true, launch_template_imdsv2).await),
            [NotApplicable]
        );
        let mut denied = self::data();
        denied.region_mut(REGION).autoscaling.groups =
            failed("autoscaling", "DescribeAutoScalingGroups");
        assert_eq!(
            statuses(&run(denied, true, launch_template_imdsv2).await),
            [Error]
        );
    }
}
