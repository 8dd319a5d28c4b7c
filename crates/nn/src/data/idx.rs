//! Loading MNIST-style IDX files (MNIST, Fashion-MNIST, …), raw or gzip.
//!
//! An IDX file is a big-endian header, magic `0x0000TTNN` (`TT` the element type, `0x08` for
//! unsigned bytes; `NN` the number of dimensions), one `u32` size per dimension, then the
//! elements in row-major order. Images are `0x00000803` (`n × rows × cols` bytes), labels
//! `0x00000801` (`n` bytes). Pixels are scaled from 0–255 to `[0, 1]`.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::dataset::{Dataset, Targets};
use super::source::{self, ReadError};

/// The magic number of an IDX file of unsigned bytes in three dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// The magic number of an IDX file of unsigned bytes in one dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// The training and test sets of an IDX directory, from [`load_idx_dir`].
#[derive(Debug, Clone, PartialEq)]
pub struct IdxSplits {
    /// From `train-images-idx3-ubyte` and `train-labels-idx1-ubyte`.
    pub train: Dataset,
    /// From `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`.
    pub test: Dataset,
}

/// Loads one images file and its labels file into a classification dataset of
/// `rows × cols` features named `pixel_<row>_<col>`, scaled to `[0, 1]`, with classes
/// `0..=max label` named by their digits.
///
/// Each file may be raw or gzip (detected by magic bytes or a `.gz` name).
///
/// # Errors
/// An [`IdxError`] for a missing or unreadable file, corrupt gzip, a bad magic number, a file
/// shorter or longer than its header says, zero-sized images, or image and label counts that
/// differ.
pub fn load_idx_pair(
    images: impl AsRef<Path>,
    labels: impl AsRef<Path>,
) -> Result<Dataset, IdxError> {
    let images = read_images(images.as_ref())?;
    let labels = read_labels(labels.as_ref())?;
    let n_classes = labels.max_class();
    pair(images, labels, n_classes)
}

/// Loads `train-*` and `t10k-*` images and labels from `dir`.
///
/// For each file it takes the first that exists of `<prefix>-<kind>-<idxN>-ubyte` (MNIST's
/// names), `<prefix>-<kind>.<idxN>-ubyte` (a common variant), and either with `.gz`. Both sets
/// get the same `n_classes`, one more than the largest label in either.
///
/// # Errors
/// [`IdxError::MissingFile`] when none of a file's names exists; otherwise as
/// [`load_idx_pair`].
pub fn load_idx_dir(dir: impl AsRef<Path>) -> Result<IdxSplits, IdxError> {
    let dir = dir.as_ref();
    let train_images = read_images(&find(dir, "train", "images", 3)?)?;
    let train_labels = read_labels(&find(dir, "train", "labels", 1)?)?;
    let test_images = read_images(&find(dir, "t10k", "images", 3)?)?;
    let test_labels = read_labels(&find(dir, "t10k", "labels", 1)?)?;
    let n_classes = train_labels.max_class().max(test_labels.max_class());
    Ok(IdxSplits {
        train: pair(train_images, train_labels, n_classes)?,
        test: pair(test_images, test_labels, n_classes)?,
    })
}

/// The first existing file among the names [`load_idx_dir`] accepts.
fn find(dir: &Path, prefix: &str, kind: &str, dims: u8) -> Result<PathBuf, IdxError> {
    let stems = [
        format!("{prefix}-{kind}-idx{dims}-ubyte"),
        format!("{prefix}-{kind}.idx{dims}-ubyte"),
    ];
    let tried: Vec<PathBuf> = stems
        .iter()
        .flat_map(|stem| [dir.join(stem), dir.join(format!("{stem}.gz"))])
        .collect();
    match tried.iter().find(|p| p.is_file()) {
        Some(path) => Ok(path.clone()),
        None => Err(IdxError::MissingFile {
            dir: dir.to_owned(),
            tried: tried
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect(),
        }),
    }
}

/// A decoded images file.
struct Images {
    path: PathBuf,
    /// (n, rows · cols)
    pixels: Vec<u8>,
    n: usize,
    rows: usize,
    cols: usize,
}

/// A decoded labels file.
struct Labels {
    path: PathBuf,
    labels: Vec<u8>,
}

