use std::sync::Arc;

use anyhow::{bail, Result};

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
            schema,
            snapshot: path,
            scope,
        } => {
            if schema && piece == "input" {
                print_stdout(&(serde_json::to_string_pretty(&named::input_schema())? + "\n"))?;
                return Ok(0);
            }
            let Some(piece) = named::find(&piece) else {
                bail!("{}", named::unknown(&piece));
            };
            if schema {
                let schema = named::piece_schema(piece);
                print_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))?;
                return Ok(0);
            }
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
            let shown = named::shown(piece, &inventory).await;
            print_stdout(&(serde_json::to_string_pretty(&shown)? + "\n"))?;
        }
    }
    Ok(0)
}
