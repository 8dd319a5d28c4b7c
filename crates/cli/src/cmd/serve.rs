//! `actlab serve`: the playground, a local web app that trains a network and shows its
//! activations and gradients live (crates/web; docs/PLAYGROUND.md).

use std::net::{IpAddr, SocketAddr};
use std::process::{Command, ExitCode, Stdio};

/// Starts the playground: a local web server whose page trains a network on 2-D data and
/// shows the decision boundary, every neuron, the weights, the losses, each layer's gradient
/// norm, dead and saturated units and activation histograms while it trains.
///
/// Training runs in this process; each browser tab gets its own session. Everything the page
/// needs is inside the binary (it works offline). The server listens on 127.0.0.1 unless
/// `--host` says otherwise, and runs until interrupted (Ctrl-C).
///
/// A port already in use is an error (exit 1); failing to open a browser with `--open` is only
/// a warning.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The TCP port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on. Anything other than a loopback address makes the playground
    /// reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Open the page in the system's browser once the server is listening.
    #[arg(long)]
    pub open: bool,
}

/// Runs `actlab serve`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let addr = SocketAddr::new(args.host, args.port);
    let open = args.open;
    web::run(addr, |bound| {
        let url = format!("http://{bound}/");
        println!("actlab playground: {url}  (Ctrl-C stops it)");
        if open && let Err(e) = open_browser(&url) {
            eprintln!("actlab: warning: could not open a browser ({e}); open {url} yourself");
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Asks the system to open `url` in the default browser, without waiting for it.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}
