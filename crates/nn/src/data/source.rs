//! Reading a data file into memory, inflating it when it is gzip.

use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

/// The two bytes every gzip member starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why a file's bytes could not be had.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file does not exist.
    NotFound,
    /// Another I/O failure (permissions, a directory, …).
    Io(io::Error),
    /// The file is (or claims by its `.gz` name to be) gzip, and inflating it failed.
    Gzip(io::Error),
}

/// Whether `path` ends in `.gz` (any case).
fn has_gz_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"))
}

/// The bytes of `path`, inflated when they start with gzip's magic bytes or the name ends in
/// `.gz`.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if has_gz_extension(path) || is_gzip(&bytes) {
        inflate(&bytes).map_err(ReadError::Gzip)
    } else {
        Ok(bytes)
    }
}

/// Whether `bytes` start like a gzip stream.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// Inflates a gzip stream (all its members, as `gzip -d` does).
pub(crate) fn inflate(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    #[test]
    fn inflate_round_trips_and_rejects_garbage() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(b"1,2,3\n").unwrap();
        let gz = encoder.finish().unwrap();
        assert!(is_gzip(&gz));
        assert_eq!(inflate(&gz).unwrap(), b"1,2,3\n");
        assert!(inflate(b"not gzip at all").is_err());
        // A stream cut short is an error, not a silently shorter file.
        assert!(inflate(&gz[..gz.len() - 6]).is_err());
    }
}
