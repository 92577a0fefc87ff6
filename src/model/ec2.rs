use aws_sdk_ec2::types::{
    HttpTokensEnforcedState, HttpTokensState, InstanceMetadataEndpointState, InstanceStateName,
    LaunchTemplateHttpTokensState, LaunchTemplateInstanceMetadataEndpointState, PermissionGroup,
    SnapshotBlockPublicAccessState, TrafficType,
};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A security group as DescribeSecurityGroups returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SecurityGroup {
    /// GroupId: the group's id, e.g. `sg-0123456789abcdef0`.
    pub id: String,
    /// GroupName: the group's name (`default` for a VPC's default group).
    pub name: String,
    /// VpcId: the VPC the group belongs to.
    pub vpc_id: Option<String>,
    /// IpPermissions: the inbound rules.
    pub ingress: Vec<IngressRule>,
    /// SecurityGroupArn: the group's ARN; empty in snapshots taken before it was read.
    #[serde(default)]
    pub arn: String,
    /// Description: the group's description, as given when it was created.
    #[serde(default)]
    pub description: Option<String>,
    /// OwnerId: the account that owns the group.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// IpPermissionsEgress: the outbound rules (ranges and groups are destinations).
    #[serde(default)]
    pub egress: Vec<IngressRule>,
    /// Tags: the group's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// One permission of a security group (IpPermission): a protocol, a port range and the
/// addresses, prefix lists and groups it names (sources inbound, destinations outbound).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IngressRule {
    /// IpProtocol: `tcp`, `udp`, `icmp`, a protocol number, or `-1` for all.
    pub protocol: String,
    /// FromPort: the start of the port range (the ICMP type for ICMP; -1: all).
    pub from_port: Option<i32>,
    /// ToPort: the end of the port range (the ICMP code for ICMP; -1: all).
    pub to_port: Option<i32>,
    /// IpRanges' CidrIp: IPv4 ranges, e.g. `10.0.0.0/8`.
    pub ipv4_ranges: Vec<String>,
    /// Ipv6Ranges' CidrIpv6: IPv6 ranges, e.g. `::/0`.
    pub ipv6_ranges: Vec<String>,
    /// PrefixListIds: managed prefix list ids, e.g. `pl-63a5400a`.
    pub prefix_lists: Vec<String>,
    /// UserIdGroupPairs' GroupId: the security groups named by the rule.
    pub source_groups: Vec<String>,
}

impl IngressRule {
    /// Whether the rule lets traffic reach `port` (all protocols, or TCP/UDP ranges).
    pub fn covers_port(&self, port: u16) -> bool {
        let port = i32::from(port);
        match self.protocol.as_str() {
            "-1" | "all" => true,
            "tcp" | "udp" | "6" | "17" => match (self.from_port, self.to_port) {
                (Some(from), Some(to)) if from == -1 && to == -1 => true,
                (Some(from), Some(to)) => from <= port && port <= to,
                _ => true,
            },
            _ => false,
        }
    }

    /// The ranges of the whole internet this rule is open to.
    pub fn open_to_world(&self) -> Vec<&str> {
        self.ipv4_ranges
            .iter()
            .chain(&self.ipv6_ranges)
            .filter(|r| is_world(r))
            .map(String::as_str)
            .collect()
    }
}

