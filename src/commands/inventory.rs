use std::sync::Arc;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use super::{fleet, print_stdout};
use crate::catalog::Scope;
use crate::cli::InventoryCommand;
use crate::config::Config;
use crate::inventory::named;
use crate::inventory::{snapshot, Inventory};
use crate::settings::{RunFlags, Settings};

/// `orr inventory list` and `orr inventory show PIECE`: what a policy's input holds.
pub async fn run(command: InventoryCommand, config: Config) -> Result<i32> {
    match command {
        InventoryCommand::List => {
            let mut text = String::new();
            for piece in named::all() {
                let scope = match piece.scope {
                    Scope::Global => "account",
                    Scope::Regional => "region",
                };
                text += &format!(
                    "{:<40} per {scope:<8} {}\n",
                    piece.name,
                    piece.actions().join(", ")
                );
            }
            print_stdout(&text)?;
        }
        InventoryCommand::Show {
            piece,
            snapshot: path,
            scope,
        } => {
            let Some(piece) = named::find(&piece) else {
                bail!("{}", named::unknown(&piece));
            };
            let inventory = match &path {
                Some(path) => {
                    let mut loaded = snapshot::load(path)?;
                    if loaded.accounts.len() != 1 {
                        bail!(
                            "{} holds {} accounts; `orr inventory show` reads a one-account snapshot",
                            path.display(),
                            loaded.accounts.len()
                        );
                    }
                    Arc::new(Inventory::offline(loaded.accounts.remove(0)))
                }
                None => {
                    let settings = Settings::resolve(&scope, RunFlags::default(), config)?;
                    fleet::own_inventory(&settings).await?
                }
            };
            let regions: Vec<String> = match piece.scope {
                Scope::Global => vec![inventory.home_region().to_string()],
                Scope::Regional => inventory.regions().to_vec(),
            };
            let mut by_region = Map::new();
            for region in regions {
                let read = (piece.read)(&inventory, &region).await;
                by_region.insert(region, read.value);
            }
            let shown = match piece.scope {
                Scope::Global => by_region
                    .into_iter()
                    .next()
                    .map(|(_, v)| v)
                    .unwrap_or(Value::Null),
                Scope::Regional => Value::Object(by_region),
            };
            print_stdout(&(serde_json::to_string_pretty(&shown)? + "\n"))?;
        }
    }
    Ok(0)
}
