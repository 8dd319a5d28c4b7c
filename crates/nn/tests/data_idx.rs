//! IDX (MNIST format) loading: synthetic files, raw and gzip, round-trip; truncated, corrupt and
//! mismatched files give typed errors.

mod common;
use common::{TempDir, gzip};

use nn::data::{IMAGES_MAGIC, IdxError, LABELS_MAGIC, load_idx_dir, load_idx_pair};

/// An images file: magic 0x00000803, n, rows, cols (big-endian), then the pixels.
fn images_file(n: u32, rows: u32, cols: u32, pixels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for word in [IMAGES_MAGIC, n, rows, cols] {
        bytes.extend(word.to_be_bytes());
    }
    bytes.extend_from_slice(pixels);
    bytes
}

/// A labels file: magic 0x00000801, n (big-endian), then the labels.
fn labels_file(labels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for word in [LABELS_MAGIC, labels.len() as u32] {
        bytes.extend(word.to_be_bytes());
    }
    bytes.extend_from_slice(labels);
    bytes
}

/// Five 3×4 images whose pixels run 0, 13, 26, … (mod 256), labels 0..=4 shuffled.
fn sample() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let pixels: Vec<u8> = (0..60u32).map(|k| (k * 13 % 256) as u8).collect();
    let labels = vec![3, 0, 4, 1, 2];
    (images_file(5, 3, 4, &pixels), labels_file(&labels), pixels)
}

