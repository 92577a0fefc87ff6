//! Classic Load Balancers (the Elastic Load Balancing API of 2012-06-01, which the v2 API
//! does not list).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The front-end protocols a Classic Load Balancer listener may use. The API has no enum
/// for them (`Protocol` is a plain string documented as `HTTP`, `HTTPS`, `TCP` or `SSL`,
/// https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_Listener.html),
/// so each is one constant here.
pub mod protocol {
    pub const HTTP: &str = "HTTP";
    pub const HTTPS: &str = "HTTPS";
    pub const TCP: &str = "TCP";
    pub const SSL: &str = "SSL";
}

/// A Classic Load Balancer (DescribeLoadBalancers; its tags need DescribeTags, 20 names a
/// call, which is not read: see `tagging.resources`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassicLoadBalancer {
    /// Its ARN. DescribeLoadBalancers names none: it is built from the name as AWS documents
    /// it, `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME`.
    pub arn: String,
    /// LoadBalancerName: its name, unique in the account and Region.
    pub name: String,
    /// DNSName: the DNS name clients connect to.
    #[serde(default)]
    pub dns_name: Option<String>,
    /// Scheme: `internet-facing` or `internal`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// AvailabilityZones: the zones it has nodes in.
    pub availability_zones: Vec<String>,
    /// Subnets: the subnets it has nodes in, one per zone (in a VPC).
    #[serde(default)]
    pub subnets: Vec<String>,
    /// VPCId: the VPC it is in.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// ListenerDescriptions: its listeners.
    pub listeners: Vec<ClassicListener>,
    /// SecurityGroups: the ids of its security groups (in a VPC).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// CreatedTime: when it was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
}

/// One listener of a Classic Load Balancer: what clients connect with, and what it sends
/// on to the instances.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassicListener {
    /// Protocol: the front-end protocol, `HTTP`, `HTTPS`, `TCP` or `SSL`.
    pub protocol: String,
    /// LoadBalancerPort: the port clients connect to.
    pub port: i32,
    /// InstanceProtocol: the back-end protocol, `HTTP`, `HTTPS`, `TCP` or `SSL`.
    #[serde(default)]
    pub instance_protocol: Option<String>,
    /// InstancePort: the port the instances listen on.
    #[serde(default)]
    pub instance_port: Option<i32>,
    /// SSLCertificateId: the ARN of the server certificate (ACM or IAM) of an HTTPS or SSL
    /// listener.
    #[serde(default)]
    pub ssl_certificate_id: Option<String>,
    /// PolicyNames: the policies the listener uses (an HTTPS or SSL listener's SSL
    /// negotiation policy among them).
    #[serde(default)]
    pub policy_names: Vec<String>,
}

impl ClassicListener {
    /// Clients connect over TLS (HTTPS or SSL): what FSBP ELB.3 asks of every listener.
    pub fn terminates_tls(&self) -> bool {
        [protocol::HTTPS, protocol::SSL].contains(&self.protocol.as_str())
    }
}

/// What DescribeLoadBalancerAttributes says of a Classic Load Balancer (none has deletion
/// protection: the API has no such attribute).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassicAttributes {
    /// AccessLog: whether and where it writes access logs (none when the answer omits it).
    #[serde(default)]
    pub access_log: Option<ClassicAccessLog>,
    /// CrossZoneLoadBalancing.Enabled: each node routes across every zone's instances.
    #[serde(default)]
    pub cross_zone: Option<bool>,
    /// ConnectionDraining.Enabled: in-flight requests finish before an instance leaves.
    #[serde(default)]
    pub connection_draining: Option<bool>,
    /// ConnectionDraining.Timeout: how long draining waits, in seconds.
    #[serde(default)]
    pub connection_draining_timeout: Option<i32>,
    /// ConnectionSettings.IdleTimeout: seconds a connection may stay idle.
    #[serde(default)]
    pub idle_timeout: Option<i32>,
    /// AdditionalAttributes (key -> value), e.g. `elb.http.desyncmitigationmode`.
    #[serde(default)]
    pub additional: std::collections::BTreeMap<String, String>,
}

/// A Classic Load Balancer's access log setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassicAccessLog {
    /// Enabled: whether it writes access logs.
    pub enabled: bool,
    /// S3BucketName: the bucket they go to.
    #[serde(default)]
    pub bucket: Option<String>,
    /// S3BucketPrefix: the key prefix in that bucket.
    #[serde(default)]
    pub prefix: Option<String>,
    /// EmitInterval: minutes between log files, 5 or 60.
    #[serde(default)]
    pub emit_interval: Option<i32>,
}
