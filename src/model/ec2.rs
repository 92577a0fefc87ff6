use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: Option<String>,
    pub ingress: Vec<IngressRule>,
}

/// One inbound permission: a protocol, a port range and where it is open to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp`, a protocol number, or `-1` for all.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    pub prefix_lists: Vec<String>,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    /// Associated with the VPC as its main table, or with some subnet.
    pub associated: bool,
    /// A route whose target is an internet gateway (`igw-...`): a public table.
    pub internet_gateway_route: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VpcEndpoint {
    pub id: String,
    pub vpc_id: String,
    pub service_name: String,
    /// `Gateway`, `Interface`, ...
    pub endpoint_type: String,
    pub state: Option<String>,
    pub route_table_ids: Vec<String>,
}
