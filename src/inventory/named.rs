//! Every piece of inventory by name (`rds.instances`), for what reads pieces by name
//! rather than through their typed accessors: users' policies and `orr inventory show`.
//! Each service's `accessors!` block lists its own pieces, so a piece cannot be added
//! without being named here too.

use std::collections::BTreeMap;

use futures::future::BoxFuture;
use serde::Serialize;

use super::{regorus_value, Fetched, Inventory, PerResource};
use crate::fetched::FetchError;
use crate::scope::Scope;

/// Reads one piece (in `region`, for a regional one) in the snapshot's serde form.
pub type ReadByName = for<'a> fn(&'a Inventory, &'a str) -> BoxFuture<'a, PieceRead>;

/// Reads one piece (in `region`, for a regional one) and keeps it, for what needs it
/// later: the runner starts every declared read at once.
pub type Warm = for<'a> fn(&'a Inventory, &'a str) -> BoxFuture<'a, ()>;

pub struct Piece {
    /// `service.field`, as in snapshots.
    pub name: &'static str,
    /// The typed accessor that reads it (`rds_instances`).
    pub accessor: &'static str,
    pub scope: Scope,
    /// The IAM actions of its own read, in the order it calls them.
    pub own_actions: &'static [&'static str],
    /// The accessors of the pieces its read reads first.
    pub after: &'static [&'static str],
    /// The JSON Schema of its value in one region (or for the account), as a policy
    /// reads it: `{"ok": VALUE}` or `{"error": {...}}`.
    pub schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    pub read: ReadByName,
    pub warm: Warm,
}

impl Piece {
    /// The IAM actions its read needs, those of the pieces it reads first included,
    /// sorted and once each.
    pub fn actions(&'static self) -> Vec<&'static str> {
        let mut actions = Vec::new();
        self.visit(&mut |piece| actions.extend_from_slice(piece.own_actions));
        actions.sort_unstable();
        actions.dedup();
        actions
    }

    /// The pieces its read reads first, and theirs, by name, itself included.
    pub fn with_reads_first(&'static self) -> Vec<&'static str> {
        let mut names = Vec::new();
        self.visit(&mut |piece| names.push(piece.name));
        names.sort_unstable();
        names.dedup();
        names
    }

    fn visit(&'static self, each: &mut impl FnMut(&'static Piece)) {
        each(self);
        for accessor in self.after {
            by_accessor(accessor).visit(each);
        }
    }

    /// How many calls must come one after another before its last one can be made: the
    /// credential check, the calls of the pieces it reads first, its own in order.
    pub fn depth(&self) -> usize {
        self.start() + self.own_actions.len()
    }

    fn start(&self) -> usize {
        self.after
            .iter()
            .map(|accessor| by_accessor(accessor).depth())
            .max()
            .unwrap_or(1)
    }

    /// The depth of one of its calls (its IAM action), if it makes it.
    pub fn depth_of(&self, action: &str) -> Option<usize> {
        let at = self.own_actions.iter().position(|own| *own == action)?;
        Some(self.start() + at + 1)
    }
}

pub fn schema_of<T: schemars::JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
) -> schemars::Schema {
    generator.subschema_for::<Fetched<T>>()
}

/// What `orr inventory show PIECE` prints: the piece as a policy reads it, for the
/// account, or by region for a regional piece.
pub async fn shown(piece: &'static Piece, inventory: &Inventory) -> serde_json::Value {
    match piece.scope {
        Scope::Global => (piece.read)(inventory, inventory.home_region())
            .await
            .json(),
        Scope::Regional => {
            let mut by_region = serde_json::Map::new();
            for region in inventory.regions() {
                let read = (piece.read)(inventory, region).await;
                by_region.insert(region.clone(), read.json());
            }
            serde_json::Value::Object(by_region)
        }
    }
}

