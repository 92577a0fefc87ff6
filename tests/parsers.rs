//! The config and snapshot parsers against generated input, a bounded number of cases:
//! whatever the bytes, they answer Ok or an error, never a panic.

use orr::config::Config;
use orr::inventory::snapshot;
use proptest::prelude::*;

const DEMO: &str = include_str!("../examples/demo-account.json");
const EXAMPLE_CONFIG: &str = include_str!("../examples/orr.toml");
const REVIEW_CONFIG: &str = include_str!("../examples/demo-review.toml");

/// A valid document with one stretch replaced: most mutations keep it parseable far
/// enough to reach the validation past the syntax.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    (0..base.len(), 0usize..64, ".{0,24}").prop_map(move |(at, len, insert)| {
        let start = (0..=at)
            .rev()
            .find(|i| base.is_char_boundary(*i))
            .unwrap_or(0);
        let end = (start + len).min(base.len());
        let end = (end..=base.len())
            .find(|i| base.is_char_boundary(*i))
            .unwrap_or(base.len());
        format!("{}{insert}{}", &base[..start], &base[end..])
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn config_parser_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = Config::parse(&text);
    }

    #[test]
    fn config_parser_never_panics_on_mutated_configs(
        text in prop_oneof![mutated(EXAMPLE_CONFIG), mutated(REVIEW_CONFIG)]
    ) {
        if let Ok(config) = Config::parse(&text) {
            // What parses is valid all the way: the waivers it holds compile.
            prop_assert!(config.waivers().is_ok());
        }
    }

    #[test]
    fn snapshot_parser_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = snapshot::parse(&text);
    }

    #[test]
    fn snapshot_parser_never_panics_on_mutated_snapshots(text in mutated(DEMO)) {
        if let Ok(data) = snapshot::parse(&text) {
            prop_assert!(data.accounts.iter().all(|a| !a.regions.is_empty()));
        }
    }
}
