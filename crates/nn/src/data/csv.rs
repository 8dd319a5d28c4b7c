//! Loading a CSV table, plain or gzip, into a [`Dataset`].
//!
//! One column holds the target, every other column a numeric feature. The loader recognises
//! scikit-learn's bundled format (`sklearn/datasets/data/*.csv`: a first line
//! `n_samples,n_features,class names…` above headerless rows, the label last), plain headers and
//! headerless files, and reads gzip by its magic bytes or a `.gz` name. Every failure is a
//! [`CsvError`] naming the file, the line and the offending token; nothing in here panics on bad
//! input.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use ::csv::{Reader, ReaderBuilder, StringRecord, Trim};

use super::dataset::{Dataset, Targets};
use super::source::{self, ReadError};

/// With [`Task::Auto`], an integer label column with at most this many distinct values is taken
/// for classes.
pub const MAX_AUTO_CLASSES: usize = 50;

/// How to read a CSV file; the [`Default`] reads most files as they are.
///
/// `Default`: [`Header::Auto`], [`LabelColumn::Last`], [`Task::Auto`], delimiter `b','`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Whether the first line names the columns.
    pub header: Header,
    /// Which column holds the target.
    pub label: LabelColumn,
    /// Classification or regression.
    pub task: Task,
    /// The field separator, one byte (`b','`, `b';'`, `b'\t'`, …).
    pub delimiter: u8,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            header: Header::Auto,
            label: LabelColumn::Last,
            task: Task::Auto,
            delimiter: b',',
        }
    }
}

/// Whether the first line of a CSV file names the columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Header {
    /// Decide from the file:
    /// 1. scikit-learn's format, when the first line's first two fields are integers equal to
    ///    the number of data rows and to the number of columns − 1 (of the second line), and the
    ///    rest of the line is either at least two class names, none of them a number, or empty
    ///    (then the data must have more than two columns);
    /// 2. otherwise a header when [`LabelColumn::Name`] is asked for, or when some field of the
    ///    first line is not a number where the second line has one (a one-line file: when no
    ///    field is a number);
    /// 3. otherwise no header.
    #[default]
    Auto,
    /// The first line names the columns.
    Yes,
    /// The first line is data.
    No,
}

/// Which column holds the target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LabelColumn {
    /// The column with this header name (needs a header).
    Name(String),
    /// The column at this 0-based index; negative counts from the end (−1 is the last).
    Index(isize),
    /// The last column.
    #[default]
    Last,
}

impl fmt::Display for LabelColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelColumn::Name(name) => write!(f, "column {name:?}"),
            LabelColumn::Index(index) => write!(f, "column index {index}"),
            LabelColumn::Last => write!(f, "the last column"),
        }
    }
}

/// Whether the target column holds classes or real values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Task {
    /// Classes when the labels are not all numbers, or are all integers with at most
    /// [`MAX_AUTO_CLASSES`] distinct values; real values otherwise.
    #[default]
    Auto,
    /// Classes, numbered `0..k` in sorted order of the distinct labels (numeric order when all
    /// are numbers, byte order otherwise), the labels as written becoming the class names; in
    /// scikit-learn's format, integer labels `0..k` keep their numbers and take the names from
    /// the first line.
    Classification,
    /// Real values (each label must be a finite number).
    Regression,
}

