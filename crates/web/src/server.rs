//! The HTTP server: the page and its assets, the export downloads, a health route with the
//! session count, and the WebSocket on which each tab gets its own [`Session`].
//!
//! Routes:
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /app.js`, `GET /style.css` | its script and style |
//! | `GET /api/health` | `{"status":"ok","sessions":N}` |
//! | `GET /api/sessions/{id}/weights.json` | the session's network as JSON |
//! | `GET /api/sessions/{id}/weights.safetensors` | the session's network as safetensors |
//! | `GET /ws` | the session's WebSocket (docs/PLAYGROUND.md, "Protocol") |
//!
//! A session lives exactly as long as its socket: closing the tab frees it.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::time::MissedTickBehavior;

use crate::assets;
use crate::config::Config;
use crate::export;
use crate::limits::{MAX_MESSAGE_BYTES, MAX_SESSIONS, TICK_MS};
use crate::presets;
use crate::protocol::{self, Catalogue, ClientMessage, Limits, MAX_STEP_EPOCHS, ServerMessage};
use crate::session::Session;

type SessionHandle = Arc<Mutex<Session>>;

/// The server's shared state: the open sessions by id.
#[derive(Clone, Default)]
pub struct AppState {
    sessions: Arc<Mutex<HashMap<String, SessionHandle>>>,
}

impl AppState {
    /// A server with no sessions.
    pub fn new() -> AppState {
        AppState::default()
    }

    /// How many sessions (open sockets) there are.
    pub fn session_count(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SessionHandle>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `session` under a fresh random id, unless [`MAX_SESSIONS`] are open.
    fn open(&self, session: Session) -> Option<(String, SessionHandle)> {
        let mut sessions = self.lock();
        if sessions.len() >= MAX_SESSIONS {
            return None;
        }
        let handle = Arc::new(Mutex::new(session));
        loop {
            // RandomState is seeded from the OS: an unguessable id without another dependency.
            let id = format!("{:016x}", RandomState::new().hash_one(sessions.len()));
            if !sessions.contains_key(&id) {
                sessions.insert(id.clone(), handle.clone());
                return Some((id, handle));
            }
        }
    }

    fn close(&self, id: &str) {
        self.lock().remove(id);
    }

    fn get(&self, id: &str) -> Option<SessionHandle> {
        self.lock().get(id).cloned()
    }
}

/// The playground's routes on `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", assets::INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", assets::APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", assets::STYLE_CSS) }),
        )
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/health", get(health))
        .route("/api/sessions/{id}/weights.json", get(export_json))
        .route(
            "/api/sessions/{id}/weights.safetensors",
            get(export_safetensors),
        )
        .route("/ws", get(upgrade))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found\n") })
        .with_state(state)
}

/// Serves the playground on `listener` until the process ends.
///
/// # Errors
///
/// An I/O error from the listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

/// Why [`run`] stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServeError {
    /// The address could not be bound (in use, not permitted, not local).
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The runtime could not start, or serving failed.
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind { addr, source } if source.kind() == std::io::ErrorKind::AddrInUse => {
                write!(
                    f,
                    "cannot listen on {addr}: the port is already in use (choose another with --port)"
                )
            }
            ServeError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Io(e) => write!(f, "the server failed: {e}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Bind { source, .. } => Some(source),
            ServeError::Io(e) => Some(e),
        }
    }
}

/// Binds `addr`, calls `on_ready` with the address bound (the port, if 0 was asked for), and
/// serves the playground until the process ends, on a runtime of its own.
///
/// # Errors
///
/// [`ServeError::Bind`] if the address cannot be bound; [`ServeError::Io`] otherwise.
pub fn run(addr: SocketAddr, on_ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Io)?;
        on_ready(bound);
        serve(listener, AppState::new())
            .await
            .map_err(ServeError::Io)
    })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn health(State(state): State<AppState>) -> Response {
    let body = serde_json::json!({ "status": "ok", "sessions": state.session_count() });
    json_response(StatusCode::OK, body.to_string())
}

