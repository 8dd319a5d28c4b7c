//! CSV loading from files: plain and gzip files, missing and corrupt ones, and the messages that
//! name the file, the line and the token.

mod common;
use common::{TempDir, gzip};

use nn::data::{CsvError, CsvOptions, LabelColumn, Task, load_csv};

const TABLE: &str = "\
sepal,petal,species
5.1,1.4,setosa
7.0,4.7,versicolor
6.3,6.0,virginica
4.9,1.4,setosa
";

#[test]
fn plain_and_gzip_files_load_alike() {
    let dir = TempDir::new("gz");
    let plain = load_csv(dir.write("t.csv", TABLE.as_bytes()), &CsvOptions::default()).unwrap();
    assert_eq!((plain.len(), plain.n_features()), (4, 2));
    assert_eq!(plain.feature_names(), &["sepal", "petal"]);
    assert_eq!(
        plain.class_names().unwrap(),
        &["setosa", "versicolor", "virginica"]
    );
    assert_eq!(plain.labels().unwrap(), &[0, 1, 2, 0]);
    let gz = dir.write("t.csv.gz", &gzip(TABLE.as_bytes()));
    assert_eq!(load_csv(gz, &CsvOptions::default()).unwrap(), plain);
}

#[test]
fn regression_by_column_name() {
    let dir = TempDir::new("reg");
    let options = CsvOptions {
        label: LabelColumn::Name("price".into()),
        task: Task::Regression,
        delimiter: b'\t',
        ..CsvOptions::default()
    };
    let path = dir.write(
        "houses.tsv",
        b"price\trooms\tarea\n1.5\t3\t70\n2.25\t4\t95\n",
    );
    let data = load_csv(path, &options).unwrap();
    assert_eq!(data.values(), Some(&[1.5, 2.25][..]));
    assert_eq!(data.feature_names(), &["rooms", "area"]);
    assert_eq!(data.features(), &[3.0, 70.0, 4.0, 95.0]);
}

#[test]
fn missing_file_is_not_found_with_its_path() {
    let dir = TempDir::new("missing");
    let path = dir.0.join("absent.csv");
    let err = load_csv(&path, &CsvOptions::default()).unwrap_err();
    assert!(matches!(&err, CsvError::NotFound { path: p } if *p == path));
    assert!(err.to_string().ends_with("absent.csv: no such file"));
}

#[test]
fn corrupt_gzip_is_an_error_not_a_panic() {
    let dir = TempDir::new("corrupt");
    let mut bytes = gzip(TABLE.as_bytes());
    let len = bytes.len();
    bytes[12..len - 8].fill(0xFF);
    let err = load_csv(dir.write("t.csv.gz", &bytes), &CsvOptions::default()).unwrap_err();
    assert!(matches!(err, CsvError::Gzip { .. }), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    // Cut short.
    let cut = gzip(TABLE.as_bytes());
    let err = load_csv(
        dir.write("cut.gz", &cut[..cut.len() / 2]),
        &CsvOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CsvError::Gzip { .. }), "{err}");
    // A `.gz` name on plain text.
    let err = load_csv(
        dir.write("plain.gz", TABLE.as_bytes()),
        &CsvOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CsvError::Gzip { .. }), "{err}");
}

#[test]
fn errors_in_files_name_file_line_and_token() {
    let dir = TempDir::new("errors");
    let options = CsvOptions::default();
    let ragged = dir.write("ragged.csv", b"a,b,y\n1,2,0\n\n3,4,1,9\n");
    let err = load_csv(&ragged, &options).unwrap_err();
    // The blank line counts: the long row is on line 4.
    assert!(
        matches!(
            err,
            CsvError::Ragged {
                line: 4,
                expected: 3,
                got: 4,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("ragged.csv:4: expected 3 fields, found 4")
    );

    let text = dir.write("text.csv", b"a,b,y\n1,2,0\n3,n/a,1\n");
    let err = load_csv(&text, &options).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("text.csv:3: column 2: expected a finite number, found \"n/a\"")
    );

    let empty = dir.write("empty.csv", b"");
    let err = load_csv(&empty, &options).unwrap_err();
    assert!(matches!(err, CsvError::Empty { .. }));
    assert!(err.to_string().ends_with("empty.csv: no data rows"));

    let one_class = dir.write("one.csv", b"x,y\n1,cat\n2,cat\n");
    let err = load_csv(&one_class, &options).unwrap_err();
    assert!(matches!(err, CsvError::TooFewClasses { found: 1, .. }));
    assert!(
        err.to_string()
            .contains("one.csv: 1 class(es) (only \"cat\")")
    );

    let by_index = CsvOptions {
        label: LabelColumn::Index(7),
        ..CsvOptions::default()
    };
    let err = load_csv(&one_class, &by_index).unwrap_err();
    assert!(matches!(
        err,
        CsvError::LabelColumnMissing { n_columns: 2, .. }
    ));
    assert!(
        err.to_string()
            .ends_with("one.csv: no label column index 7 among its 2 columns")
    );
}

#[test]
fn a_directory_is_an_io_error() {
    let dir = TempDir::new("io");
    let err = load_csv(&dir.0, &CsvOptions::default()).unwrap_err();
    assert!(matches!(err, CsvError::Io { .. }), "{err}");
}
