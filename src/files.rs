//! Writing output files.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes a file so that readers see the old content or the new, never half of it:
/// evidence files are signed and attached, a truncated one must not exist. The bytes
/// reach the disk before the rename; a file written over keeps its permissions.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |out| Ok(out.write_all(bytes)?))
}

/// `write_whole` for content produced as it is written (`fill` gets a buffered writer),
/// so a large document is never held whole in memory.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let mut file = temporary_beside(path)
        .map_err(without_path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, file.as_file_mut());
    fill(&mut buffered)
        .and_then(|()| Ok(buffered.flush()?))
        .with_context(|| format!("cannot write {}", path.display()))?;
    drop(buffered);
    let finish = || -> std::io::Result<()> {
        file.as_file().sync_all()?;
        if let Ok(existing) = std::fs::metadata(path) {
            file.as_file().set_permissions(existing.permissions())?;
        }
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    };
    finish()
        .map_err(without_path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// tempfile names its temporary file in errors ("... at path /x/.orr-1.partial"); the
/// user knows only their own path, which the context gives.
fn without_path(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match text.split_once(" at path ") {
        Some((cause, _)) => std::io::Error::new(error.kind(), cause.to_string()),
        None => error,
    }
}

/// Says now, before any work, whether `path` can be written: its folder exists and
/// takes a new file, and it is not a folder itself.
pub fn check_writable(path: &Path) -> Result<()> {
    if path.is_dir() {
        anyhow::bail!("cannot write {}: it is a folder", path.display());
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        anyhow::bail!(
            "cannot write {}: folder {} does not exist",
            path.display(),
            folder.display()
        );
    }
    temporary_beside(path)
        .map(drop)
        .map_err(without_path)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A hidden temporary file in the destination's folder (so the rename stays on one
/// file system), private (0600) until it gets the final permissions; removed if the
/// write fails.
fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".orr-").suffix(".partial");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder.tempfile_in(folder_of(path))
}

/// Reads a whole input file, refusing one larger than `limit` bytes (`/dev/zero` or a
/// wrong path must not eat the machine's memory). `what` names the file in errors.
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_bounded_keeping(path, limit, what).map(|(_, bytes)| bytes)
}

/// `read_bounded`, also giving back the open file (to read parts of it again later).
pub fn read_bounded_keeping(
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<(std::fs::File, Vec<u8>)> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    // Sized from the file's length: growing by doubling left a 48 MB snapshot in a 64 MB
    // buffer.
    let expected = file.metadata().map_or(0, |m| m.len().min(limit + 1));
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    (&file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{what} {} is larger than {} MiB: is it the right file?",
            path.display(),
            limit / (1024 * 1024)
        );
    }
    Ok((file, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwritable_places_are_found_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(&dir.path().join("audit.json")).is_ok());
        let is_dir = check_writable(dir.path()).unwrap_err().to_string();
        assert!(is_dir.contains("it is a folder"), "{is_dir}");
        let missing = check_writable(&dir.path().join("no/audit.json"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("does not exist"), "{missing}");
        let proc = format!(
            "{:#}",
            check_writable(Path::new("/proc/x.json")).unwrap_err()
        );
        assert!(proc.starts_with("cannot write /proc/x.json"), "{proc}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no stray file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_written_over_keeps_its_permissions_and_nothing_is_left_beside_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.json");
        write_whole(&path, b"one").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_whole(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
