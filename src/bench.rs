//! `permanence bench`: performance measured against reference tools, in one run.
use std::path::PathBuf;

use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Procédure d'environ 1 000 pages à importer (défaut : fixtures/generated/big-1000.pdf).
    #[arg(long)]
    pub procedure: Option<PathBuf>,
}

pub fn run(_args: &BenchArgs) -> Result<(), Error> {
    Ok(())
}
