use aws_sdk_elasticloadbalancingv2::types::{ActionTypeEnum, LoadBalancerTypeEnum, ProtocolEnum};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An Application, Network or Gateway Load Balancer (DescribeLoadBalancers; its tags need
/// DescribeTags, which is not read: see `tagging.resources`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoadBalancer {
    /// LoadBalancerArn: the load balancer's ARN.
    pub arn: String,
    /// LoadBalancerName: its name, unique in the account and Region.
    pub name: String,
    /// Type: `application`, `network` or `gateway`.
    pub kind: String,
    /// Scheme: `internet-facing` or `internal`.
    pub scheme: String,
    /// AvailabilityZones' ZoneName: the zones it has nodes in.
    pub availability_zones: Vec<String>,
    /// VpcId: the VPC it is in.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// IpAddressType: `ipv4`, `dualstack` or `dualstack-without-public-ipv4`.
    #[serde(default)]
    pub ip_address_type: Option<String>,
    /// DNSName: the public DNS name clients connect to.
    #[serde(default)]
    pub dns_name: Option<String>,
    /// State.Code: `active`, `provisioning`, `active_impaired` or `failed`.
    #[serde(default)]
    pub state: Option<String>,
    /// CreatedTime: when it was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// SecurityGroups: the ids of its security groups (none on a Gateway Load Balancer, nor
    /// on a Network Load Balancer created without them).
    #[serde(default)]
    pub security_groups: Vec<String>,
}

impl LoadBalancer {
    pub fn is_gateway(&self) -> bool {
        LoadBalancerTypeEnum::from(self.kind.as_str()) == LoadBalancerTypeEnum::Gateway
    }

    pub fn is_network(&self) -> bool {
        LoadBalancerTypeEnum::from(self.kind.as_str()) == LoadBalancerTypeEnum::Network
    }
}

/// A listener and what it does with a request that no rule matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listener {
    /// ListenerArn: the listener's ARN.
    pub arn: String,
    /// Port: the port it listens on (none on a Gateway Load Balancer).
    pub port: Option<i32>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    /// SslPolicy: the security policy of an HTTPS or TLS listener.
    pub ssl_policy: Option<String>,
    /// DefaultActions: what it does with a request no rule matches.
    pub default_actions: Vec<ListenerAction>,
}

impl Listener {
    pub fn is_plain_http(&self) -> bool {
        ProtocolEnum::from(self.protocol.as_str()) == ProtocolEnum::Http
    }

    /// HTTPS and TLS listeners negotiate TLS with the client under their security policy.
    pub fn terminates_tls(&self) -> bool {
        matches!(
            ProtocolEnum::from(self.protocol.as_str()),
            ProtocolEnum::Https | ProtocolEnum::Tls
        )
    }
}

/// One action of a listener or rule: `forward`, `redirect`, `fixed-response`,
/// `authenticate-oidc`, `authenticate-cognito`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListenerAction {
    /// Type: `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    pub kind: String,
    /// A redirect's protocol: `HTTP`, `HTTPS` or `#{protocol}` (the request's own).
    #[serde(default)]
    pub redirect_protocol: Option<String>,
}

impl ListenerAction {
    /// Sends the request on over the same plain connection (anything but a redirect to
    /// HTTPS or a fixed response): what a plain-HTTP listener must not do.
    pub fn serves_plaintext(&self) -> bool {
        match ActionTypeEnum::from(self.kind.as_str()) {
            ActionTypeEnum::Redirect => {
                self.redirect_protocol.as_deref() != Some(ProtocolEnum::Https.as_str())
            }
            ActionTypeEnum::FixedResponse => false,
            _ => true,
        }
    }
}

/// A rule of a listener beyond its default action (DescribeRules).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListenerRule {
    /// RuleArn: the rule's ARN.
    pub arn: String,
    /// Priority: its place among the listener's rules (`default` for the default rule).
    pub priority: String,
    /// Actions: what it does with a request it matches.
    pub actions: Vec<ListenerAction>,
}

/// A security policy and the TLS versions it accepts (DescribeSSLPolicies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SslPolicy {
    /// Name: e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`.
    pub name: String,
    /// `TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3` (and `SSLv3` in the oldest policies).
    pub protocols: Vec<String>,
}

impl SslPolicy {
    /// The protocols it accepts below TLS 1.2.
    pub fn legacy_protocols(&self) -> Vec<&str> {
        self.protocols
            .iter()
            .map(String::as_str)
            .filter(|p| matches!(*p, "SSLv3" | "TLSv1" | "TLSv1.1"))
            .collect()
    }
}