/// Loads the CSV file at `path` (gzip when it starts with gzip's magic bytes or ends in `.gz`).
///
/// # Errors
/// A [`CsvError`] for a missing or unreadable file, corrupt gzip, malformed CSV, a ragged row, a
/// feature that is not a finite number, a missing label column, no data rows or fewer than two
/// classes.
///
/// ```no_run
/// use nn::data::{load_csv, CsvOptions};
///
/// let iris = load_csv("iris.csv", &CsvOptions::default())?;
/// assert_eq!(iris.class_names().unwrap(), &["setosa", "versicolor", "virginica"]);
/// # Ok::<(), nn::data::CsvError>(())
/// ```
pub fn load_csv(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Dataset, CsvError> {
    let path = path.as_ref();
    let bytes = source::read_file(path).map_err(|e| match e {
        ReadError::NotFound => CsvError::NotFound {
            path: path.to_owned(),
        },
        ReadError::Io(source) => CsvError::Io {
            path: path.to_owned(),
            source,
        },
        ReadError::Gzip(source) => CsvError::Gzip {
            path: path.to_owned(),
            source,
        },
    })?;
    parse(&bytes, path, options)
}

/// Parses CSV `bytes` (inflated first when they are gzip) as [`load_csv`] does; `origin` names
/// them in errors (a file name, `"<upload>"`, …).
///
/// # Errors
/// As [`load_csv`], less the file-system ones.
///
/// ```
/// use nn::data::{parse_csv, CsvOptions};
///
/// let text = "width,height,kind\n1.5,2,cat\n3,4.5,dog\n2,2,cat\n";
/// let data = parse_csv(text.as_bytes(), "<inline>", &CsvOptions::default()).unwrap();
/// assert_eq!(data.feature_names(), &["width", "height"]);
/// assert_eq!(data.class_names().unwrap(), &["cat", "dog"]);
/// assert_eq!(data.labels().unwrap(), &[0, 1, 0]);
/// ```
pub fn parse_csv(
    bytes: &[u8],
    origin: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<Dataset, CsvError> {
    let path = origin.as_ref();
    if source::is_gzip(bytes) {
        let inflated = source::inflate(bytes).map_err(|source| CsvError::Gzip {
            path: path.to_owned(),
            source,
        })?;
        parse(&inflated, path, options)
    } else {
        parse(bytes, path, options)
    }
}

/// How the rows of a file are laid out, decided from its first two records.
struct Layout {
    /// Whether the first record is not data (a header or scikit-learn's counts line).
    skip_first: bool,
    /// The header's fields, when there is a header.
    column_names: Option<Vec<String>>,
    /// The class names of scikit-learn's counts line.
    class_names: Option<Vec<String>>,
    /// The number of columns every data row must have.
    n_columns: usize,
}

/// A CSV reader over `bytes` that leaves header handling, ragged rows and line tracking to us.
fn csv_reader<'a>(bytes: &'a [u8], options: &CsvOptions) -> Reader<&'a [u8]> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .delimiter(options.delimiter)
        .from_reader(bytes)
}

/// Turns byte offsets into 1-based line numbers, counting every `\n` (the CSV reader's own
/// count skips blank lines, which would point errors at the wrong line).
struct Lines<'a> {
    bytes: &'a [u8],
    /// The offset up to which newlines have been counted.
    offset: usize,
    /// The line `offset` is on.
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the reader placed at `byte`: the reader's position is where the
    /// previous record ended, before any blank lines it skipped on the way.
    fn record_at(&mut self, byte: u64) -> u64 {
        let mut byte = usize::try_from(byte).map_or(self.bytes.len(), |b| b.min(self.bytes.len()));
        while self
            .bytes
            .get(byte)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            byte += 1;
        }
        self.at(byte)
    }

    /// The line byte `byte` is on; cheap when offsets only grow, as a reader's do.
    fn at(&mut self, byte: usize) -> u64 {
        if byte < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let newlines = self.bytes[self.offset..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = byte;
        self.line
    }
}

/// Reads the next record into `record`; `false` at the end of the input.
fn next_record(
    reader: &mut Reader<&[u8]>,
    record: &mut StringRecord,
    lines: &mut Lines<'_>,
    path: &Path,
) -> Result<bool, CsvError> {
    reader.read_record(record).map_err(|e| CsvError::Malformed {
        path: path.to_owned(),
        line: e.position().map_or(0, |p| lines.record_at(p.byte())),
        reason: e.to_string(),
    })
}

fn is_number(field: &str) -> bool {
    field.parse::<f64>().is_ok()
}