fn no_session(id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no open session {id:?}: exports come from an open tab's session\n"),
    )
        .into_response()
}

async fn export_json(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(handle) = state.get(&id) else {
        return no_session(&id);
    };
    let body = tokio::task::spawn_blocking(move || {
        export::weights_json(&handle.lock().unwrap_or_else(PoisonError::into_inner))
    })
    .await;
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"playground-weights.json\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("export failed: {e}\n"),
        )
            .into_response(),
    }
}

async fn export_safetensors(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(handle) = state.get(&id) else {
        return no_session(&id);
    };
    let bytes = tokio::task::spawn_blocking(move || {
        export::safetensors(&handle.lock().unwrap_or_else(PoisonError::into_inner))
    })
    .await
    .unwrap_or_else(|e| Err(format!("export failed: {e}")));
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"playground.safetensors\"",
                ),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(message) => (
            StatusCode::CONFLICT,
            format!("cannot export the weights: {message}\n"),
        )
            .into_response(),
    }
}

/// Refuses WebSocket requests from other sites' pages (a page on another origin must not
/// drive, or read, a local session); requests without an `Origin` (tools, tests) pass.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    origin_host == host
}

async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "cross-origin WebSocket refused\n").into_response();
    }
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| session_loop(socket, state))
}

async fn send(socket: &mut WebSocket, messages: Vec<ServerMessage>) -> bool {
    for message in messages {
        if socket
            .send(Message::Text(message.to_json().into()))
            .await
            .is_err()
        {
            return false;
        }
    }
    true
}

fn error(message: impl Into<String>) -> ServerMessage {
    ServerMessage::Error {
        message: message.into(),
    }
}

/// Runs `f` on the session on the blocking pool (training and heat maps are CPU work); a panic
/// in it becomes an error message and the session's lock is recovered.
async fn with_session<R: Send + 'static>(
    handle: &SessionHandle,
    f: impl FnOnce(&mut Session) -> R + Send + 'static,
) -> Result<R, String> {
    let handle = handle.clone();
    tokio::task::spawn_blocking(move || {
        f(&mut handle.lock().unwrap_or_else(PoisonError::into_inner))
    })
    .await
    .map_err(|e| format!("internal error (the session is kept): {e}"))
}

fn config_message(session: &Session, notice: Option<String>) -> ServerMessage {
    ServerMessage::Config {
        config: session.config().clone(),
        notice,
    }
}

fn data_message(session: &Session) -> ServerMessage {
    let data = session.data();
    let points = |p: &crate::data::Points| {
        p.xy.iter()
            .zip(&p.labels)
            .map(|(xy, &c)| [xy[0], xy[1], c as f32])
            .collect()
    };
    ServerMessage::Data {
        train: points(&data.train),
        test: points(&data.test),
        n_classes: data.n_classes,
        class_names: data.class_names.clone(),
        source: data.source.clone(),
    }
}

fn state_message(session: &mut Session, playing: bool) -> ServerMessage {
    ServerMessage::State(Box::new(session.frame(playing)))
}