/// The JSON Schema of what `orr inventory show PIECE` prints: the piece's value for the
/// account, or by region for a regional piece.
pub fn piece_schema(piece: &'static Piece) -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let value = (piece.schema)(&mut generator);
    let mut root = match piece.scope {
        Scope::Global => serde_json::json!({ "allOf": [value] }),
        Scope::Regional => serde_json::json!({
            "type": "object",
            "description": "The piece in each audited region, by region name.",
            "additionalProperties": value,
        }),
    };
    finish(&mut root, piece.name, generator);
    root
}

/// The JSON Schema of a regional policy's input: the run's facts and every piece at
/// `input.SERVICE.FIELD`, as read in one region (account-wide pieces as they are).
pub fn input_schema() -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut services: BTreeMap<&str, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    for piece in all() {
        let (service, field) = piece
            .name
            .split_once('.')
            .expect("pieces are service.field");
        let schema = (piece.schema)(&mut generator);
        services.entry(service).or_default().insert(
            field.to_string(),
            serde_json::to_value(schema).expect("a schema is JSON"),
        );
    }
    let mut properties = serde_json::json!({
        "account_id": { "type": "string", "description": "The audited account's 12-digit id." },
        "region": { "type": "string", "description": "The region this evaluation is for (a regional policy runs once per audited region)." },
        "collected_at": { "type": "string", "format": "date-time", "description": "When the inventory was read: the moment age-based rules measure from." },
        "thresholds": { "type": "object", "description": "The policy's thresholds: its TOML's defaults, overridden by orr.toml's [thresholds]." },
    });
    for (service, fields) in services {
        properties[service] = serde_json::json!({
            "type": "object",
            "description": format!("The {service} pieces the policy declares in `inputs`."),
            "properties": fields,
        });
    }
    let mut root = serde_json::json!({ "type": "object", "properties": properties });
    finish(&mut root, "policy input", generator);
    root
}

fn finish(root: &mut serde_json::Value, title: &str, mut generator: schemars::SchemaGenerator) {
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
    root["title"] = title.into();
    let definitions = generator.take_definitions(true);
    if !definitions.is_empty() {
        root["$defs"] = serde_json::Value::Object(definitions);
    }
}

/// The operation whose answer a piece holds: the last one its read calls.
pub const fn answering(operations: &[&'static str]) -> &'static str {
    operations[operations.len() - 1]
}

fn by_accessor(accessor: &str) -> &'static Piece {
    all().find(|piece| piece.accessor == accessor).expect(
        "`after` and `each` name accessors of the same declarations, which the compiler checks",
    )
}

/// The row of one `accessors!` entry: `piece!(regional rds_parameters, rds.parameters,
/// "rds" ["DescribeDBParameters"] [] [rds_instances])`, the third list the actions
/// when they are not `prefix:Operation`.
macro_rules! piece {
    (global $name:ident: $ty:ty, $service:ident.$field:ident, $($rest:tt)*) => {
        crate::inventory::named::piece!(@row Global, $name: $ty, $service.$field, $($rest)*,
            |inventory, _region| inventory.$name())
    };
    (regional $name:ident: $ty:ty, $service:ident.$field:ident, $($rest:tt)*) => {
        crate::inventory::named::piece!(@row Regional, $name: $ty, $service.$field, $($rest)*,
            |inventory, region| inventory.$name(region))
    };
    (@actions $iam:literal [$($operation:literal)+] []) => {
        &[$(concat!($iam, ":", $operation)),+]
    };
    (@actions $iam:literal [$($operation:literal)+] [$($grant:literal)+]) => {
        &[$($grant),+]
    };
    (@row $scope:ident, $name:ident: $ty:ty, $service:ident.$field:ident,
     $iam:literal [$($operation:literal)+] [$($grant:literal)*] [$($after:ident)*],
     |$inventory:ident, $region:ident| $read:expr) => {
        crate::inventory::named::Piece {
            name: concat!(stringify!($service), ".", stringify!($field)),
            accessor: stringify!($name),
            scope: crate::scope::Scope::$scope,
            own_actions: crate::inventory::named::piece!(@actions $iam [$($operation)+] [$($grant)*]),
            after: &[$(stringify!($after)),*],
            schema: crate::inventory::named::schema_of::<$ty>,
            read: {
                fn read<'a>(
                    $inventory: &'a crate::inventory::Inventory,
                    $region: &'a str,
                ) -> futures::future::BoxFuture<'a, crate::inventory::named::PieceRead> {
                    Box::pin(async move { crate::inventory::named::PieceRead::of($read.await) })
                }
                read
            },
            warm: {
                fn warm<'a>(
                    $inventory: &'a crate::inventory::Inventory,
                    $region: &'a str,
                ) -> futures::future::BoxFuture<'a, ()> {
                    Box::pin(async move {
                        $read.await;
                    })
                }
                warm
            },
        }
    };
}
pub(crate) use piece;