fn check_sample(data: &nn::data::Dataset, pixels: &[u8]) {
    assert_eq!((data.len(), data.n_features()), (5, 12));
    assert_eq!(data.labels().unwrap(), &[3, 0, 4, 1, 2]);
    assert_eq!(data.n_classes(), Some(5));
    assert_eq!(data.class_names().unwrap()[4], "4");
    assert_eq!(data.feature_names()[5], "pixel_1_1");
    for (value, &pixel) in data.features().iter().zip(pixels) {
        assert_eq!(*value, f32::from(pixel) / 255.0);
    }
    assert!(data.features().iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn raw_and_gzip_pairs_round_trip() {
    let dir = TempDir::new("pair");
    let (images, labels, pixels) = sample();
    let raw = load_idx_pair(dir.write("i", &images), dir.write("l", &labels)).unwrap();
    check_sample(&raw, &pixels);
    let gz = load_idx_pair(
        dir.write("i.gz", &gzip(&images)),
        dir.write("l.gz", &gzip(&labels)),
    )
    .unwrap();
    assert_eq!(gz, raw);
    // Gzip found by magic bytes alone, whatever the name.
    let sniffed = load_idx_pair(dir.write("i.bin", &gzip(&images)), dir.0.join("l")).unwrap();
    assert_eq!(sniffed, raw);
}

#[test]
fn full_byte_range_scales_to_unit_interval() {
    let dir = TempDir::new("range");
    let pixels = [0, 1, 127, 128, 254, 255];
    let data = load_idx_pair(
        dir.write("i", &images_file(1, 2, 3, &pixels)),
        dir.write("l", &labels_file(&[1])),
    )
    .unwrap();
    assert_eq!(data.row(0)[0], 0.0);
    assert_eq!(data.row(0)[5], 1.0);
    // A single label 1 gives classes 0 and 1.
    assert_eq!(data.n_classes(), Some(2));
}

#[test]
fn directory_finds_mnist_names_raw_gzip_and_dotted() {
    let dir = TempDir::new("dir");
    let (images, labels, pixels) = sample();
    dir.write("train-images-idx3-ubyte.gz", &gzip(&images));
    dir.write("train-labels-idx1-ubyte", &labels);
    // The test split has labels up to 7 only there: both splits get 8 classes.
    let test_pixels = [9u8; 24];
    dir.write(
        "t10k-images.idx3-ubyte",
        &images_file(2, 3, 4, &test_pixels),
    );
    dir.write("t10k-labels-idx1-ubyte.gz", &gzip(&labels_file(&[7, 0])));
    let splits = load_idx_dir(&dir.0).unwrap();
    assert_eq!(splits.train.n_classes(), Some(8));
    assert_eq!(splits.test.n_classes(), Some(8));
    let expected: Vec<f32> = pixels.iter().map(|&p| f32::from(p) / 255.0).collect();
    assert_eq!(splits.train.features(), expected.as_slice());
    assert_eq!(splits.train.labels().unwrap(), &[3, 0, 4, 1, 2]);
    assert_eq!(splits.test.labels().unwrap(), &[7, 0]);
}

#[test]
fn directory_without_a_file_lists_the_names_tried() {
    let dir = TempDir::new("missing");
    let (images, labels, _) = sample();
    dir.write("train-images-idx3-ubyte", &images);
    dir.write("train-labels-idx1-ubyte", &labels);
    dir.write("t10k-images-idx3-ubyte", &images);
    let err = load_idx_dir(&dir.0).unwrap_err();
    let IdxError::MissingFile { tried, .. } = &err else {
        panic!("expected MissingFile, got {err}")
    };
    assert_eq!(
        tried,
        &[
            "t10k-labels-idx1-ubyte",
            "t10k-labels-idx1-ubyte.gz",
            "t10k-labels.idx1-ubyte",
            "t10k-labels.idx1-ubyte.gz"
        ]
    );
    assert!(err.to_string().contains("t10k-labels-idx1-ubyte.gz"));
}

#[test]
fn truncated_files_say_how_many_bytes() {
    let dir = TempDir::new("truncated");
    let (images, labels, _) = sample();
    let labels_path = dir.write("l", &labels);
    // 16-byte header + 60 pixels = 76 bytes; cut 10.
    let cut = dir.write("cut", &images[..66]);
    let err = load_idx_pair(&cut, &labels_path).unwrap_err();
    assert!(
        matches!(
            err,
            IdxError::Truncated {
                expected: 76,
                got: 66,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("66 bytes, expected 76"));
    // Cut inside the header: the header's own length is what is expected.
    let stub = dir.write("stub", &images[..9]);
    assert!(matches!(
        load_idx_pair(&stub, &labels_path),
        Err(IdxError::Truncated {
            expected: 16,
            got: 9,
            ..
        })
    ));
    // A gzip of a truncated file reports the inflated lengths.
    let cut_gz = dir.write("cut.gz", &gzip(&images[..70]));
    assert!(matches!(
        load_idx_pair(&cut_gz, &labels_path),
        Err(IdxError::Truncated {
            expected: 76,
            got: 70,
            ..
        })
    ));
    let mut long = images.clone();
    long.extend([0, 0]);
    assert!(matches!(
        load_idx_pair(dir.write("long", &long), &labels_path),
        Err(IdxError::TrailingBytes {
            expected: 76,
            got: 78,
            ..
        })
    ));
}

#[test]
fn wrong_magic_and_swapped_files() {
    let dir = TempDir::new("magic");
    let (images, labels, _) = sample();
    let images_path = dir.write("i", &images);
    let labels_path = dir.write("l", &labels);
    let err = load_idx_pair(&labels_path, &images_path).unwrap_err();
    assert!(matches!(
        err,
        IdxError::BadMagic {
            expected: IMAGES_MAGIC,
            found: LABELS_MAGIC,
            ..
        }
    ));
    assert!(err.to_string().contains("0x00000801, expected 0x00000803"));
    // Signed 32-bit ints (type 0x0C) are valid IDX but not images of bytes.
    let mut ints = images.clone();
    ints[2] = 0x0c;
    assert!(matches!(
        load_idx_pair(dir.write("ints", &ints), &labels_path),
        Err(IdxError::BadMagic { found: 0x0c03, .. })
    ));
}

#[test]
fn count_mismatch_names_both_files() {
    let dir = TempDir::new("count");
    let (images, _, _) = sample();
    let err = load_idx_pair(
        dir.write("i", &images),
        dir.write("l", &labels_file(&[1, 2, 3])),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        IdxError::CountMismatch {
            n_images: 5,
            n_labels: 3,
            ..
        }
    ));
    let message = err.to_string();
    assert!(
        message.contains("5 images") && message.contains("3 labels"),
        "{message}"
    );
}

#[test]
fn zero_sized_images_are_refused() {
    let dir = TempDir::new("zero");
    let err = load_idx_pair(
        dir.write("i", &images_file(1, 0, 4, &[])),
        dir.write("l", &labels_file(&[0])),
    )
    .unwrap_err();
    assert!(matches!(err, IdxError::BadDimensions { ref dims, .. } if dims == &[1, 0, 4]));
}

#[test]
fn missing_and_corrupt_gzip_files() {
    let dir = TempDir::new("io");
    let (images, labels, _) = sample();
    let labels_path = dir.write("l", &labels);
    let nowhere = dir.0.join("nowhere");
    assert!(matches!(
        load_idx_pair(&nowhere, &labels_path),
        Err(IdxError::NotFound { path }) if path == nowhere
    ));
    // Gzip magic followed by garbage.
    let mut corrupt = gzip(&images);
    let len = corrupt.len();
    corrupt[12..len - 8].fill(0xAB);
    let err = load_idx_pair(dir.write("corrupt.gz", &corrupt), &labels_path).unwrap_err();
    assert!(matches!(err, IdxError::Gzip { .. }), "{err}");
    assert!(err.to_string().contains("corrupt.gz: corrupt gzip data"));
    // A `.gz` name on a raw file is corrupt gzip too, not silently raw.
    let err = load_idx_pair(dir.write("raw.gz", &images), &labels_path).unwrap_err();
    assert!(matches!(err, IdxError::Gzip { .. }), "{err}");
    // A directory is an I/O error.
    assert!(matches!(
        load_idx_pair(&dir.0, &labels_path),
        Err(IdxError::Io { .. })
    ));
}