fn parse(bytes: &[u8], path: &Path, options: &CsvOptions) -> Result<Dataset, CsvError> {
    // Pass 1: the first two records, and how many there are.
    let mut reader = csv_reader(bytes, options);
    let mut lines = Lines::new(bytes);
    let mut record = StringRecord::new();
    let (mut first, mut second) = (None, None);
    let mut n_records = 0usize;
    while next_record(&mut reader, &mut record, &mut lines, path)? {
        match n_records {
            0 => first = Some(record.clone()),
            1 => second = Some(record.clone()),
            _ => {}
        }
        n_records += 1;
    }
    let Some(first) = first else {
        return Err(CsvError::Empty {
            path: path.to_owned(),
        });
    };
    let layout = layout(&first, second.as_ref(), n_records, options);
    let label_index =
        label_index(&options.label, &layout).ok_or_else(|| CsvError::LabelColumnMissing {
            path: path.to_owned(),
            label: options.label.clone(),
            n_columns: layout.n_columns,
        })?;
    if layout.n_columns < 2 {
        return Err(CsvError::NoFeatureColumns {
            path: path.to_owned(),
            n_columns: layout.n_columns,
        });
    }

    // Pass 2: the data rows.
    let mut reader = csv_reader(bytes, options);
    let mut lines = Lines::new(bytes);
    let mut skip = layout.skip_first;
    // (n, d)
    let mut features = Vec::new();
    let mut labels = Vec::new();
    while next_record(&mut reader, &mut record, &mut lines, path)? {
        if std::mem::take(&mut skip) {
            continue;
        }
        let line = record.position().map_or(0, |p| lines.record_at(p.byte()));
        if record.len() != layout.n_columns {
            return Err(CsvError::Ragged {
                path: path.to_owned(),
                line,
                expected: layout.n_columns,
                got: record.len(),
            });
        }
        for (column, field) in record.iter().enumerate() {
            if column == label_index {
                labels.push(Label {
                    token: field.to_owned(),
                    line,
                });
                continue;
            }
            match field.parse::<f32>() {
                Ok(value) if value.is_finite() => features.push(value),
                _ => {
                    return Err(CsvError::NonNumericFeature {
                        path: path.to_owned(),
                        line,
                        column: column + 1,
                        token: field.to_owned(),
                    });
                }
            }
        }
    }
    if labels.is_empty() {
        return Err(CsvError::Empty {
            path: path.to_owned(),
        });
    }

    let (targets, class_names) = targets(&labels, options.task, layout.class_names, path)?;
    let feature_names = match layout.column_names {
        Some(mut names) => {
            names.remove(label_index);
            names
        }
        None => (1..layout.n_columns).map(|j| format!("x{j}")).collect(),
    };
    let dataset = Dataset::new(features, layout.n_columns - 1, targets)
        .and_then(|d| d.with_feature_names(feature_names));
    let dataset = match class_names {
        Some(names) => dataset.and_then(|d| d.with_class_names(names)),
        None => dataset,
    };
    Ok(dataset.expect("parsed rows are finite, rectangular and labelled in range"))
}

/// Reads the layout off the first two records (see [`Header::Auto`]).
fn layout(
    first: &StringRecord,
    second: Option<&StringRecord>,
    n_records: usize,
    options: &CsvOptions,
) -> Layout {
    let header = |skip| Layout {
        skip_first: skip,
        column_names: skip.then(|| first.iter().map(str::to_owned).collect()),
        class_names: None,
        n_columns: first.len(),
    };
    match options.header {
        Header::Yes => return header(true),
        Header::No => return header(false),
        Header::Auto => {}
    }
    if let Some(second) = second {
        let count = |k: usize| first.get(k).and_then(|f| f.parse::<usize>().ok());
        let names: Vec<String> = first.iter().skip(2).map(str::to_owned).collect();
        // Without the names test, tiny numeric files such as "1,2,3\n4,5,6" would pass for
        // scikit-learn's format and lose their first row.
        let names_fit = match names.len() {
            0 => second.len() > 2,
            1 => false,
            _ => !names.iter().any(|name| is_number(name)),
        };
        if count(0) == Some(n_records - 1)
            && count(1).map(|d| d + 1) == Some(second.len())
            && names_fit
        {
            return Layout {
                skip_first: true,
                column_names: None,
                class_names: (!names.is_empty()).then_some(names),
                n_columns: second.len(),
            };
        }
    }
    let has_header = matches!(options.label, LabelColumn::Name(_))
        || match second {
            None => !first.iter().any(is_number),
            Some(second) => first
                .iter()
                .zip(second.iter())
                .any(|(a, b)| !is_number(a) && is_number(b)),
        };
    header(has_header)
}