impl Labels {
    /// One more than the largest label (1 when there are none).
    fn max_class(&self) -> usize {
        self.labels.iter().max().map_or(1, |&m| usize::from(m) + 1)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, IdxError> {
    source::read_file(path).map_err(|e| match e {
        ReadError::NotFound => IdxError::NotFound {
            path: path.to_owned(),
        },
        ReadError::Io(source) => IdxError::Io {
            path: path.to_owned(),
            source,
        },
        ReadError::Gzip(source) => IdxError::Gzip {
            path: path.to_owned(),
            source,
        },
    })
}

/// Checks the header and length of IDX `bytes`; returns the dimensions and the payload.
fn decode<'a>(
    bytes: &'a [u8],
    path: &Path,
    magic: u32,
) -> Result<(Vec<usize>, &'a [u8]), IdxError> {
    let truncated = |expected: usize| IdxError::Truncated {
        path: path.to_owned(),
        expected,
        got: bytes.len(),
    };
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    };
    let found = word(0).ok_or_else(|| truncated(4))?;
    if found != magic {
        return Err(IdxError::BadMagic {
            path: path.to_owned(),
            expected: magic,
            found,
        });
    }
    let n_dims = (magic & 0xff) as usize;
    let header_len = 4 + 4 * n_dims;
    let dims: Vec<usize> = (0..n_dims)
        .map(|k| word(4 + 4 * k).map(|d| d as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| truncated(header_len))?;
    let payload_len = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .and_then(|len| len.checked_add(header_len))
        .ok_or_else(|| IdxError::BadDimensions {
            path: path.to_owned(),
            dims: dims.clone(),
        })?;
    if bytes.len() < payload_len {
        return Err(truncated(payload_len));
    }
    if bytes.len() > payload_len {
        return Err(IdxError::TrailingBytes {
            path: path.to_owned(),
            expected: payload_len,
            got: bytes.len(),
        });
    }
    Ok((dims, &bytes[header_len..]))
}

fn read_images(path: &Path) -> Result<Images, IdxError> {
    let bytes = read(path)?;
    let (dims, payload) = decode(&bytes, path, IMAGES_MAGIC)?;
    let [n, rows, cols] = dims[..] else {
        unreachable!("IMAGES_MAGIC has three dimensions")
    };
    if rows == 0 || cols == 0 {
        return Err(IdxError::BadDimensions {
            path: path.to_owned(),
            dims,
        });
    }
    Ok(Images {
        path: path.to_owned(),
        pixels: payload.to_vec(),
        n,
        rows,
        cols,
    })
}

fn read_labels(path: &Path) -> Result<Labels, IdxError> {
    let bytes = read(path)?;
    let (_, payload) = decode(&bytes, path, LABELS_MAGIC)?;
    Ok(Labels {
        path: path.to_owned(),
        labels: payload.to_vec(),
    })
}

/// Joins images and labels into a dataset with `n_classes` classes.
fn pair(images: Images, labels: Labels, n_classes: usize) -> Result<Dataset, IdxError> {
    if images.n != labels.labels.len() {
        return Err(IdxError::CountMismatch {
            images: images.path,
            labels: labels.path,
            n_images: images.n,
            n_labels: labels.labels.len(),
        });
    }
    // (n, rows · cols)
    let features = images
        .pixels
        .iter()
        .map(|&p| f32::from(p) / 255.0)
        .collect();
    let targets = Targets::Classes {
        labels: labels.labels.iter().map(|&l| u32::from(l)).collect(),
        n_classes,
    };
    let feature_names = (0..images.rows)
        .flat_map(|r| (0..images.cols).map(move |c| format!("pixel_{r}_{c}")))
        .collect();
    let class_names = (0..n_classes).map(|k| k.to_string()).collect();
    Ok(Dataset::new(features, images.rows * images.cols, targets)
        .and_then(|d| d.with_feature_names(feature_names))
        .and_then(|d| d.with_class_names(class_names))
        .expect("pixels are finite and labels below n_classes"))
}

/// Why IDX files could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum IdxError {
    /// There is no file at this path.
    NotFound {
        /// The path asked for.
        path: PathBuf,
    },
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file is gzip (by its magic bytes or `.gz` name) and would not inflate.
    Gzip {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        source: io::Error,
    },
    /// The file does not start with the expected magic number.
    BadMagic {
        /// The file.
        path: PathBuf,
        /// [`IMAGES_MAGIC`] or [`LABELS_MAGIC`].
        expected: u32,
        /// The first four bytes, big-endian.
        found: u32,
    },
    /// The file (after inflating) is shorter than its header says.
    Truncated {
        /// The file.
        path: PathBuf,
        /// The bytes its header (or, before that, the header itself) needs.
        expected: usize,
        /// The bytes it has.
        got: usize,
    },
    /// The file (after inflating) is longer than its header says.
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// The bytes its header accounts for.
        expected: usize,
        /// The bytes it has.
        got: usize,
    },
    /// The sizes overflow memory, or an image has no pixels.
    BadDimensions {
        /// The file.
        path: PathBuf,
        /// The sizes in its header.
        dims: Vec<usize>,
    },
    /// The images and labels files hold different numbers of items.
    CountMismatch {
        /// The images file.
        images: PathBuf,
        /// The labels file.
        labels: PathBuf,
        /// The number of images.
        n_images: usize,
        /// The number of labels.
        n_labels: usize,
    },
    /// None of the accepted names for a file exists in the directory.
    MissingFile {
        /// The directory searched.
        dir: PathBuf,
        /// The file names tried, in order.
        tried: Vec<String>,
    },
}