/// 0.0.0.0/0 or ::/0: every address.
pub fn is_world(cidr: &str) -> bool {
    matches!(cidr, "0.0.0.0/0" | "::/0")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RouteTable {
    /// RouteTableId: the table's id (`rtb-...`).
    pub id: String,
    /// VpcId: the VPC the table belongs to.
    pub vpc_id: String,
    /// The VPC's main table: it serves every subnet that has no table of its own.
    #[serde(default)]
    pub main: bool,
    /// The subnets explicitly associated with it.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// A route whose target is an internet gateway (`igw-...`): a public table.
    pub internet_gateway_route: bool,
}

/// A subnet (DescribeSubnets): which VPC it is in, and so which main table may serve it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Subnet {
    /// SubnetId: the subnet's id (`subnet-...`).
    pub id: String,
    /// VpcId: the VPC the subnet is in.
    pub vpc_id: String,
    /// AvailabilityZone: the zone the subnet is in, e.g. `us-east-1a`.
    pub availability_zone: Option<String>,
    /// CidrBlock: the subnet's IPv4 range; `None` for an IPv6-only subnet.
    pub cidr_block: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VpcEndpoint {
    /// VpcEndpointId: the endpoint's id (`vpce-...`).
    pub id: String,
    /// VpcId: the VPC the endpoint serves.
    pub vpc_id: String,
    /// ServiceName: the AWS service it reaches, e.g. `com.amazonaws.us-east-1.s3`.
    pub service_name: String,
    /// `Gateway`, `Interface`, ...
    pub endpoint_type: String,
    /// State: `available`, `pending`, `deleting`, `failed`, ... (`None` where the answer omits it).
    pub state: Option<String>,
    /// RouteTableIds: the route tables a gateway endpoint adds its routes to.
    pub route_table_ids: Vec<String>,
}

/// An EC2 instance as DescribeInstances returns it. Its user data is never read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Instance {
    /// InstanceId: the instance's id, e.g. `i-0123456789abcdef0`.
    pub id: String,
    /// State.Name: `pending`, `running`, `stopping`, `stopped`, `shutting-down`,
    /// `terminated`.
    pub state: String,
    /// MetadataOptions.HttpTokens: `required` (IMDSv2 only) or `optional` (IMDSv1
    /// answers too).
    pub http_tokens: Option<String>,
    /// MetadataOptions.HttpEndpoint: `enabled` or `disabled` (no metadata service at all).
    pub http_endpoint: Option<String>,
    /// The instance's ARN, `arn:PARTITION:ec2:REGION:OWNER:instance/ID` (DescribeInstances
    /// names none: built from the reservation's OwnerId); empty in older snapshots.
    #[serde(default)]
    pub arn: String,
    /// InstanceType: e.g. `m7g.large` (family `m7g`, size `large`).
    #[serde(default)]
    pub instance_type: Option<String>,
    /// ImageId: the AMI it was launched from.
    #[serde(default)]
    pub image_id: Option<String>,
    /// LaunchTime: when it was last launched (started).
    #[serde(default)]
    pub launch_time: Option<DateTime<Utc>>,
    /// Placement.AvailabilityZone: e.g. `us-east-1a`.
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// SubnetId: the subnet of its primary network interface.
    #[serde(default)]
    pub subnet_id: Option<String>,
    /// VpcId: the VPC it runs in.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// PrivateIpAddress: the primary private IPv4 address.
    #[serde(default)]
    pub private_ip: Option<String>,
    /// PublicIpAddress: the public IPv4 address, if it has one.
    #[serde(default)]
    pub public_ip: Option<String>,
    /// NetworkInterfaces[].Ipv6Addresses: every IPv6 address of its interfaces.
    #[serde(default)]
    pub ipv6_addresses: Vec<String>,
    /// IamInstanceProfile.Arn: the instance profile whose role it runs as.
    #[serde(default)]
    pub iam_instance_profile_arn: Option<String>,
    /// PlatformDetails: the operating system billing platform, e.g. `Linux/UNIX`,
    /// `Windows`, `Red Hat Enterprise Linux`.
    #[serde(default)]
    pub platform_details: Option<String>,
    /// Architecture: `x86_64`, `arm64`, `i386`, `x86_64_mac` or `arm64_mac`.
    #[serde(default)]
    pub architecture: Option<String>,
    /// SecurityGroups[].GroupId: the security groups of its primary network interface.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Tags: the instance's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl Instance {
    pub fn is_running(&self) -> bool {
        InstanceStateName::from(self.state.as_str()) == InstanceStateName::Running
    }

    /// Whether the instance keeps its metadata options for a next start: every state
    /// but `shutting-down` and `terminated` (gone, whatever they said).
    pub fn is_kept(&self) -> bool {
        !matches!(
            InstanceStateName::from(self.state.as_str()),
            InstanceStateName::ShuttingDown | InstanceStateName::Terminated
        )
    }

    pub fn requires_imdsv2(&self) -> bool {
        self.http_tokens.as_deref().map(HttpTokensState::from) == Some(HttpTokensState::Required)
    }

    pub fn metadata_disabled(&self) -> bool {
        self.http_endpoint
            .as_deref()
            .map(InstanceMetadataEndpointState::from)
            == Some(InstanceMetadataEndpointState::Disabled)
    }
}

