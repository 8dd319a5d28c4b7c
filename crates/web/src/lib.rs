//! # web: the actlab playground
//!
//! A local web app, in the spirit of TensorFlow Playground, that trains a small network on 2-D
//! data and shows what the guide talks about while it happens: the decision boundary, every
//! neuron's output, the weights, the train and test loss, the gradient norm of every layer, the
//! dead and saturated units, the activation histograms, and divergence explained in words.
//!
//! Training runs here, in Rust, on the `nn` engine; the page (plain HTML, CSS and JavaScript,
//! embedded in the binary, no CDN) only draws. Each tab opens a WebSocket and gets its own
//! [`Session`]; messages are JSON ([`protocol`]); a session lives as long as its socket.
//!
//! Modules:
//! - [`server`]: the routes, the sessions, the play loop;
//! - [`session`]: one tab's data, network, optimiser and step loop;
//! - [`config`]: the page's whole state, validated against the [`limits`];
//! - [`protocol`]: the messages; [`frame`]: the state message's contents;
//! - [`data`]: generated and uploaded points, features; [`presets`]; [`export`].
//!
//! `actlab serve` runs it; docs/PLAYGROUND.md describes the page, the protocol and the limits.
//!
//! ```
//! use web::config::Config;
//! use web::session::Session;
//!
//! let mut session = Session::new(Config { dataset: "xor".into(), ..Config::default() })?;
//! session.train_epochs(3);
//! assert_eq!(session.epoch(), 3);
//! assert!(session.probe().loss_train.is_finite());
//! # Ok::<(), String>(())
//! ```
#![deny(missing_docs)]

mod assets;
pub mod config;
pub mod data;
pub mod export;
pub mod frame;
pub mod limits;
pub mod presets;
pub mod protocol;
pub mod server;
pub mod session;

pub use server::{AppState, ServeError, router, run, serve};
pub use session::Session;
