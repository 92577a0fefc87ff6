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
pub mod s3_evidence;
pub mod scope;
pub mod settings;
pub mod text;
pub mod verdict;
pub mod waivers;

#[cfg(test)]
mod layering {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// `crate::X` names in `text`, tests left out (a test may reach any layer).
    fn imports(text: &str) -> BTreeSet<String> {
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or(text);
        let mut names = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
        names
    }

    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// A module low in the house does not import one above it: the top-level modules'
    /// imports form no cycle, so each layer builds and reads on the ones below alone.
    #[test]
    fn the_top_level_modules_import_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files {
            let relative = file.strip_prefix(&src).unwrap();
            let top = relative.iter().next().unwrap().to_string_lossy();
            let top = top.trim_end_matches(".rs").to_string();
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let mut used = imports(&text);
            used.remove(&top);
            edges.entry(top).or_default().extend(used);
        }
        // Depth-first search for a back edge; the cycle found is printed whole.
        fn visit(
            module: &str,
            edges: &BTreeMap<String, BTreeSet<String>>,
            path: &mut Vec<String>,
            done: &mut BTreeSet<String>,
        ) -> Option<Vec<String>> {
            if let Some(at) = path.iter().position(|m| m == module) {
                let mut cycle = path[at..].to_vec();
                cycle.push(module.to_string());
                return Some(cycle);
            }
            if done.contains(module) {
                return None;
            }
            path.push(module.to_string());
            for next in edges.get(module).into_iter().flatten() {
                if let Some(cycle) = visit(next, edges, path, done) {
                    return Some(cycle);
                }
            }
            path.pop();
            done.insert(module.to_string());
            None
        }
        let mut done = BTreeSet::new();
        for module in edges.keys() {
            let cycle = visit(module, &edges, &mut Vec::new(), &mut done);
            assert!(
                cycle.is_none(),
                "import cycle: {}",
                cycle.unwrap().join(" -> ")
            );
        }
    }
}