/// The 0-based index of the label column, if it exists.
fn label_index(label: &LabelColumn, layout: &Layout) -> Option<usize> {
    let n = layout.n_columns;
    match label {
        LabelColumn::Name(name) => layout.column_names.as_ref()?.iter().position(|c| c == name),
        LabelColumn::Index(i) if *i >= 0 => Some(i.unsigned_abs()).filter(|&i| i < n),
        LabelColumn::Index(i) => n.checked_sub(i.unsigned_abs()),
        LabelColumn::Last => n.checked_sub(1),
    }
}

/// A label as written, and where.
struct Label {
    token: String,
    line: u64,
}

/// Integers beyond 2⁵³ are not all exact in `f64`, so such labels are not taken for integers.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Turns the label column into targets and, for classes, their names.
fn targets(
    labels: &[Label],
    task: Task,
    sklearn_names: Option<Vec<String>>,
    path: &Path,
) -> Result<(Targets, Option<Vec<String>>), CsvError> {
    let numbers: Option<Vec<f64>> = labels
        .iter()
        .map(|l| l.token.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    let integers = numbers.as_ref().is_some_and(|values| {
        values
            .iter()
            .all(|v| v.fract() == 0.0 && v.abs() <= MAX_EXACT_INTEGER)
    });
    let classification = match task {
        Task::Classification => true,
        Task::Regression => false,
        Task::Auto => match &numbers {
            None => true,
            Some(values) => {
                integers && {
                    let distinct: BTreeSet<i64> = values.iter().map(|&v| v as i64).collect();
                    distinct.len() <= MAX_AUTO_CLASSES
                }
            }
        },
    };

    if !classification {
        let values = labels
            .iter()
            .map(|l| match l.token.parse::<f32>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(CsvError::NonNumericLabel {
                    path: path.to_owned(),
                    line: l.line,
                    token: l.token.clone(),
                }),
            })
            .collect::<Result<Vec<f32>, CsvError>>()?;
        return Ok((Targets::Values(values), None));
    }

    let (labels, n_present, names) = match numbers {
        Some(values) => {
            // scikit-learn's files number their classes 0..k in the order of the names.
            if let Some(names) = sklearn_names.filter(|names| {
                integers
                    && values
                        .iter()
                        .all(|&v| v >= 0.0 && (v as usize) < names.len())
            }) {
                let labels: Vec<u32> = values.iter().map(|&v| v as u32).collect();
                let present: BTreeSet<u32> = labels.iter().copied().collect();
                (labels, present.len(), names)
            } else {
                let mut distinct = values.clone();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                let labels = values
                    .iter()
                    .map(|v| distinct.partition_point(|d| d < v) as u32)
                    .collect();
                let names: Vec<String> = distinct
                    .iter()
                    .map(|&v| {
                        if v.fract() == 0.0 && v.abs() <= MAX_EXACT_INTEGER {
                            format!("{}", v as i64)
                        } else {
                            format!("{v}")
                        }
                    })
                    .collect();
                (labels, names.len(), names)
            }
        }
        None => {
            let distinct: Vec<&str> = labels
                .iter()
                .map(|l| l.token.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let labels = labels
                .iter()
                .map(|l| distinct.partition_point(|&d| d < l.token.as_str()) as u32)
                .collect();
            let names: Vec<String> = distinct.iter().map(|&s| s.to_owned()).collect();
            (labels, names.len(), names)
        }
    };
    if n_present < 2 {
        return Err(CsvError::TooFewClasses {
            path: path.to_owned(),
            found: n_present,
            class: names.first().cloned(),
        });
    }
    let n_classes = names.len();
    Ok((Targets::Classes { labels, n_classes }, Some(names)))
}

/// Why a CSV file could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum CsvError {
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
    /// The bytes are not valid CSV (invalid UTF-8, for one).
    Malformed {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the bad record.
        line: u64,
        /// What the CSV reader said.
        reason: String,
    },
    /// The file has no data rows (it may have a header).
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A row has a different number of fields than the first data row (or the header).
    Ragged {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the row.
        line: u64,
        /// The number of columns of the table.
        expected: usize,
        /// The number of fields on this line.
        got: usize,
    },
    /// A feature field is not a finite number (empty, text, NaN, ±inf or beyond `f32`).
    NonNumericFeature {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The 1-based column.
        column: usize,
        /// The field as written (trimmed).
        token: String,
    },
    /// A regression target is not a finite number.
    NonNumericLabel {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The field as written (trimmed).
        token: String,
    },
    /// The label column asked for does not exist (no such header name, or index out of range).
    LabelColumnMissing {
        /// The file.
        path: PathBuf,
        /// The column asked for.
        label: LabelColumn,
        /// The number of columns the file has.
        n_columns: usize,
    },
    /// The table has no column besides the label.
    NoFeatureColumns {
        /// The file.
        path: PathBuf,
        /// The number of columns the file has.
        n_columns: usize,
    },
    /// A classification target column with fewer than two distinct classes.
    TooFewClasses {
        /// The file.
        path: PathBuf,
        /// How many distinct classes there are (0 or 1).
        found: usize,
        /// The only class, when there is one.
        class: Option<String>,
    },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::NotFound { path } => write!(f, "{}: no such file", path.display()),
            CsvError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CsvError::Gzip { path, source } => {
                write!(f, "{}: corrupt gzip data: {source}", path.display())
            }
            CsvError::Malformed { path, line, reason } => {
                write!(f, "{}:{line}: malformed CSV: {reason}", path.display())
            }
            CsvError::Empty { path } => write!(f, "{}: no data rows", path.display()),
            CsvError::Ragged {
                path,
                line,
                expected,
                got,
            } => write!(
                f,
                "{}:{line}: expected {expected} fields, found {got}",
                path.display()
            ),
            CsvError::NonNumericFeature {
                path,
                line,
                column,
                token,
            } => write!(
                f,
                "{}:{line}: column {column}: expected a finite number, found {token:?}",
                path.display()
            ),
            CsvError::NonNumericLabel { path, line, token } => write!(
                f,
                "{}:{line}: regression target: expected a finite number, found {token:?}",
                path.display()
            ),
            CsvError::LabelColumnMissing {
                path,
                label,
                n_columns,
            } => {
                write!(f, "{}: no label {label} among ", path.display())?;
                match label {
                    LabelColumn::Name(_) => write!(f, "the header's column names"),
                    _ => write!(f, "its {n_columns} columns"),
                }
            }
            CsvError::NoFeatureColumns { path, n_columns } => write!(
                f,
                "{}: {n_columns} column(s) leave no feature besides the label",
                path.display()
            ),
            CsvError::TooFewClasses { path, found, class } => {
                write!(f, "{}: {found} class(es)", path.display())?;
                if let Some(class) = class {
                    write!(f, " (only {class:?})")?;
                }
                write!(f, "; classification needs at least 2")
            }
        }
    }
}