/// Each service's pieces. A test holds this list to the snapshot's services.
const SERVICES: &[&[Piece]] = &[
    super::acm::PIECES,
    super::autoscaling::PIECES,
    super::backup::PIECES,
    super::budgets::PIECES,
    super::ce::PIECES,
    super::cloudtrail::PIECES,
    super::cloudwatch::PIECES,
    super::config::PIECES,
    super::dynamodb::PIECES,
    super::ec2::PIECES,
    super::ecs::PIECES,
    super::elasticache::PIECES,
    super::elb::PIECES,
    super::elbv2::PIECES,
    super::eventbridge::PIECES,
    super::fis::PIECES,
    super::guardduty::PIECES,
    super::health::PIECES,
    super::iam::PIECES,
    super::kms::PIECES,
    super::lambda::PIECES,
    super::logs::PIECES,
    super::organizations::PIECES,
    super::pipes::PIECES,
    super::rds::PIECES,
    super::s3::PIECES,
    super::scheduler::PIECES,
    super::secretsmanager::PIECES,
    super::securityhub::PIECES,
    super::sns::PIECES,
    super::sqs::PIECES,
    super::synthetics::PIECES,
    super::tagging::PIECES,
];

pub fn all() -> impl Iterator<Item = &'static Piece> {
    SERVICES.iter().flat_map(|pieces| pieces.iter())
}

pub fn find(name: &str) -> Option<&'static Piece> {
    all().find(|piece| piece.name == name)
}

/// The IAM actions the reads of `inputs` need, sorted and once each; an unknown piece
/// is an error naming it.
pub fn actions_of(inputs: &[String]) -> Result<Vec<String>, String> {
    let mut actions = Vec::new();
    for name in inputs {
        let piece = find(name).ok_or_else(|| unknown(name))?;
        actions.extend(piece.actions().into_iter().map(str::to_string));
    }
    actions.sort();
    actions.dedup();
    Ok(actions)
}

/// An unknown piece name as an error that lists the known ones.
pub fn unknown(name: &str) -> String {
    let names: Vec<&str> = all().map(|p| p.name).collect();
    let close = names
        .iter()
        .filter(|known| strsim::jaro_winkler(known, name) > 0.85)
        .map(|known| format!(" (did you mean {known}?)"))
        .next()
        .unwrap_or_default();
    format!(
        "unknown inventory piece '{name}'{close}; known pieces: {}",
        names.join(", ")
    )
}

/// One piece as read: its value in the snapshot's form (`{"ok": ...}` or
/// `{"error": {...}}`) as regorus holds it, for a policy's input, and the failures a
/// reader by name has to report itself.
pub struct PieceRead {
    pub value: regorus::Value,
    /// Why the whole piece is unknown.
    pub error: Option<FetchError>,
    /// The resources of a per-resource piece whose own read failed, by key.
    pub failed_entries: Vec<(String, FetchError)>,
}