/// One version of a launch template (DescribeLaunchTemplateVersions): what it sets of
/// the instance metadata options its instances start with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LaunchTemplateVersion {
    /// LaunchTemplateId: e.g. `lt-0123456789abcdef0`.
    pub template_id: String,
    /// LaunchTemplateName: the template's name.
    pub template_name: String,
    /// VersionNumber: the version's number (`None` where the answer omits it).
    pub version: Option<i64>,
    /// DefaultVersion: whether this is the template's default version.
    pub default_version: bool,
    /// LaunchTemplateData.MetadataOptions.HttpTokens: `required`, `optional`, or `None`
    /// when the version does not set it (the account default, then the AMI, decide).
    pub http_tokens: Option<String>,
    /// LaunchTemplateData.MetadataOptions.HttpEndpoint: `enabled` or `disabled`
    /// (`None`: not set, the metadata service is on).
    pub http_endpoint: Option<String>,
    /// LaunchTemplateData.ImageId: the AMI (or the Systems Manager parameter) it launches.
    #[serde(default)]
    pub image_id: Option<String>,
}

impl LaunchTemplateVersion {
    pub fn requires_imdsv2(&self) -> bool {
        self.http_tokens
            .as_deref()
            .map(LaunchTemplateHttpTokensState::from)
            == Some(LaunchTemplateHttpTokensState::Required)
    }

    pub fn metadata_disabled(&self) -> bool {
        self.http_endpoint
            .as_deref()
            .map(LaunchTemplateInstanceMetadataEndpointState::from)
            == Some(LaunchTemplateInstanceMetadataEndpointState::Disabled)
    }
}

/// The version of a template `spec` names, as an Auto Scaling group names it: a number,
/// `$Latest` or `$Default`; `None` when `versions` (the answer) does not hold it.
pub fn launched_version<'a>(
    versions: &'a [LaunchTemplateVersion],
    spec: &str,
) -> Option<&'a LaunchTemplateVersion> {
    match spec {
        "$Default" => versions.iter().find(|v| v.default_version),
        "$Latest" => versions
            .iter()
            .filter(|v| v.version.is_some())
            .max_by_key(|v| v.version),
        number => {
            let number: i64 = number.parse().ok()?;
            versions.iter().find(|v| v.version == Some(number))
        }
    }
}

/// The region's account-level instance metadata defaults (GetInstanceMetadataDefaults
/// AccountLevel): what a new instance gets where its launch parameters and launch
/// template set nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InstanceMetadataDefaults {
    /// HttpTokens: `required`, `optional`, or `None` (no preference: the AMI's
    /// ImdsSupport decides, else `optional`).
    pub http_tokens: Option<String>,
    /// HttpEndpoint: `enabled`, `disabled`, or `None` (no preference).
    pub http_endpoint: Option<String>,
    /// HttpTokensEnforced: `enabled` refuses to launch an instance whose HttpTokens is
    /// not `required`; `disabled` or `None` does not.
    pub http_tokens_enforced: Option<String>,
    /// ManagedBy: `account`, or `declarative-policy` (an Organizations declarative
    /// policy sets these and the account cannot change them).
    pub managed_by: Option<String>,
}

impl InstanceMetadataDefaults {
    pub fn requires_imdsv2(&self) -> bool {
        self.http_tokens.as_deref().map(HttpTokensState::from) == Some(HttpTokensState::Required)
    }

    pub fn metadata_disabled(&self) -> bool {
        self.http_endpoint
            .as_deref()
            .map(InstanceMetadataEndpointState::from)
            == Some(InstanceMetadataEndpointState::Disabled)
    }

    pub fn enforces_imdsv2(&self) -> bool {
        self.http_tokens_enforced
            .as_deref()
            .map(HttpTokensEnforcedState::from)
            == Some(HttpTokensEnforcedState::Enabled)
    }

    /// What the default says of HttpTokens, for a message: "HttpTokens optional", or
    /// "no preference" where it sets none.
    pub fn http_tokens_in_words(&self) -> String {
        self.http_tokens
            .as_deref()
            .map_or("no preference".to_string(), |t| format!("HttpTokens {t}"))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Vpc {
    /// VpcId: the VPC's id (`vpc-...`).
    pub id: String,
    /// IsDefault: the region's default VPC, which AWS creates in every account.
    pub is_default: bool,
    /// The account that owns it: another one for a VPC shared in with RAM.
    #[serde(default)]
    pub owner_id: Option<String>,
}

impl Vpc {
    /// The account that owns it: `account` (the audited one) when the answer names none.
    pub fn owner<'a>(&'a self, account: &'a str) -> &'a str {
        self.owner_id.as_deref().unwrap_or(account)
    }

    /// Whether it is `account`'s own default VPC (not one shared in with RAM).
    pub fn is_own_default(&self, account: &str) -> bool {
        self.is_default && self.owner(account) == account
    }
}

/// A flow log (DescribeFlowLogs) and the VPC, subnet or interface it records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FlowLog {
    /// FlowLogId: the flow log's id (`fl-...`).
    pub id: String,
    /// ResourceId: the VPC, subnet or network interface it records.
    pub resource_id: String,
    /// `ACTIVE` is the only status AWS documents.
    pub status: Option<String>,
    /// `SUCCESS` or `FAILED` (delivery to the destination fails).
    pub delivery_status: Option<String>,
    /// Why delivery fails: `Rate limited`, `Access error`, `Unknown error`.
    #[serde(default)]
    pub delivery_error: Option<String>,
    /// `ALL`, `ACCEPT` or `REJECT`: the traffic it records.
    #[serde(default)]
    pub traffic_type: Option<String>,
}

/// Whether a flow log records what an investigation needs, as far as its answer tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowLogRecording {
    /// Active, delivering, and recording rejected traffic (`ALL` or `REJECT`).
    Rejected,
    /// Not recording it, and why.
    No(String),
    /// The answer lacks what would tell, and what.
    Unknown(String),
}

