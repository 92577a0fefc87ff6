//! Writing output files.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes a file so that readers see the old content or the new, never half of it:
/// evidence files are signed and attached, a truncated one must not exist.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let write = || -> std::io::Result<()> {
        let mut builder = tempfile::Builder::new();
        // Temporary files are private (0600); the finished file gets ordinary permissions.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut file = builder.tempfile_in(folder)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.persist(path)?;
        Ok(())
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a whole input file, refusing one larger than `limit` bytes (`/dev/zero` or a
/// wrong path must not eat the machine's memory). `what` names the file in errors.
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{what} {} is larger than {} MiB: is it the right file?",
            path.display(),
            limit / (1024 * 1024)
        );
    }
    Ok(bytes)
}
