//! Links the `orr` binary with packed relative relocations (`-z pack-relative-relocs`,
//! DT_RELR) where the toolchain and C library support them.
//!
//! Why: a position-independent Rust binary carries one 24-byte relocation record for
//! every pointer in its read-only data (vtables, string tables); the debug binary had
//! 445,000 of them (10.7 MB), all read by the dynamic loader at every start and so all
//! resident. Packed, they take 100 KB: `orr --version` 29.6 -> 17.1 MB resident, a live
//! audit 11 MiB less in a debug build and 7 MiB less in a release build (BENCHMARKS.md
//! §8). The binary stays position-independent (ASLR), which `-no-pie` would have given
//! up for 2-4 MB more.
//!
//! Only where it is safe: glibc loads DT_RELR since 2.36, and a binary linked with it
//! requires that version (`GLIBC_ABI_DT_RELR`), so the flag is added only for a native
//! Linux/glibc build whose C library is 2.36 or newer (Ubuntu 22.04's 2.35 is not). Set
//! `ORR_PACK_RELOCS=0` to leave it out, e.g. to build on a new system a binary meant for
//! an older one.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ORR_PACK_RELOCS");
    if pack_relocs() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn pack_relocs() -> bool {
    if env::var("ORR_PACK_RELOCS").is_ok_and(|v| v == "0") {
        return false;
    }
    let native = env::var("TARGET").ok() == env::var("HOST").ok();
    let linux_gnu = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|e| e == "gnu");
    native && linux_gnu && glibc_version().is_some_and(|v| v >= (2, 36))
}

/// The C library's version as `getconf GNU_LIBC_VERSION` says it ("glibc 2.36").
fn glibc_version() -> Option<(u32, u32)> {
    let out = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let (major, minor) = text.trim().strip_prefix("glibc ")?.split_once('.')?;
    let minor = minor.split('.').next()?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}