impl Error for CsvError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            CsvError::Io { source, .. } | CsvError::Gzip { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str, options: &CsvOptions) -> Result<Dataset, CsvError> {
        parse_csv(text.as_bytes(), "t.csv", options)
    }

    #[test]
    fn sklearn_first_line_names_classes() {
        let text = "3,2,low,high\n1,2,0\n3,4,1\n5,6,1\n";
        let data = parse_str(text, &CsvOptions::default()).unwrap();
        assert_eq!((data.len(), data.n_features()), (3, 2));
        assert_eq!(data.class_names().unwrap(), &["low", "high"]);
        assert_eq!(data.labels().unwrap(), &[0, 1, 1]);
        assert_eq!(data.feature_names(), &["x1", "x2"]);
    }

    #[test]
    fn counts_that_do_not_match_are_not_sklearn() {
        // "4,2" does not count the 3 rows, so it is plain data.
        let text = "4,2,0\n1,2,0\n3,4,1\n5,6,1\n";
        let data = parse_str(text, &CsvOptions::default()).unwrap();
        assert_eq!(data.len(), 4);
        assert_eq!(data.class_names().unwrap(), &["0", "1"]);
    }

    #[test]
    fn label_by_name_index_and_from_the_end() {
        let text = "a,label,b\n1,x,2\n3,y,4\n";
        let by_name = CsvOptions {
            label: LabelColumn::Name("label".into()),
            ..CsvOptions::default()
        };
        let data = parse_str(text, &by_name).unwrap();
        assert_eq!(data.feature_names(), &["a", "b"]);
        assert_eq!(data.features(), &[1.0, 2.0, 3.0, 4.0]);
        for index in [1, -2] {
            let options = CsvOptions {
                label: LabelColumn::Index(index),
                ..CsvOptions::default()
            };
            assert_eq!(parse_str(text, &options).unwrap(), data);
        }
        for index in [3, -4] {
            let options = CsvOptions {
                label: LabelColumn::Index(index),
                ..CsvOptions::default()
            };
            assert!(matches!(
                parse_str(text, &options),
                Err(CsvError::LabelColumnMissing { n_columns: 3, .. })
            ));
        }
    }

    #[test]
    fn integer_labels_sort_numerically() {
        let text = "1,10\n2,9\n3,-1\n4,9\n";
        let data = parse_str(text, &CsvOptions::default()).unwrap();
        assert_eq!(data.class_names().unwrap(), &["-1", "9", "10"]);
        assert_eq!(data.labels().unwrap(), &[2, 1, 0, 1]);
    }

    #[test]
    fn auto_task_picks_regression_for_fractions_and_many_integers() {
        let fractions = "1,0.5\n2,1.5\n";
        let data = parse_str(fractions, &CsvOptions::default()).unwrap();
        assert_eq!(data.values(), Some(&[0.5, 1.5][..]));
        let many: String = (0..=MAX_AUTO_CLASSES)
            .map(|i| format!("{i},{i}\n"))
            .collect();
        assert!(
            !parse_str(&many, &CsvOptions::default())
                .unwrap()
                .is_classification()
        );
        let fifty: String = (0..MAX_AUTO_CLASSES)
            .map(|i| format!("{i},{i}\n"))
            .collect();
        let data = parse_str(&fifty, &CsvOptions::default()).unwrap();
        assert_eq!(data.n_classes(), Some(MAX_AUTO_CLASSES));
    }

    #[test]
    fn forced_tasks() {
        let options = CsvOptions {
            task: Task::Classification,
            ..CsvOptions::default()
        };
        let data = parse_str("1,0.5\n2,1.5\n3,0.5\n", &options).unwrap();
        assert_eq!(data.class_names().unwrap(), &["0.5", "1.5"]);
        let options = CsvOptions {
            task: Task::Regression,
            ..CsvOptions::default()
        };
        let err = parse_str("x,y\n1,2\n2,cat\n", &options).unwrap_err();
        assert!(matches!(&err, CsvError::NonNumericLabel { line: 3, token, .. } if token == "cat"));
        assert_eq!(
            err.to_string(),
            "t.csv:3: regression target: expected a finite number, found \"cat\""
        );
    }

    #[test]
    fn errors_name_file_line_and_token() {
        let options = CsvOptions::default();
        let err = parse_str("1,2,0\n3,4\n", &options).unwrap_err();
        assert!(matches!(
            err,
            CsvError::Ragged {
                line: 2,
                expected: 3,
                got: 2,
                ..
            }
        ));
        assert_eq!(err.to_string(), "t.csv:2: expected 3 fields, found 2");

        let err = parse_str("1,2,0\n3,abc,1\n", &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:2: column 2: expected a finite number, found \"abc\""
        );
        for token in ["", "nan", "inf", "1e39"] {
            let text = format!("1,2,0\n3,{token},1\n");
            assert!(
                matches!(
                    parse_str(&text, &options),
                    Err(CsvError::NonNumericFeature {
                        line: 2,
                        column: 2,
                        ..
                    })
                ),
                "{token:?}"
            );
        }

        let err = parse_str("1,0\n2,0\n", &options).unwrap_err();
        assert!(matches!(err, CsvError::TooFewClasses { found: 1, .. }));
        assert!(err.to_string().contains("only \"0\""));

        assert!(matches!(
            parse_str("", &options),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            parse_str("\n\n", &options),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            parse_str("a,b\n", &options),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            parse_str("1\n2\n", &options),
            Err(CsvError::NoFeatureColumns { n_columns: 1, .. })
        ));
        let by_name = CsvOptions {
            label: LabelColumn::Name("y".into()),
            ..CsvOptions::default()
        };
        let err = parse_str("a,b\n1,2\n", &by_name).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: no label column \"y\" among the header's column names"
        );
        let err = parse_csv(b"1,2\n\xff,1\n", "bad.csv", &options).unwrap_err();
        assert!(matches!(err, CsvError::Malformed { line: 2, .. }), "{err}");
    }

    #[test]
    fn line_numbers_count_blank_lines_and_quoted_newlines() {
        let text = "x,y,label\n\n1,2,\"two\nlines\"\n\n\n3,oops,b\n";
        let err = parse_str(text, &CsvOptions::default()).unwrap_err();
        // Line 3 holds a quoted field that runs onto line 4; lines 5 and 6 are blank.
        assert!(
            matches!(
                err,
                CsvError::NonNumericFeature {
                    line: 7,
                    column: 2,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn header_auto_detection() {
        // Text in a numeric column: a header.
        let data = parse_str("w,h,kind\n1,2,a\n3,4,b\n", &CsvOptions::default()).unwrap();
        assert_eq!(data.len(), 2);
        // Text only in the label column of both lines: data, although "1,2" could count the
        // rows and features of scikit-learn's format (one class name is not enough).
        let data = parse_str("1,2,a\n3,4,b\n", &CsvOptions::default()).unwrap();
        assert_eq!(data.len(), 2);
        let data = parse_str("1,2,3\n4,5,6\n", &CsvOptions::default()).unwrap();
        assert_eq!(data.len(), 2);
        // scikit-learn's format without class names (a regression set).
        let data = parse_str("2,2\n1,2,0.5\n3,4,1.5\n", &CsvOptions::default()).unwrap();
        assert_eq!((data.len(), data.values()), (2, Some(&[0.5, 1.5][..])));
        // Forced header on numeric data drops the first row.
        let options = CsvOptions {
            header: Header::Yes,
            ..CsvOptions::default()
        };
        let data = parse_str("1,2,0\n3,4,1\n5,6,0\n", &options).unwrap();
        assert_eq!(data.feature_names(), &["1", "2"]);
        assert_eq!(data.len(), 2);
    }

    #[test]
    fn other_delimiters_quotes_and_spaces() {
        let options = CsvOptions {
            delimiter: b';',
            ..CsvOptions::default()
        };
        let data = parse_str("\"a\"; b ;class\n 1.5 ;2;\"x;y\"\n3;4;z\n", &options).unwrap();
        assert_eq!(data.feature_names(), &["a", "b"]);
        assert_eq!(data.features(), &[1.5, 2.0, 3.0, 4.0]);
        assert_eq!(data.class_names().unwrap(), &["x;y", "z"]);
    }
}
