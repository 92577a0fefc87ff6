use std::collections::BTreeMap;

use aws_sdk_ec2::operation::get_instance_metadata_defaults::GetInstanceMetadataDefaultsOutput;
use aws_sdk_ec2::operation::get_snapshot_block_public_access_state::GetSnapshotBlockPublicAccessStateOutput;
use aws_sdk_ec2::types::{
    Filter, FlowLog as SdkFlowLog, Image as SdkImage, Instance as SdkInstance, IpPermission,
    LaunchTemplateVersion as SdkLaunchTemplateVersion, PermissionGroup, Reservation,
    RouteTable as SdkRouteTable, SecurityGroup as SdkGroup, Snapshot as SdkSnapshot,
    Subnet as SdkSubnet, Tag, Vpc as SdkVpc, VpcEndpoint as SdkEndpoint,
};
use aws_sdk_ec2::Client;

use super::{all_items, fetch_error, instant, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::autoscaling::LaunchTemplateRef;
use crate::model::ec2::{
    FlowLog, Image, IngressRule, Instance, InstanceMetadataDefaults, LaunchTemplateVersion,
    RouteTable, SecurityGroup, Snapshot, Subnet, Vpc, VpcEndpoint,
};
use crate::model::partition_of_region;

const SERVICE: &str = "ec2";

impl AwsReader {
    fn ec2(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn ec2_security_groups(&self, region: &str) -> Fetched<Vec<SecurityGroup>> {
        let client = self.ec2(region);
        let items = client
            .describe_security_groups()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeSecurityGroups",
            region,
            items,
            security_group,
        )
        .await
    }

    /// Each prefix list's CIDRs, keyed by its id.
    pub(crate) async fn ec2_prefix_list_entries(
        &self,
        region: &str,
        ids: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<String>>> {
        let client = self.ec2(region);
        self.per_resource(ids, |id| {
            let client = client.clone();
            async move {
                let entries: Vec<aws_sdk_ec2::types::PrefixListEntry> = all_items(
                    SERVICE,
                    "GetManagedPrefixListEntries",
                    &id,
                    client
                        .get_managed_prefix_list_entries()
                        .prefix_list_id(&id)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(entries
                    .iter()
                    .filter_map(|e| e.cidr().map(str::to_string))
                    .collect())
            }
        })
        .await
    }

    pub(crate) async fn ec2_ebs_encryption_by_default(&self, region: &str) -> Fetched<bool> {
        self.call(self.ec2(region).get_ebs_encryption_by_default().send())
            .await
            .map(|out| out.ebs_encryption_by_default().unwrap_or(false))
            .map_err(|e| fetch_error(SERVICE, "GetEbsEncryptionByDefault", Some(region), &e))
            .into()
    }

    pub(crate) async fn ec2_route_tables(&self, region: &str) -> Fetched<Vec<RouteTable>> {
        let client = self.ec2(region);
        let items = client
            .describe_route_tables()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeRouteTables", region, items, route_table)
            .await
    }

    pub(crate) async fn ec2_subnets(&self, region: &str) -> Fetched<Vec<Subnet>> {
        let client = self.ec2(region);
        let items = client.describe_subnets().into_paginator().items().send();
        self.listed(SERVICE, "DescribeSubnets", region, items, subnet)
            .await
    }

    pub(crate) async fn ec2_vpc_endpoints(&self, region: &str) -> Fetched<Vec<VpcEndpoint>> {
        let client = self.ec2(region);
        let items = client
            .describe_vpc_endpoints()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeVpcEndpoints", region, items, vpc_endpoint)
            .await
    }

    pub(crate) async fn ec2_instances(&self, region: &str) -> Fetched<Vec<Instance>> {
        let client = self.ec2(region);
        let items = client.describe_instances().into_paginator().items().send();
        self.listed(
            SERVICE,
            "DescribeInstances",
            region,
            items,
            |r: &Reservation| {
                r.instances()
                    .iter()
                    .map(|i| instance(i, region, r.owner_id()))
                    .collect::<Vec<_>>()
            },
        )
        .await
        .map(|reservations| reservations.into_iter().flatten().collect())
    }

    pub(crate) async fn ec2_vpcs(&self, region: &str) -> Fetched<Vec<Vpc>> {
        let client = self.ec2(region);
        let items = client.describe_vpcs().into_paginator().items().send();
        self.listed(SERVICE, "DescribeVpcs", region, items, vpc)
            .await
    }

    pub(crate) async fn ec2_flow_logs(&self, region: &str) -> Fetched<Vec<FlowLog>> {
        let client = self.ec2(region);
        let items = client.describe_flow_logs().into_paginator().items().send();
        self.listed(SERVICE, "DescribeFlowLogs", region, items, flow_log)
            .await
    }

    /// The ids of the network interfaces in each VPC, keyed by VPC id.
    pub(crate) async fn ec2_vpc_interfaces(
        &self,
        region: &str,
        vpc_ids: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<String>>> {
        let client = self.ec2(region);
        self.per_resource(vpc_ids, |id| {
            let client = client.clone();
            async move {
                let interfaces: Vec<aws_sdk_ec2::types::NetworkInterface> = all_items(
                    SERVICE,
                    "DescribeNetworkInterfaces",
                    &id,
                    client
                        .describe_network_interfaces()
                        .filters(Filter::builder().name("vpc-id").values(&id).build())
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(interfaces
                    .iter()
                    .filter_map(|i| i.network_interface_id().map(str::to_string))
                    .collect())
            }
        })
        .await
    }

    pub(crate) async fn ec2_snapshot_block_public_access(
        &self,
        region: &str,
    ) -> Fetched<Option<String>> {
        self.call(
            self.ec2(region)
                .get_snapshot_block_public_access_state()
                .send(),
        )
        .await
        .map_err(|e| {
            fetch_error(
                SERVICE,
                "GetSnapshotBlockPublicAccessState",
                Some(region),
                &e,
            )
        })
        .map(|out| snapshot_block_public_access(&out))
        .into()
    }

    pub(crate) async fn ec2_snapshots(&self, region: &str) -> Fetched<Vec<Snapshot>> {
        let client = self.ec2(region);
        let items = client
            .describe_snapshots()
            .owner_ids("self")
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeSnapshots", region, items, snapshot)
            .await
    }

    /// The account's public snapshots in one paginated listing: `RestorableByUserIds=all`
    /// keeps only those shared with the group `all`, so no per-snapshot attribute read
    /// is needed (DescribeSnapshots, Amazon EC2 API Reference).
    pub(crate) async fn ec2_public_snapshots(&self, region: &str) -> Fetched<Vec<Snapshot>> {
        let client = self.ec2(region);
        let items = client
            .describe_snapshots()
            .owner_ids("self")
            .restorable_by_user_ids(PermissionGroup::All.as_str())
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeSnapshots", region, items, snapshot)
            .await
    }

    pub(crate) async fn ec2_instance_metadata_defaults(
        &self,
        region: &str,
    ) -> Fetched<InstanceMetadataDefaults> {
        self.call(self.ec2(region).get_instance_metadata_defaults().send())
            .await
            .map(|out| instance_metadata_defaults(&out))
            .map_err(|e| fetch_error(SERVICE, "GetInstanceMetadataDefaults", Some(region), &e))
            .into()
    }

    /// The versions `launched` names, one call per template asking for exactly those
    /// versions, keyed by how the groups name the template (`LaunchTemplateRef::key`).
    pub(crate) async fn ec2_launch_template_versions(
        &self,
        region: &str,
        launched: Vec<LaunchTemplateRef>,
    ) -> BTreeMap<String, Fetched<Vec<LaunchTemplateVersion>>> {
        // key -> (named by id, the versions asked for)
        let mut wanted: BTreeMap<String, (bool, Vec<String>)> = BTreeMap::new();
        for template in &launched {
            let Some(key) = template.key() else { continue };
            let (_, versions) = wanted
                .entry(key.to_string())
                .or_insert_with(|| (template.id.is_some(), Vec::new()));
            let version = template.version_or_default().to_string();
            if !versions.contains(&version) {
                versions.push(version);
            }
        }
        let client = self.ec2(region);
        let wanted = &wanted;
        self.each_answer(
            SERVICE,
            "DescribeLaunchTemplateVersions",
            wanted.keys().cloned().collect(),
            |key| {
                let (by_id, versions) = &wanted[key];
                let request = client
                    .describe_launch_template_versions()
                    .set_versions(Some(versions.clone()));
                let request = if *by_id {
                    request.launch_template_id(key)
                } else {
                    request.launch_template_name(key)
                };
                request.send()
            },
            |out| {
                out.launch_template_versions()
                    .iter()
                    .map(launch_template_version)
                    .collect()
            },
        )
        .await
    }

    pub(crate) async fn ec2_images(&self, region: &str) -> Fetched<Vec<Image>> {
        let client = self.ec2(region);
        let items = client
            .describe_images()
            .owners("self")
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeImages", region, items, image)
            .await
    }
}

/// An instance of a reservation owned by `owner` in `region`. DescribeInstances names no
/// ARN: it is built the way AWS documents it, in the region's partition.
fn instance(instance: &SdkInstance, region: &str, owner: Option<&str>) -> Instance {
    let metadata = instance.metadata_options();
    let id = instance.instance_id().unwrap_or_default();
    let text = |s: Option<&str>| s.map(str::to_string);
    Instance {
        id: id.to_string(),
        arn: format!(
            "arn:{}:ec2:{region}:{}:instance/{id}",
            partition_of_region(region),
            owner.unwrap_or_default()
        ),
        state: instance
            .state()
            .and_then(|s| s.name())
            .map(|n| n.as_str())
            .unwrap_or_default()
            .to_string(),
        http_tokens: metadata
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str().to_string()),
        http_endpoint: metadata
            .and_then(|m| m.http_endpoint())
            .map(|e| e.as_str().to_string()),
        instance_type: instance.instance_type().map(|t| t.as_str().to_string()),
        image_id: text(instance.image_id()),
        launch_time: instance.launch_time().and_then(instant),
        availability_zone: text(instance.placement().and_then(|p| p.availability_zone())),
        subnet_id: text(instance.subnet_id()),
        vpc_id: text(instance.vpc_id()),
        private_ip: text(instance.private_ip_address()),
        public_ip: text(instance.public_ip_address()),
        ipv6_addresses: instance
            .network_interfaces()
            .iter()
            .flat_map(|n| n.ipv6_addresses())
            .filter_map(|a| text(a.ipv6_address()))
            .collect(),
        iam_instance_profile_arn: text(instance.iam_instance_profile().and_then(|p| p.arn())),
        platform_details: text(instance.platform_details()),
        architecture: instance.architecture().map(|a| a.as_str().to_string()),
        security_group_ids: instance
            .security_groups()
            .iter()
            .filter_map(|g| text(g.group_id()))
            .collect(),
        tags: tags(instance.tags()),
    }
}

fn instance_metadata_defaults(out: &GetInstanceMetadataDefaultsOutput) -> InstanceMetadataDefaults {
    let account = out.account_level();
    InstanceMetadataDefaults {
        http_tokens: account
            .and_then(|a| a.http_tokens())
            .map(|t| t.as_str().to_string()),
        http_endpoint: account
            .and_then(|a| a.http_endpoint())
            .map(|e| e.as_str().to_string()),
        http_tokens_enforced: account
            .and_then(|a| a.http_tokens_enforced())
            .map(|e| e.as_str().to_string()),
        managed_by: account
            .and_then(|a| a.managed_by())
            .map(|m| m.as_str().to_string()),
    }
}

fn launch_template_version(version: &SdkLaunchTemplateVersion) -> LaunchTemplateVersion {
    let data = version.launch_template_data();
    let metadata = data.and_then(|d| d.metadata_options());
    LaunchTemplateVersion {
        template_id: version.launch_template_id().unwrap_or_default().to_string(),
        template_name: version
            .launch_template_name()
            .unwrap_or_default()
            .to_string(),
        version: version.version_number(),
        default_version: version.default_version().unwrap_or(false),
        http_tokens: metadata
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str().to_string()),
        http_endpoint: metadata
            .and_then(|m| m.http_endpoint())
            .map(|e| e.as_str().to_string()),
        image_id: data.and_then(|d| d.image_id()).map(str::to_string),
    }
}

fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    super::tag_map(list.iter().map(|t| (t.key(), t.value())))
}

fn vpc(vpc: &SdkVpc) -> Vpc {
    Vpc {
        id: vpc.vpc_id().unwrap_or_default().to_string(),
        is_default: vpc.is_default().unwrap_or(false),
        owner_id: vpc.owner_id().map(str::to_string),
    }
}

fn subnet(subnet: &SdkSubnet) -> Subnet {
    Subnet {
        id: subnet.subnet_id().unwrap_or_default().to_string(),
        vpc_id: subnet.vpc_id().unwrap_or_default().to_string(),
        availability_zone: subnet.availability_zone().map(str::to_string),
        cidr_block: subnet.cidr_block().map(str::to_string),
    }
}

fn flow_log(log: &SdkFlowLog) -> FlowLog {
    FlowLog {
        id: log.flow_log_id().unwrap_or_default().to_string(),
        resource_id: log.resource_id().unwrap_or_default().to_string(),
        status: log.flow_log_status().map(str::to_string),
        delivery_status: log.deliver_logs_status().map(str::to_string),
        delivery_error: log.deliver_logs_error_message().map(str::to_string),
        traffic_type: log.traffic_type().map(|t| t.as_str().to_string()),
    }
}

fn snapshot_block_public_access(out: &GetSnapshotBlockPublicAccessStateOutput) -> Option<String> {
    out.state().map(|s| s.as_str().to_string())
}

fn snapshot(snapshot: &SdkSnapshot) -> Snapshot {
    Snapshot {
        id: snapshot.snapshot_id().unwrap_or_default().to_string(),
        volume_id: snapshot.volume_id().map(str::to_string),
        encrypted: snapshot.encrypted().unwrap_or(false),
    }
}

fn image(image: &SdkImage) -> Image {
    Image {
        id: image.image_id().unwrap_or_default().to_string(),
        name: image.name().map(str::to_string),
        public: image.public().unwrap_or(false),
    }
}

fn security_group(group: &SdkGroup) -> SecurityGroup {
    SecurityGroup {
        id: group.group_id().unwrap_or_default().to_string(),
        name: group.group_name().unwrap_or_default().to_string(),
        vpc_id: group.vpc_id().map(str::to_string),
        ingress: group.ip_permissions().iter().map(ingress_rule).collect(),
        arn: group.security_group_arn().unwrap_or_default().to_string(),
        description: group.description().map(str::to_string),
        owner_id: group.owner_id().map(str::to_string),
        egress: group
            .ip_permissions_egress()
            .iter()
            .map(ingress_rule)
            .collect(),
        tags: tags(group.tags()),
    }
}

fn ingress_rule(permission: &IpPermission) -> IngressRule {
    IngressRule {
        protocol: permission.ip_protocol().unwrap_or("-1").to_string(),
        from_port: permission.from_port(),
        to_port: permission.to_port(),
        ipv4_ranges: permission
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_ranges: permission
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
        prefix_lists: permission
            .prefix_list_ids()
            .iter()
            .filter_map(|p| p.prefix_list_id().map(str::to_string))
            .collect(),
        source_groups: permission
            .user_id_group_pairs()
            .iter()
            .filter_map(|p| p.group_id().map(str::to_string))
            .collect(),
    }
}

fn route_table(table: &SdkRouteTable) -> RouteTable {
    RouteTable {
        id: table.route_table_id().unwrap_or_default().to_string(),
        vpc_id: table.vpc_id().unwrap_or_default().to_string(),
        main: table.associations().iter().any(|a| a.main() == Some(true)),
        subnet_ids: table
            .associations()
            .iter()
            .filter_map(|a| a.subnet_id().map(str::to_string))
            .collect(),
        internet_gateway_route: table
            .routes()
            .iter()
            .any(|r| r.gateway_id().is_some_and(|g| g.starts_with("igw-"))),
    }
}

fn vpc_endpoint(endpoint: &SdkEndpoint) -> VpcEndpoint {
    VpcEndpoint {
        id: endpoint.vpc_endpoint_id().unwrap_or_default().to_string(),
        vpc_id: endpoint.vpc_id().unwrap_or_default().to_string(),
        service_name: endpoint.service_name().unwrap_or_default().to_string(),
        endpoint_type: endpoint
            .vpc_endpoint_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        state: endpoint.state().map(|s| s.as_str().to_string()),
        route_table_ids: endpoint.route_table_ids().to_vec(),
    }
}

/// The regions `--all-regions` audits, and a note for each one it leaves out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct EnabledRegions {
    pub regions: Vec<String>,
    pub skipped: Vec<String>,
}

impl AwsReader {
    /// The account's enabled regions (`DescribeRegions` with every region listed, so the
    /// disabled ones can be named as skipped rather than silently missing).
    pub(crate) async fn ec2_enabled_regions(
        &self,
        region: &str,
    ) -> Result<EnabledRegions, FetchError> {
        let out = self
            .call(self.ec2(region).describe_regions().all_regions(true).send())
            .await
            .map_err(|e| fetch_error(SERVICE, "DescribeRegions", Some(region), &e))?;
        Ok(enabled_regions(out.regions().iter().filter_map(|r| {
            Some((
                r.region_name()?,
                r.opt_in_status().unwrap_or("opt-in-not-required"),
            ))
        })))
    }
}

fn enabled_regions<'a>(listed: impl Iterator<Item = (&'a str, &'a str)>) -> EnabledRegions {
    let mut found = EnabledRegions::default();
    for (name, opt_in) in listed {
        if opt_in == "not-opted-in" {
            found.skipped.push(format!(
                "{name}: not enabled in this account (an opt-in region)"
            ));
        } else if crate::regions::validate(name).is_err() {
            found.skipped.push(format!(
                "{name}: unknown to orr {}",
                env!("CARGO_PKG_VERSION")
            ));
        } else {
            found.regions.push(name.to_string());
        }
    }
    found.regions.sort();
    found.skipped.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_and_unknown_regions_are_skipped_with_a_note() {
        let found = enabled_regions(
            [
                ("us-east-1", "opt-in-not-required"),
                ("af-south-1", "not-opted-in"),
                ("ap-east-1", "opted-in"),
                ("xx-moon-1", "opt-in-not-required"),
            ]
            .into_iter(),
        );
        assert_eq!(found.regions, ["ap-east-1", "us-east-1"]);
        assert_eq!(found.skipped.len(), 2);
        assert!(found.skipped[0].starts_with("af-south-1: not enabled"));
        assert!(found.skipped[1].starts_with("xx-moon-1: unknown"));
    }

    /// What a policy reads of an instance comes through from the SDK's values, and its
    /// ARN is built in the region's partition for the reservation's owner.
    #[test]
    fn instance_attributes_and_tags_are_carried() {
        use aws_sdk_ec2::primitives::DateTime;
        use aws_sdk_ec2::types::{
            ArchitectureValues, GroupIdentifier, IamInstanceProfile, InstanceIpv6Address,
            InstanceNetworkInterface, InstanceType, Placement,
        };

        let sdk = SdkInstance::builder()
            .instance_id("i-0abc")
            .instance_type(InstanceType::M7gLarge)
            .image_id("ami-0123")
            .launch_time(DateTime::from_secs(1_700_000_000))
            .placement(
                Placement::builder()
                    .availability_zone("cn-north-1a")
                    .build(),
            )
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .private_ip_address("10.0.1.5")
            .public_ip_address("52.80.1.2")
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .ipv6_addresses(
                        InstanceIpv6Address::builder()
                            .ipv6_address("2406:da00::5")
                            .build(),
                    )
                    .build(),
            )
            .iam_instance_profile(
                IamInstanceProfile::builder()
                    .arn("arn:aws-cn:iam::123456789012:instance-profile/web")
                    .build(),
            )
            .platform_details("Linux/UNIX")
            .architecture(ArchitectureValues::Arm64)
            .security_groups(GroupIdentifier::builder().group_id("sg-web").build())
            .tags(Tag::builder().key("team").value("web").build())
            .tags(Tag::builder().key("empty").build())
            .tags(Tag::builder().value("no key").build())
            .build();
        let found = instance(&sdk, "cn-north-1", Some("123456789012"));
        assert_eq!(
            found.arn,
            "arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc"
        );
        assert_eq!(found.instance_type.as_deref(), Some("m7g.large"));
        assert_eq!(found.image_id.as_deref(), Some("ami-0123"));
        assert_eq!(
            found.launch_time.map(|t| t.timestamp()),
            Some(1_700_000_000)
        );
        assert_eq!(found.availability_zone.as_deref(), Some("cn-north-1a"));
        assert_eq!(
            (found.subnet_id.as_deref(), found.vpc_id.as_deref()),
            (Some("subnet-1"), Some("vpc-1"))
        );
        assert_eq!(
            (found.private_ip.as_deref(), found.public_ip.as_deref()),
            (Some("10.0.1.5"), Some("52.80.1.2"))
        );
        assert_eq!(found.ipv6_addresses, ["2406:da00::5"]);
        assert_eq!(
            found.iam_instance_profile_arn.as_deref(),
            Some("arn:aws-cn:iam::123456789012:instance-profile/web")
        );
        assert_eq!(found.platform_details.as_deref(), Some("Linux/UNIX"));
        assert_eq!(found.architecture.as_deref(), Some("arm64"));
        assert_eq!(found.security_group_ids, ["sg-web"]);
        assert_eq!(
            found.tags,
            BTreeMap::from([
                ("empty".to_string(), String::new()),
                ("team".to_string(), "web".to_string())
            ])
        );

        let bare = instance(
            &SdkInstance::builder().instance_id("i-bare").build(),
            "us-east-1",
            Some("123456789012"),
        );
        assert_eq!(
            bare.arn,
            "arn:aws:ec2:us-east-1:123456789012:instance/i-bare"
        );
        assert_eq!(
            (bare.instance_type, bare.public_ip, bare.launch_time),
            (None, None, None)
        );
        assert!(bare.tags.is_empty() && bare.ipv6_addresses.is_empty());
    }

    /// A group's ARN, description, owner, outbound rules and tags come through.
    #[test]
    fn security_group_attributes_egress_and_tags_are_carried() {
        use aws_sdk_ec2::types::{IpRange, UserIdGroupPair};

        let sdk = SdkGroup::builder()
            .group_id("sg-db")
            .group_name("db")
            .security_group_arn("arn:aws:ec2:us-east-1:123456789012:security-group/sg-db")
            .description("orders database")
            .owner_id("123456789012")
            .vpc_id("vpc-1")
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(5432)
                    .to_port(5432)
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-app").build())
                    .build(),
            )
            .ip_permissions_egress(
                IpPermission::builder()
                    .ip_protocol("-1")
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .tags(Tag::builder().key("owner").value("payments").build())
            .build();
        let found = security_group(&sdk);
        assert_eq!(
            found.arn,
            "arn:aws:ec2:us-east-1:123456789012:security-group/sg-db"
        );
        assert_eq!(found.description.as_deref(), Some("orders database"));
        assert_eq!(found.owner_id.as_deref(), Some("123456789012"));
        assert_eq!(found.ingress[0].source_groups, ["sg-app"]);
        assert_eq!(found.egress.len(), 1);
        assert_eq!(found.egress[0].protocol, "-1");
        assert_eq!(found.egress[0].open_to_world(), ["0.0.0.0/0"]);
        assert_eq!(
            found.tags.get("owner").map(String::as_str),
            Some("payments")
        );
    }

    /// SDK values through the conversions and the checks: the world on 22 fails, on 443
    /// passes; a private route table without a DynamoDB gateway endpoint fails.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::ec2::{gateway_endpoints, no_open_admin_ports};
        use crate::checks::testing::{data, ok, run, statuses_of, REGION};
        use crate::finding::Status;
        use aws_sdk_ec2::types::{
            IpRange, Ipv6Range, RouteTableAssociation, State, VpcEndpointType,
        };

        let group = |id: &str, port: i32, world: bool| {
            let mut rule = IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port);
            rule = if world {
                rule.ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").build())
            } else {
                rule.ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").build())
            };
            security_group(
                &SdkGroup::builder()
                    .group_id(id)
                    .group_name(id)
                    .vpc_id("vpc-1")
                    .ip_permissions(rule.build())
                    .build(),
            )
        };
        let private = route_table(
            &SdkRouteTable::builder()
                .route_table_id("rtb-private")
                .vpc_id("vpc-1")
                .associations(
                    RouteTableAssociation::builder()
                        .subnet_id("subnet-1")
                        .build(),
                )
                .build(),
        );
        // The main table serves no subnet: each has its own table.
        let main = route_table(
            &SdkRouteTable::builder()
                .route_table_id("rtb-main")
                .vpc_id("vpc-1")
                .associations(RouteTableAssociation::builder().main(true).build())
                .build(),
        );
        assert!(main.main && main.subnet_ids.is_empty());
        assert_eq!(private.subnet_ids, ["subnet-1"]);
        let subnets = vec![subnet(
            &aws_sdk_ec2::types::Subnet::builder()
                .subnet_id("subnet-1")
                .vpc_id("vpc-1")
                .availability_zone("us-east-1a")
                .build(),
        )];
        let endpoint = |id: &str, service: &str, state: State| {
            vpc_endpoint(
                &SdkEndpoint::builder()
                    .vpc_endpoint_id(id)
                    .vpc_id("vpc-1")
                    .service_name(format!("com.amazonaws.{REGION}.{service}"))
                    .vpc_endpoint_type(VpcEndpointType::Gateway)
                    .state(state)
                    .route_table_ids("rtb-private")
                    .build(),
            )
        };
        let account = || {
            let mut data = data();
            let ec2 = &mut data.region_mut(REGION).ec2;
            ec2.security_groups = ok(vec![
                group("sg-ssh", 22, true),
                group("sg-web", 443, true),
                group("sg-db", 5432, false),
            ]);
            ec2.route_tables = ok(vec![private.clone(), main.clone()]);
            ec2.subnets = ok(subnets.clone());
            ec2.vpc_endpoints = ok(vec![
                endpoint("vpce-s3", "s3", State::Available),
                endpoint("vpce-ddb", "dynamodb", State::Deleted),
            ]);
            data
        };
        let found = run(account(), true, no_open_admin_ports).await;
        assert_eq!(
            statuses_of(&found, &["sg-ssh", "sg-web", "sg-db"]),
            [Status::Fail, Status::Pass, Status::Pass]
        );
        let found = run(account(), true, gateway_endpoints).await;
        assert_eq!(statuses_of(&found, &["vpc-1"]), [Status::Fail]);
        assert!(found[0].message.contains("dynamodb"), "{found:#?}");
        assert!(!found[0].message.contains("rtb-main"), "{found:#?}");
    }

    /// Instances, VPCs and flow logs, snapshots and AMIs as the SDK gives them, through
    /// the conversions and the four checks on them.
    #[tokio::test]
    async fn instances_vpcs_snapshots_and_images_reach_the_right_verdicts() {
        use aws_sdk_ec2::types::{
            HttpTokensState, InstanceMetadataEndpointState, InstanceMetadataOptionsResponse,
            InstanceState, InstanceStateName, SnapshotBlockPublicAccessState, TrafficType,
        };

        use crate::checks::ec2::{
            imdsv2_required, no_public_amis, no_public_snapshots, vpc_flow_logs,
        };
        use crate::checks::testing::{
            data, err, failed, ok, run, statuses, statuses_of, ACCOUNT, REGION,
        };
        use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
        use crate::model::ec2::PublicSnapshots;

        let sdk_instance = |id: &str,
                            state: InstanceStateName,
                            tokens: Option<HttpTokensState>,
                            endpoint: InstanceMetadataEndpointState| {
            instance(
                &SdkInstance::builder()
                    .instance_id(id)
                    .state(InstanceState::builder().name(state).build())
                    .metadata_options(
                        InstanceMetadataOptionsResponse::builder()
                            .set_http_tokens(tokens)
                            .http_endpoint(endpoint)
                            .build(),
                    )
                    .build(),
                REGION,
                Some(ACCOUNT),
            )
        };
        let enabled = InstanceMetadataEndpointState::Enabled;
        let instances = vec![
            sdk_instance(
                "i-v2",
                InstanceStateName::Running,
                Some(HttpTokensState::Required),
                enabled.clone(),
            ),
            sdk_instance(
                "i-v1",
                InstanceStateName::Running,
                Some(HttpTokensState::Optional),
                enabled.clone(),
            ),
            sdk_instance(
                "i-off",
                InstanceStateName::Running,
                Some(HttpTokensState::Optional),
                InstanceMetadataEndpointState::Disabled,
            ),
            sdk_instance(
                "i-unknown",
                InstanceStateName::Running,
                None,
                enabled.clone(),
            ),
            sdk_instance(
                "i-stopped",
                InstanceStateName::Stopped,
                Some(HttpTokensState::Optional),
                enabled,
            ),
        ];
        let vpcs = [
            ("vpc-logged", ACCOUNT),
            ("vpc-bare", ACCOUNT),
            ("vpc-failing", ACCOUNT),
            ("vpc-accepted", ACCOUNT),
            ("vpc-shared", "210987654321"),
        ]
        .map(|(id, owner)| {
            vpc(&SdkVpc::builder()
                .vpc_id(id)
                .owner_id(owner)
                .is_default(false)
                .build())
        });
        let logs = [
            ("fl-1", "vpc-logged", "SUCCESS", TrafficType::Reject),
            ("fl-2", "vpc-failing", "FAILED", TrafficType::All),
            ("fl-3", "subnet-1", "SUCCESS", TrafficType::All),
            ("fl-4", "vpc-accepted", "SUCCESS", TrafficType::Accept),
        ]
        .map(|(id, resource, delivery, traffic)| {
            flow_log(
                &SdkFlowLog::builder()
                    .flow_log_id(id)
                    .resource_id(resource)
                    .flow_log_status("ACTIVE")
                    .deliver_logs_status(delivery)
                    .set_deliver_logs_error_message(
                        (delivery == "FAILED").then(|| "Access error".to_string()),
                    )
                    .traffic_type(traffic)
                    .build(),
            )
        });
        assert_eq!(logs[1].delivery_error.as_deref(), Some("Access error"));
        // What DescribeSnapshots OwnerIds=self RestorableByUserIds=all lists: the public ones.
        let snapshots = ["snap-public"].map(|id| {
            snapshot(
                &SdkSnapshot::builder()
                    .snapshot_id(id)
                    .encrypted(true)
                    .build(),
            )
        });
        let block_all = snapshot_block_public_access(
            &GetSnapshotBlockPublicAccessStateOutput::builder()
                .state(SnapshotBlockPublicAccessState::BlockAllSharing)
                .build(),
        );
        assert_eq!(block_all.as_deref(), Some("block-all-sharing"));
        let images = [("ami-private", false), ("ami-public", true)]
            .map(|(id, public)| image(&SdkImage::builder().image_id(id).public(public).build()));

        let account = || {
            let mut data = data();
            let ec2 = &mut data.region_mut(REGION).ec2;
            ec2.instances = ok(instances.clone());
            ec2.vpcs = ok(vpcs.to_vec());
            ec2.flow_logs = ok(logs.to_vec());
            // The sweeps' answers: this region's, and another enabled region that
            // could not be read.
            let public = PublicSnapshots {
                snapshots: snapshots.to_vec(),
                block_public_access: Some(Fetched::Ok(block_all.clone())),
            };
            data.global.ec2.public_snapshots_everywhere = ok([
                (REGION.to_string(), Fetched::Ok(public)),
                ("eu-west-3".to_string(), err("ec2", "DescribeSnapshots")),
            ]
            .into_iter()
            .collect());
            data.global.ec2.images_everywhere =
                ok([(REGION.to_string(), Fetched::Ok(images.to_vec()))]
                    .into_iter()
                    .collect());
            data
        };

        let observations = run(account(), true, imdsv2_required).await;
        assert_eq!(
            statuses_of(
                &observations,
                &["/i-v2", "/i-v1", "/i-off", "/i-unknown", "/i-stopped"]
            ),
            [Pass, Fail, Pass, Error, Fail]
        );
        assert_eq!(observations.len(), 5, "a stopped instance is judged");
        let observations = run(account(), true, vpc_flow_logs).await;
        assert_eq!(
            statuses_of(
                &observations,
                &[
                    "/vpc-logged",
                    "/vpc-bare",
                    "/vpc-failing",
                    "/vpc-accepted",
                    "/vpc-shared"
                ]
            ),
            [Pass, Fail, Fail, Fail, NotApplicable]
        );
        let observations = run(account(), false, no_public_snapshots).await;
        assert_eq!(
            statuses_of(&observations, &["/snap-public", ACCOUNT]),
            [Fail, Error]
        );
        assert!(
            observations.iter().any(|o| o
                .message
                .contains("block public access (block-all-sharing)")),
            "{observations:#?}"
        );
        let observations = run(account(), false, no_public_amis).await;
        assert_eq!(
            statuses_of(&observations, &["/ami-private", "/ami-public"]),
            [Pass, Fail]
        );

        let mut empty = data();
        empty.region_mut(REGION).ec2.instances = ok(vec![]);
        assert_eq!(
            statuses(&run(empty, true, imdsv2_required).await),
            [NotApplicable]
        );
        let mut denied = data();
        denied.global.ec2.images_everywhere = failed("ec2", "DescribeRegions");
        assert_eq!(statuses(&run(denied, false, no_public_amis).await), [Error]);
    }

    /// GetInstanceMetadataDefaults and DescribeLaunchTemplateVersions as the SDK gives
    /// them, through the conversions and the two checks reading them.
    #[tokio::test]
    async fn metadata_defaults_and_launch_template_versions_reach_the_right_verdicts() {
        use aws_sdk_ec2::types::{
            HttpTokensEnforcedState, HttpTokensState, InstanceMetadataDefaultsResponse,
            LaunchTemplateHttpTokensState, LaunchTemplateInstanceMetadataEndpointState,
            LaunchTemplateInstanceMetadataOptions, ManagedBy, ResponseLaunchTemplateData,
        };

        use crate::checks::ec2::{imdsv2_account_default, launch_template_imdsv2};
        use crate::checks::testing::{data, each, ok, run, statuses, statuses_of, REGION};
        use crate::finding::Status::{Fail, Pass};
        use crate::model::autoscaling::AutoScalingGroup;

        let defaults = |tokens: Option<HttpTokensState>| {
            instance_metadata_defaults(
                &GetInstanceMetadataDefaultsOutput::builder()
                    .account_level(
                        InstanceMetadataDefaultsResponse::builder()
                            .set_http_tokens(tokens)
                            .http_tokens_enforced(HttpTokensEnforcedState::Enabled)
                            .managed_by(ManagedBy::Account)
                            .build(),
                    )
                    .build(),
            )
        };
        let required = defaults(Some(HttpTokensState::Required));
        assert!(required.enforces_imdsv2());
        assert_eq!(required.managed_by.as_deref(), Some("account"));
        let unset =
            instance_metadata_defaults(&GetInstanceMetadataDefaultsOutput::builder().build());
        assert_eq!(unset, InstanceMetadataDefaults::default());

        let sdk_version =
            |number: i64,
             default: bool,
             metadata: Option<LaunchTemplateInstanceMetadataOptions>| {
                launch_template_version(
                    &SdkLaunchTemplateVersion::builder()
                        .launch_template_id("lt-web")
                        .launch_template_name("web")
                        .version_number(number)
                        .default_version(default)
                        .launch_template_data(
                            ResponseLaunchTemplateData::builder()
                                .image_id("ami-1")
                                .set_metadata_options(metadata)
                                .build(),
                        )
                        .build(),
                )
            };
        let versions = vec![
            sdk_version(
                1,
                true,
                Some(
                    LaunchTemplateInstanceMetadataOptions::builder()
                        .http_tokens(LaunchTemplateHttpTokensState::Required)
                        .http_endpoint(LaunchTemplateInstanceMetadataEndpointState::Enabled)
                        .build(),
                ),
            ),
            sdk_version(2, false, None),
        ];
        assert_eq!(versions[0].image_id.as_deref(), Some("ami-1"));
        assert!(versions[0].requires_imdsv2() && !versions[0].metadata_disabled());

        let account = |defaults: InstanceMetadataDefaults, version: &str| {
            let mut data = data();
            let region = data.region_mut(REGION);
            region.autoscaling.groups = ok(vec![AutoScalingGroup {
                name: "web-asg".into(),
                launch_template: Some(crate::model::autoscaling::LaunchTemplateRef {
                    id: Some("lt-web".into()),
                    version: Some(version.into()),
                    ..Default::default()
                }),
                ..Default::default()
            }]);
            region.ec2.launch_template_versions = each([("lt-web", versions.clone())]);
            region.ec2.instance_metadata_defaults = ok(defaults);
            data
        };
        assert_eq!(
            statuses(
                &run(
                    account(required.clone(), "$Default"),
                    true,
                    imdsv2_account_default
                )
                .await
            ),
            [Pass]
        );
        assert_eq!(
            statuses(
                &run(
                    account(unset.clone(), "$Default"),
                    true,
                    imdsv2_account_default
                )
                .await
            ),
            [Fail]
        );
        for (defaults, version, status) in [
            (required.clone(), "$Default", Pass),
            (unset.clone(), "$Default", Pass),
            (required, "$Latest", Pass),
            (unset, "2", Fail),
        ] {
            let found = run(account(defaults, version), true, launch_template_imdsv2).await;
            assert_eq!(
                statuses_of(&found, &["/lt-web"]),
                [status],
                "{version}: {found:#?}"
            );
        }
    }
}