impl FlowLog {
    /// Why it is not active and delivering, if it is not.
    fn inactive(&self) -> Option<FlowLogRecording> {
        use FlowLogRecording::{No, Unknown};
        let id = &self.id;
        match self.status.as_deref() {
            None => return Some(Unknown(format!("flow log {id} has no FlowLogStatus"))),
            Some("ACTIVE") => {}
            Some(other) => return Some(No(format!("flow log {id} is {other}, not ACTIVE"))),
        }
        (self.delivery_status.as_deref() == Some("FAILED")).then(|| {
            No(format!(
                "flow log {id} fails to deliver ({})",
                self.delivery_error.as_deref().unwrap_or("no reason given")
            ))
        })
    }

    pub fn recording(&self) -> FlowLogRecording {
        use FlowLogRecording::{No, Rejected, Unknown};
        if let Some(inactive) = self.inactive() {
            return inactive;
        }
        let id = &self.id;
        match self.traffic_type.as_deref().map(TrafficType::from) {
            None => Unknown(format!("flow log {id} has no TrafficType")),
            Some(TrafficType::All | TrafficType::Reject) => Rejected,
            Some(TrafficType::Accept) => No(format!("flow log {id} records ACCEPT traffic only")),
            Some(other) => No(format!("flow log {id} records {} traffic", other.as_str())),
        }
    }
}

/// An EBS snapshot the account owns, and who may create volumes from it
/// (DescribeSnapshotAttribute `createVolumePermission`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Snapshot {
    /// SnapshotId: the snapshot's id (`snap-...`).
    pub id: String,
    /// VolumeId: the volume it was taken from (`None` for a copied snapshot).
    pub volume_id: Option<String>,
    /// Encrypted: whether the snapshot is encrypted.
    pub encrypted: bool,
}

/// One enabled region's public EBS snapshots: DescribeSnapshots `OwnerIds=self`,
/// `RestorableByUserIds=all` (the account's snapshots every AWS account may create a
/// volume from), and the region's block public access, read only where one is public.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicSnapshots {
    /// The account's snapshots shared with the group `all` in the region.
    pub snapshots: Vec<Snapshot>,
    /// GetSnapshotBlockPublicAccessState's state (`None` in the answer: no state
    /// given); absent when no snapshot is public, an error when it could not be read.
    #[serde(default)]
    pub block_public_access: Option<crate::fetched::Fetched<Option<String>>>,
}

/// Who may create volumes from a snapshot: the group `all` (public) and account ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreateVolumePermissions {
    /// CreateVolumePermissions[].Group: `all` makes the snapshot public.
    pub groups: Vec<String>,
    /// CreateVolumePermissions[].UserId: the accounts it is shared with.
    pub accounts: Vec<String>,
}

/// The region's snapshot block public access state (GetSnapshotBlockPublicAccessState):
/// `block-all-sharing`, `block-new-sharing` or `unblocked`.
pub fn blocks_all_sharing(state: &str) -> bool {
    SnapshotBlockPublicAccessState::from(state) == SnapshotBlockPublicAccessState::BlockAllSharing
}

impl CreateVolumePermissions {
    pub fn is_public(&self) -> bool {
        self.groups
            .iter()
            .any(|g| PermissionGroup::from(g.as_str()) == PermissionGroup::All)
    }
}

/// An AMI the account owns (DescribeImages `Owners=self`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Image {
    /// ImageId: the AMI's id (`ami-...`).
    pub id: String,
    /// Name: the AMI's name, where it has one.
    pub name: Option<String>,
    /// The launch permission group `all`: anyone may launch it.
    pub public: bool,
}