impl PieceRead {
    pub fn of<T: PieceValue>(fetched: &Fetched<T>) -> PieceRead {
        let value = match regorus_value::of(fetched) {
            Ok(value) => value,
            Err(error) => {
                let error = FetchError::new(
                    "inventory",
                    "serialize",
                    None,
                    "Unserializable",
                    error.to_string(),
                );
                return PieceRead {
                    value: regorus_value::of(&Fetched::<()>::Error(error.clone()))
                        .unwrap_or(regorus::Value::Null),
                    error: Some(error),
                    failed_entries: Vec::new(),
                };
            }
        };
        match fetched {
            Fetched::Ok(piece) => PieceRead {
                value,
                error: None,
                failed_entries: piece.failed_entries(),
            },
            Fetched::Error(error) => PieceRead {
                value,
                error: Some(error.clone()),
                failed_entries: Vec::new(),
            },
        }
    }

    /// Its value as JSON, for `orr inventory show`.
    fn json(&self) -> serde_json::Value {
        serde_json::to_value(&self.value).unwrap_or(serde_json::Value::Null)
    }
}

/// A piece's value as readers by name see it: serializable, and saying which of its
/// resources could not be read.
pub trait PieceValue: Serialize {
    fn failed_entries(&self) -> Vec<(String, FetchError)> {
        Vec::new()
    }
}

impl<T: Serialize> PieceValue for PerResource<T> {
    fn failed_entries(&self) -> Vec<(String, FetchError)> {
        self.iter()
            .filter_map(|(key, entry)| match entry {
                Fetched::Error(error) => Some((key.clone(), error.clone())),
                Fetched::Ok(_) => None,
            })
            .collect()
    }
}

impl<T: Serialize> PieceValue for Vec<T> {}
impl<T: Serialize> PieceValue for Option<T> {}
impl PieceValue for bool {}
impl PieceValue for BTreeMap<String, crate::model::synthetics::CanaryRun> {}
impl PieceValue for crate::model::tagging::ResourceTags {}
impl PieceValue for crate::model::health::OpenIssues {}
impl PieceValue for crate::model::health::ScheduledChanges {}
impl PieceValue for crate::model::iam::AccountSummary {}
impl PieceValue for crate::model::lambda::AccountConcurrency {}
impl PieceValue for crate::model::guardduty::FindingSample {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_piece_has_one_name_and_the_actions_the_catalog_grants() {
        let names: Vec<&str> = all().map(|p| p.name).collect();
        let unique: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "a piece is registered twice");

