//! Region names: a typo in `--region` must stop the run, not audit an empty region.

/// Public AWS regions (commercial, GovCloud and China partitions).
const KNOWN: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
];

pub fn validate(region: &str) -> Result<(), String> {
    if KNOWN.contains(&region) {
        return Ok(());
    }
    let hint = KNOWN
        .iter()
        .filter(|known| similar(known, region))
        .copied()
        .collect::<Vec<_>>();
    let suggestion = if hint.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", hint.join(" or "))
    };
    Err(format!("unknown AWS region '{region}'{suggestion}"))
}

/// At most two edits apart: enough to catch typos.
fn similar(known: &str, typed: &str) -> bool {
    strsim::levenshtein(known, typed) <= 2
}

/// Each region once, in the order first given.
pub fn dedup(regions: Vec<String>) -> Vec<String> {
    let mut seen = Vec::with_capacity(regions.len());
    for region in regions {
        if !seen.contains(&region) {
            seen.push(region);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_pass_and_typos_get_a_suggestion() {
        assert!(validate("eu-west-1").is_ok());
        let error = validate("us-eas-1").unwrap_err();
        assert!(error.contains("did you mean us-east-1"), "{error}");
        assert!(validate("mars-north-1").is_err());
    }

    #[test]
    fn dedup_keeps_first_order() {
        let regions = ["b", "a", "b"].map(String::from).to_vec();
        assert_eq!(dedup(regions), ["b", "a"]);
    }
}
