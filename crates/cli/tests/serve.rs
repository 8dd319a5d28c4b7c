//! `actlab serve` end to end: its flags, serving the page, a port in use, `--open` without a
//! browser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};

/// Starts `actlab serve args…` and returns it with the URL it printed.
fn serve(args: &[&str], env_path: Option<&str>) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_actlab"));
    command
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = env_path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().expect("actlab starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();
    (child, url)
}

fn get(url: &str, path: &str) -> String {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_help_documents_its_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in ["--port", "--host", "--open", "8080", "127.0.0.1"] {
        assert!(help.contains(flag), "{help}");
    }
}

#[test]
fn serve_serves_the_page_on_loopback() {
    let (mut child, url) = serve(&["--port", "0"], None);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let page = get(&url, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("data-testid=\"gradient-flow\""));
    assert!(get(&url, "/api/health").contains("\"sessions\":0"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_actlab"))
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains(&port), "{stderr}");
}

#[test]
fn open_without_a_browser_is_only_a_warning() {
    // No xdg-open on an empty PATH: the server warns and keeps serving.
    let empty = std::env::temp_dir().join(format!("actlab-no-browser-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let (mut child, url) = serve(&["--port", "0", "--open"], empty.to_str());
    assert!(get(&url, "/").starts_with("HTTP/1.1 200"));
    child.kill().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    if cfg!(all(unix, not(target_os = "macos"))) {
        assert!(
            stderr.contains("warning: could not open a browser"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_dir(&empty);
}