        // The catalog's permissions are held to the calls a full audit makes (the
        // recording test); the pieces' actions must be the same set, or a policy's
        // permissions would differ from what its reads call.
        let catalog = crate::catalog::Catalog::embedded();
        let granted: BTreeSet<&str> = catalog
            .entries()
            .iter()
            .flat_map(|e| e.permissions.iter().map(String::as_str))
            .collect();
        let needed: BTreeSet<&str> = all()
            .filter(|p| !p.name.starts_with("tagging."))
            .flat_map(|p| p.actions())
            .collect();
        assert_eq!(needed, granted);
    }

    #[test]
    fn every_piece_of_the_demo_snapshot_is_registered() {
        let text = include_str!("../../examples/demo-account.json");
        let demo: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut seen = BTreeSet::new();
        let groups =
            std::iter::once(&demo["global"]).chain(demo["regional"].as_object().unwrap().values());
        for group in groups {
            for (service, pieces) in group.as_object().unwrap() {
                for field in pieces.as_object().unwrap().keys() {
                    seen.insert(format!("{service}.{field}"));
                }
            }
        }
        assert!(seen.len() > 50, "the demo holds most pieces");
        for name in seen {
            assert!(find(&name).is_some(), "{name} is not registered");
        }
    }

    /// What a policy reads of each piece of the demo is what regorus makes of the piece's
    /// JSON in the snapshot form (serde_json's own writing of the typed data).
    #[tokio::test]
    async fn policies_read_each_piece_as_regorus_makes_its_json() {
        let demo = include_str!("../../examples/demo-account.json");
        let parsed = || {
            crate::inventory::snapshot::parse(demo)
                .unwrap()
                .accounts
                .remove(0)
        };
        let written = serde_json::to_value(parsed()).unwrap();
        let inventory = Inventory::offline(parsed());
        let mut compared = 0;
        for piece in all() {
            let (service, field) = piece.name.split_once('.').unwrap();
            let places: Vec<(&str, serde_json::Value)> = match piece.scope {
                Scope::Global => vec![(
                    inventory.home_region(),
                    written["global"][service][field].clone(),
                )],
                Scope::Regional => inventory
                    .regions()
                    .iter()
                    .map(|r| (r.as_str(), written["regional"][r][service][field].clone()))
                    .collect(),
            };
            for (region, json) in places {
                let read = (piece.read)(&inventory, region).await;
                if json.is_null() {
                    // Not written: the piece reads as missing from the snapshot.
                    assert!(read.error.is_some(), "{} in {region}", piece.name);
                    continue;
                }
                assert!(
                    read.value == regorus::Value::from(json),
                    "{} in {region}",
                    piece.name
                );
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
    }

    /// What `orr inventory show` prints of the demo snapshot is what each piece's
    /// schema describes, and the whole-input schema shipped under schema/ is the one the
    /// model types give.
    #[tokio::test]
    async fn the_schemas_describe_what_inventory_show_prints() {
        let demo = include_str!("../../examples/demo-account.json");
        let data = crate::inventory::snapshot::parse(demo)
            .unwrap()
            .accounts
            .remove(0);
        let inventory = Inventory::offline(data);
        let mut wrong = Vec::new();
        for piece in all() {
            let schema = piece_schema(piece);
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{}: the schema does not compile: {e}", piece.name));
            let shown = shown(piece, &inventory).await;
            for error in validator.iter_errors(&shown) {
                wrong.push(format!(
                    "{}: {error} at {}",
                    piece.name,
                    error.instance_path()
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));

        let shipped = include_str!("../../schema/inventory.schema.json");
        let shipped: serde_json::Value = serde_json::from_str(shipped).unwrap();
        assert!(
            shipped == input_schema(),
            "schema/inventory.schema.json is out of date: run `orr inventory show --schema input > schema/inventory.schema.json`"
        );
    }

    /// Every field a policy can read says what it is.
    #[test]
    fn every_field_of_the_input_is_described() {
        fn undescribed(path: &str, schema: &serde_json::Value, out: &mut Vec<String>) {
            if let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) {
                // `{"ok": ...}` and `{"error": ...}`: the variant says what its one key is.
                let variant = properties.len() == 1 && schema.get("description").is_some();
                for (name, property) in properties {
                    let described = variant
                        || property.get("description").is_some()
                        || property.get("$ref").is_some();
                    if !described {
                        out.push(format!("{path}.{name}"));
                    }
                    undescribed(&format!("{path}.{name}"), property, out);
                }
            }
            if let Some(definitions) = schema.get("$defs").and_then(|d| d.as_object()) {
                for (name, definition) in definitions {
                    undescribed(name, definition, out);
                }
            }
            for key in ["oneOf", "anyOf", "allOf"] {
                for (at, variant) in schema
                    .get(key)
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    undescribed(&format!("{path}[{at}]"), variant, out);
                }
            }
        }
        let mut out = Vec::new();
        undescribed("input", &input_schema(), &mut out);
        assert!(
            out.is_empty(),
            "{} fields have no doc comment:\n{}",
            out.len(),
            out.join("\n")
        );
    }

    #[test]
    fn an_unknown_piece_is_named_with_the_closest_known_one() {
        assert!(unknown("rds.instance").contains("did you mean rds.instances?"));
        assert!(find("rds.instances").is_some_and(|p| p.scope == Scope::Regional));
        assert!(find("iam.credential_report").is_some_and(|p| p.scope == Scope::Global));
    }
}
