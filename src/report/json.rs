//! The audit JSON, the source of truth every other format is rendered from. It is
//! written straight to its destination (a file, stdout, a hash), never held whole in
//! memory: for an organization's 200,000 findings the text alone is over 250 MB.

use std::io::Write;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::audit::Audit;

/// Writes the audit as pretty JSON with a final newline.
pub fn write(audit: &Audit, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, audit).context("cannot serialize the audit")?;
    out.write_all(b"\n").context("cannot write the audit")?;
    Ok(())
}

/// The audit JSON as one string (for tests and small outputs).
pub fn render(audit: &Audit) -> Result<String> {
    let mut bytes = Vec::new();
    write(audit, &mut bytes)?;
    Ok(String::from_utf8(bytes).expect("serde_json writes UTF-8"))
}

/// Hex SHA-256 of the bytes `write` produces, computed without keeping them.
pub fn sha256_hex(audit: &Audit) -> Result<String> {
    let mut hashing = Hashing(Sha256::new());
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, &mut hashing);
    write(audit, &mut buffered)?;
    buffered.flush().context("cannot hash the audit")?;
    drop(buffered);
    Ok(crate::finding::hex(&hashing.0.finalize()))
}

struct Hashing(Sha256);

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_of_the_bytes_written() {
        let audit = crate::audit::testing::audit(vec![crate::finding::testing::finding(
            "s3.x",
            crate::finding::Status::Fail,
            "bucket-a",
        )]);
        let text = render(&audit).unwrap();
        assert!(text.ends_with("}\n"));
        assert_eq!(
            sha256_hex(&audit).unwrap(),
            crate::audit::sha256_hex(text.as_bytes())
        );
    }
}