impl fmt::Display for IdxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdxError::NotFound { path } => write!(f, "{}: no such file", path.display()),
            IdxError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            IdxError::Gzip { path, source } => {
                write!(f, "{}: corrupt gzip data: {source}", path.display())
            }
            IdxError::BadMagic {
                path,
                expected,
                found,
            } => write!(
                f,
                "{}: magic number {found:#010x}, expected {expected:#010x}",
                path.display()
            ),
            IdxError::Truncated {
                path,
                expected,
                got,
            } => write!(
                f,
                "{}: truncated: {got} bytes, expected {expected}",
                path.display()
            ),
            IdxError::TrailingBytes {
                path,
                expected,
                got,
            } => write!(
                f,
                "{}: {got} bytes, {} more than the {expected} its header accounts for",
                path.display(),
                got - expected
            ),
            IdxError::BadDimensions { path, dims } => {
                write!(f, "{}: unusable dimensions {dims:?}", path.display())
            }
            IdxError::CountMismatch {
                images,
                labels,
                n_images,
                n_labels,
            } => write!(
                f,
                "{} holds {n_images} images but {} holds {n_labels} labels",
                images.display(),
                labels.display()
            ),
            IdxError::MissingFile { dir, tried } => {
                write!(f, "{}: none of {} exists", dir.display(), tried.join(", "))
            }
        }
    }
}

impl Error for IdxError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            IdxError::Io { source, .. } | IdxError::Gzip { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_checks_magic_header_and_length() {
        let path = Path::new("x");
        // Labels: magic, n = 3, then 3 bytes.
        let good = [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9];
        let (dims, payload) = decode(&good, path, LABELS_MAGIC).unwrap();
        assert_eq!((dims, payload), (vec![3], &[7, 8, 9][..]));
        assert!(matches!(
            decode(&good[..2], path, LABELS_MAGIC),
            Err(IdxError::Truncated {
                expected: 4,
                got: 2,
                ..
            })
        ));
        assert!(matches!(
            decode(&good[..6], path, LABELS_MAGIC),
            Err(IdxError::Truncated {
                expected: 8,
                got: 6,
                ..
            })
        ));
        assert!(matches!(
            decode(&good[..10], path, LABELS_MAGIC),
            Err(IdxError::Truncated {
                expected: 11,
                got: 10,
                ..
            })
        ));
        let mut long = good.to_vec();
        long.push(0);
        assert!(matches!(
            decode(&long, path, LABELS_MAGIC),
            Err(IdxError::TrailingBytes {
                expected: 11,
                got: 12,
                ..
            })
        ));
        assert!(matches!(
            decode(&good, path, IMAGES_MAGIC),
            Err(IdxError::BadMagic {
                expected: IMAGES_MAGIC,
                found: LABELS_MAGIC,
                ..
            })
        ));
    }

    #[test]
    fn decode_refuses_overflowing_sizes() {
        let huge = [
            0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        ];
        let result = decode(&huge, Path::new("x"), IMAGES_MAGIC);
        // (2³² − 1)³ ≈ 7.9e28 bytes overflows usize even on 64-bit targets.
        assert!(matches!(result, Err(IdxError::BadDimensions { .. })));
    }
}
