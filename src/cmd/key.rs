//! `confkit key new`: the key pair that signs packages. The secret key
//! stays with whoever builds the packages, outside the project folder; the
//! public key goes to the recipients, who check packages with it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use confkit::package::signature::{default_keys_dir, write_key_pair, SecretKey};
use confkit::project::{unsafe_id_reason, ID_HELP};

use super::Global;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum KeyCommand {
    /// Make a key pair for signing packages: NAME.key, the secret key
    /// (readable by you only), and NAME.pub, the public key to send to the
    /// recipients. An existing key is never replaced.
    New {
        /// The key's name, for its files
        #[arg(long, default_value = "confkit")]
        name: String,
        /// The folder to write the two files to (default:
        /// ~/.config/confkit/keys, outside any project)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

pub(super) fn run(command: &KeyCommand, global: &Global) -> Result<ExitCode> {
    let KeyCommand::New { name, out } = command;
    if let Some(reason) = unsafe_id_reason(name) {
        bail!("`{name}` cannot name a key: {reason}\n  help: {ID_HELP}");
    }
    let dir = out.clone().unwrap_or_else(default_keys_dir);
    let key = SecretKey::generate(name)?;
    let (secret, public) = write_key_pair(&key, &dir)?;
    let id = key.public().id();
    if global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "secret_key": secret,
                "public_key": public,
                "key_id": id,
            }))?
        );
    } else if !global.quiet {
        println!("key id {id}");
        println!(
            "secret key: {} (keep it to yourself; sign with `confkit package --sign {}` or CONFKIT_SIGNING_KEY)",
            secret.display(),
            secret.display()
        );
        println!(
            "public key: {} (send it to the recipients; they check a package with `confkit verify --key {} PACKAGE.zip`)",
            public.display(),
            public
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
    }
    Ok(ExitCode::SUCCESS)
}