/// One tab's socket: a session is created on connect, driven by the page's messages and the
/// play loop's ticks, and dropped when the socket closes.
async fn session_loop(mut socket: WebSocket, state: AppState) {
    let session = match Session::new(Config::default()) {
        Ok(session) => session,
        Err(message) => {
            send(&mut socket, vec![error(message)]).await;
            return;
        }
    };
    let Some((id, handle)) = state.open(session) else {
        let message = format!(
            "the server has {MAX_SESSIONS} sessions open, its limit: close another tab and reload"
        );
        send(&mut socket, vec![error(message)]).await;
        return;
    };
    let hello = ServerMessage::Hello {
        session: id.clone(),
        limits: Limits::current(),
        catalogue: Catalogue::current(),
        presets: presets::all(),
    };
    let opening = with_session(&handle, |s| {
        vec![
            config_message(s, None),
            data_message(s),
            state_message(s, false),
        ]
    })
    .await
    .unwrap_or_else(|message| vec![error(message)]);
    let mut open = send(&mut socket, std::iter::once(hello).chain(opening).collect()).await;
    let mut playing = false;
    let mut ticker = tokio::time::interval(Duration::from_millis(TICK_MS));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    while open {
        tokio::select! {
            incoming = socket.recv() => {
                let replies = match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                    Some(Ok(Message::Text(text))) => {
                        handle_message(&handle, text.as_str(), &mut playing).await
                    }
                    Some(Ok(Message::Binary(_))) => vec![error(
                        "binary messages are not part of the protocol: send JSON text",
                    )],
                    Some(Ok(_)) => continue, // ping and pong
                };
                open = send(&mut socket, replies).await;
            }
            _ = ticker.tick(), if playing => {
                let replies = with_session(&handle, |s| {
                    s.train_epochs(1);
                    let diverged = s.divergence().is_some();
                    (vec![state_message(s, !diverged)], diverged)
                })
                .await;
                let replies = match replies {
                    Ok((replies, diverged)) => {
                        if diverged {
                            playing = false;
                        }
                        replies
                    }
                    Err(message) => {
                        playing = false;
                        vec![error(message)]
                    }
                };
                open = send(&mut socket, replies).await;
            }
        }
    }
    state.close(&id);
}

/// The replies to one message from the page.
async fn handle_message(
    handle: &SessionHandle,
    text: &str,
    playing: &mut bool,
) -> Vec<ServerMessage> {
    let message = match protocol::parse(text) {
        Ok(message) => message,
        Err(e) => return vec![error(e)],
    };
    let was_playing = *playing;
    let result = match message {
        ClientMessage::Configure { config } => {
            with_session(handle, move |s| match s.configure(config) {
                Ok(data_changed) => {
                    let mut replies = vec![config_message(s, None)];
                    if data_changed {
                        replies.push(data_message(s));
                    }
                    replies.push(state_message(s, was_playing));
                    replies
                }
                // The page's controls go back to the configuration in force.
                Err(message) => vec![error(message), config_message(s, None)],
            })
            .await
        }
        ClientMessage::Play => with_session(handle, |s| match s.divergence() {
            Some(d) => (
                vec![error(format!(
                    "training has diverged ({d}): reset, or change the settings"
                ))],
                false,
            ),
            None => (vec![state_message(s, true)], true),
        })
        .await
        .map(|(replies, play)| {
            *playing = play;
            replies
        }),
        ClientMessage::Pause => {
            *playing = false;
            with_session(handle, |s| vec![state_message(s, false)]).await
        }
        ClientMessage::Step { epochs } => {
            let epochs = epochs.unwrap_or(1);
            if !(1..=MAX_STEP_EPOCHS).contains(&epochs) {
                return vec![error(format!(
                    "step: epochs = {epochs} is out of range: between 1 and {MAX_STEP_EPOCHS}"
                ))];
            }
            *playing = false;
            with_session(handle, move |s| {
                s.train_epochs(epochs);
                vec![state_message(s, false)]
            })
            .await
        }
        ClientMessage::Reset => {
            *playing = false;
            with_session(handle, |s| {
                s.reset();
                vec![state_message(s, false)]
            })
            .await
        }
        ClientMessage::Regenerate => {
            with_session(handle, move |s| match s.regenerate() {
                Ok(()) => vec![
                    config_message(s, None),
                    data_message(s),
                    state_message(s, was_playing),
                ],
                Err(message) => vec![error(message)],
            })
            .await
        }
        ClientMessage::Upload { name, csv } => {
            with_session(handle, move |s| match s.upload(&name, &csv) {
                Ok(notice) => vec![
                    config_message(s, notice),
                    data_message(s),
                    state_message(s, was_playing),
                ],
                Err(message) => vec![error(message)],
            })
            .await
        }
        ClientMessage::State => {
            with_session(handle, move |s| vec![state_message(s, was_playing)]).await
        }
    };
    result.unwrap_or_else(|message| {
        *playing = false;
        vec![error(message)]
    })
}
