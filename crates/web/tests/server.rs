//! The server end to end over real sockets: the HTTP routes, and the WebSocket protocol
//! (create a session, configure, step, get the state), with hostile input from every door.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use web::AppState;
use web::limits::{MAX_MESSAGE_BYTES, MAX_UPLOAD_BYTES};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// A server on a free port, and its state (for the session count).
async fn start() -> (SocketAddr, AppState) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new();
    tokio::spawn(web::serve(listener, state.clone()));
    (addr, state)
}

/// A plain HTTP/1.1 GET: (status, headers, body).
async fn get(addr: SocketAddr, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}

async fn connect(addr: SocketAddr) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .unwrap();
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON message from the server.
async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(60), socket.next())
            .await
            .expect("a message within a minute")
            .expect("the socket is open")
            .expect("a message");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

/// Reads messages until one of type `kind`, returning it.
async fn until(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = next(socket).await;
        if message["type"] == kind {
            return message;
        }
    }
}

/// Connects and reads the opening messages; returns the socket and the hello.
async fn open(addr: SocketAddr) -> (Socket, Value) {
    let mut socket = connect(addr).await;
    let hello = next(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    assert_eq!(next(&mut socket).await["type"], "config");
    assert_eq!(next(&mut socket).await["type"], "data");
    let state = next(&mut socket).await;
    assert_eq!(state["type"], "state");
    assert_eq!(state["epoch"], 0);
    (socket, hello)
}

async fn session_count_becomes(state: &AppState, expected: usize) {
    for _ in 0..200 {
        if state.session_count() == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} sessions, expected {expected}", state.session_count());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_routes_serve_the_page_and_assets() {
    let (addr, _) = start().await;
    let (status, head, body) = get(addr, "/").await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html")
    );
    let page = String::from_utf8(body).unwrap();
    for hook in [
        "data-testid=\"dataset\"",
        "data-testid=\"activation\"",
        "data-testid=\"learning-rate\"",
        "data-testid=\"play\"",
        "data-testid=\"step\"",
        "data-testid=\"reset\"",
        "data-testid=\"epoch\"",
        "data-testid=\"loss-train\"",
        "data-testid=\"loss-test\"",
        "data-testid=\"gradient-flow\"",
        "data-testid=\"dead-units\"",
    ] {
        assert!(page.contains(hook), "the page lacks {hook}");
    }
    // Nothing is fetched from elsewhere: no CDN.
    assert!(!page.contains("https://"), "the page links outside");
    let (status, head, body) = get(addr, "/app.js").await;
    assert_eq!(status, 200);
    assert!(head.contains("javascript"));
    assert!(!body.is_empty());
    let (status, head, _) = get(addr, "/style.css").await;
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, _, body) = get(addr, "/api/health").await;
    assert_eq!(status, 200);
    let health: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(health, json!({"status": "ok", "sessions": 0}));
    assert_eq!(get(addr, "/nope").await.0, 404);
    assert_eq!(get(addr, "/api/sessions/feed/weights.json").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configure_step_and_state() {
    let (addr, state) = start().await;
    let (mut socket, hello) = open(addr).await;
    assert_eq!(state.session_count(), 1);
    assert_eq!(hello["limits"]["max_hidden_layers"], 8);
    assert_eq!(
        hello["catalogue"]["activations"].as_array().unwrap().len(),
        28
    );
    assert!(hello["presets"].as_array().unwrap().len() >= 4);

    send(
        &mut socket,
        json!({"type": "configure", "config": {
            "dataset": "spiral", "layers": [{"units": 8, "activation": "relu"}, {"units": 8, "activation": "relu"}],
            "init": "he", "loss": "softmax", "optimizer": "adam", "learning_rate": 0.01
        }}),
    )
    .await;
    let config = next(&mut socket).await;
    assert_eq!(config["type"], "config");
    assert_eq!(config["config"]["dataset"], "spiral");
    let data = next(&mut socket).await;
    assert_eq!(data["type"], "data");
    assert_eq!(data["train"].as_array().unwrap().len(), 250);
    let before = next(&mut socket).await;
    assert_eq!(before["type"], "state");
    assert_eq!(before["gradient_flow"].as_array().unwrap().len(), 3);
    assert_eq!(before["layers"][0]["maps"].as_array().unwrap().len(), 8);

    send(&mut socket, json!({"type": "step", "epochs": 20})).await;
    let after = until(&mut socket, "state").await;
    assert_eq!(after["epoch"], 20);
    assert_eq!(after["steps"], 20 * 25);
    let (start, end) = (
        before["loss_train"].as_f64().unwrap(),
        after["loss_train"].as_f64().unwrap(),
    );
    assert!(end < start, "the loss went from {start} to {end}");
    assert!(after["loss_test"].as_f64().unwrap().is_finite());
    for layer in after["gradient_flow"].as_array().unwrap() {
        assert!(layer["weight_grad_norm"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(after["history"].as_array().unwrap().len(), 21);

    // A learning-rate change keeps the network and the epoch count.
    send(
        &mut socket,
        json!({"type": "configure", "config": {
            "dataset": "spiral", "layers": [{"units": 8, "activation": "relu"}, {"units": 8, "activation": "relu"}],
            "init": "he", "loss": "softmax", "optimizer": "adam", "learning_rate": 0.003
        }}),
    )
    .await;
    assert_eq!(next(&mut socket).await["type"], "config");
    assert_eq!(next(&mut socket).await["epoch"], 20);

    send(&mut socket, json!({"type": "reset"})).await;
    assert_eq!(until(&mut socket, "state").await["epoch"], 0);

    // Exports of the open session.
    let id = hello["session"].as_str().unwrap();
    let (status, _, body) = get(addr, &format!("/api/sessions/{id}/weights.json")).await;
    assert_eq!(status, 200);
    let weights: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(weights["layers"][0]["weight"].as_array().unwrap().len(), 16);
    let (status, _, body) = get(addr, &format!("/api/sessions/{id}/weights.safetensors")).await;
    assert_eq!(status, 200);
    let (model, card) = nn::persist::from_bytes::<f32>(&body, "export").unwrap();
    assert_eq!(model.inputs(), 2);
    assert_eq!(card.n_classes, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_streams_states_until_paused() {
    let (addr, _) = start().await;
    let (mut socket, _) = open(addr).await;
    send(&mut socket, json!({"type": "play"})).await;
    let mut last = 0;
    while last < 5 {
        let state = until(&mut socket, "state").await;
        let epoch = state["epoch"].as_u64().unwrap();
        assert!(epoch >= last);
        last = epoch;
    }
    send(&mut socket, json!({"type": "pause"})).await;
    // After the pause's reply, no more epochs.
    loop {
        let state = until(&mut socket, "state").await;
        if !state["playing"].as_bool().unwrap() {
            last = state["epoch"].as_u64().unwrap();
            break;
        }
    }
    send(&mut socket, json!({"type": "state"})).await;
    assert_eq!(until(&mut socket, "state").await["epoch"], last);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_errors_and_the_session_lives() {
    let (addr, state) = start().await;
    let (mut socket, _) = open(addr).await;
    for bad in [
        "not json".to_owned(),
        "{}".to_owned(),
        r#"{"type":"explode"}"#.to_owned(),
        r#"{"type":"configure","config":{"layers":"lots"}}"#.to_owned(),
        r#"{"type":"step","epochs":0}"#.to_owned(),
        r#"{"type":"step","epochs":99999999}"#.to_owned(),
        "[1,2,3]".to_owned(),
        "\u{0}\u{1}".to_owned(),
    ] {
        socket
            .send(Message::Text(bad.clone().into()))
            .await
            .unwrap();
        let reply = next(&mut socket).await;
        assert_eq!(reply["type"], "error", "no error for {bad:?}");
        assert!(!reply["message"].as_str().unwrap().is_empty());
    }
    socket
        .send(Message::Binary(vec![0u8, 1, 2].into()))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await["type"], "error");
    // Still alive: a step works.
    send(&mut socket, json!({"type": "step"})).await;
    assert_eq!(until(&mut socket, "state").await["epoch"], 1);
    assert_eq!(state.session_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_sizes_are_refused_with_the_limit() {
    let (addr, _) = start().await;
    let (mut socket, _) = open(addr).await;
    let cases = [
        (
            json!({"layers": [{"units": 1000000, "activation": "relu"}]}),
            "between 1 and 32",
        ),
        (
            json!({"layers": vec![json!({"units": 2, "activation": "relu"}); 50]}),
            "at most 8",
        ),
        (json!({"batch_size": 1000000}), "batch size"),
        (json!({"samples": 100000000}), "samples"),
        (json!({"learning_rate": -1}), "learning rate"),
        (json!({"features": []}), "at least one"),
        (json!({"dataset": "mnist"}), "unknown dataset"),
        (json!({"dataset": "upload"}), "upload"),
        (
            json!({"layers": [{"units": 2, "activation": "softmax"}]}),
            "softmax",
        ),
    ];
    for (config, expected) in cases {
        send(&mut socket, json!({"type": "configure", "config": config})).await;
        let reply = next(&mut socket).await;
        assert_eq!(reply["type"], "error", "{config}");
        let message = reply["message"].as_str().unwrap();
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        // The configuration in force comes back so the page's controls can revert.
        assert_eq!(next(&mut socket).await["config"]["dataset"], "circle");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_good_bad_and_oversized() {
    let (addr, state) = start().await;
    let (mut socket, _) = open(addr).await;
    // A good three-class file: softmax is chosen for it.
    let mut csv = String::from("x1,x2,label\n");
    for i in 0..90 {
        let c = i % 3;
        csv.push_str(&format!(
            "{},{},{}\n",
            c * 10 + i % 7,
            i % 5,
            ["a", "b", "c"][c]
        ));
    }
    send(
        &mut socket,
        json!({"type": "upload", "name": "three.csv", "csv": csv}),
    )
    .await;
    let config = next(&mut socket).await;
    assert_eq!(config["type"], "config");
    assert_eq!(config["config"]["dataset"], "upload");
    assert_eq!(config["config"]["loss"], "softmax");
    assert!(config["notice"].as_str().unwrap().contains("3 classes"));
    let data = next(&mut socket).await;
    assert_eq!(data["n_classes"], 3);
    let frame = next(&mut socket).await;
    assert!(!frame["boundary"]["binary"].as_bool().unwrap());

    // Bad CSV: an error naming the problem, nothing changed.
    for (bad, expected) in [
        ("x1,x2,label\n1,2,a\n3,oops,b\n", "could not read"),
        ("1,2,3,a\n4,5,6,b\n", "3 feature columns"),
        ("", "empty"),
    ] {
        send(
            &mut socket,
            json!({"type": "upload", "name": "bad.csv", "csv": bad}),
        )
        .await;
        let reply = next(&mut socket).await;
        assert_eq!(reply["type"], "error");
        assert!(
            reply["message"].as_str().unwrap().contains(expected),
            "{reply}"
        );
    }

    // Over the upload limit but within a message: a clear error.
    let big = "1,2,0\n".repeat(MAX_UPLOAD_BYTES / 6 + 10);
    send(
        &mut socket,
        json!({"type": "upload", "name": "big.csv", "csv": big}),
    )
    .await;
    let reply = next(&mut socket).await;
    assert_eq!(reply["type"], "error");
    assert!(reply["message"].as_str().unwrap().contains("limit"));
    send(&mut socket, json!({"type": "state"})).await;
    assert_eq!(until(&mut socket, "state").await["type"], "state");

    // Over the message limit: that socket closes, the server goes on.
    let huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
    let _ = socket.send(Message::Text(huge.into())).await;
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "an oversized message closes its socket");
    session_count_becomes(&state, 0).await;
    let (_socket, _) = open(addr).await;
    assert_eq!(state.session_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_independent_and_freed_on_close() {
    let (addr, state) = start().await;
    let (mut a, hello_a) = open(addr).await;
    let (mut b, hello_b) = open(addr).await;
    assert_ne!(hello_a["session"], hello_b["session"]);
    assert_eq!(state.session_count(), 2);
    send(&mut a, json!({"type": "step", "epochs": 3})).await;
    assert_eq!(until(&mut a, "state").await["epoch"], 3);
    send(&mut b, json!({"type": "state"})).await;
    assert_eq!(until(&mut b, "state").await["epoch"], 0);
    send(
        &mut b,
        json!({"type": "configure", "config": {"dataset": "xor"}}),
    )
    .await;
    assert_eq!(until(&mut b, "config").await["config"]["dataset"], "xor");
    send(&mut a, json!({"type": "state"})).await;
    let state_a = until(&mut a, "state").await;
    assert_eq!(state_a["epoch"], 3);

    // Same seed and settings, same trajectory, in another session.
    let (mut c, _) = open(addr).await;
    send(&mut c, json!({"type": "step", "epochs": 3})).await;
    let state_c = until(&mut c, "state").await;
    assert_eq!(state_c["loss_train"], state_a["loss_train"]);
    assert_eq!(state_c["weights"], state_a["weights"]);

    a.close(None).await.unwrap();
    session_count_becomes(&state, 2).await;
    drop(b);
    session_count_becomes(&state, 1).await;
    let id = hello_a["session"].as_str().unwrap();
    assert_eq!(
        get(addr, &format!("/api/sessions/{id}/weights.json"))
            .await
            .0,
        404
    );
    let (_, _, body) = get(addr, "/api/health").await;
    let health: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(health["sessions"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn divergence_is_reported_in_words_and_stops_play() {
    let (addr, _) = start().await;
    let (mut socket, _) = open(addr).await;
    send(
        &mut socket,
        json!({"type": "configure", "config": {
            "dataset": "spiral", "layers": vec![json!({"units": 8, "activation": "leaky_relu"}); 3],
            "init": "he", "loss": "softmax", "learning_rate": 10
        }}),
    )
    .await;
    until(&mut socket, "state").await;
    send(&mut socket, json!({"type": "play"})).await;
    let message = loop {
        let state = until(&mut socket, "state").await;
        if let Some(message) = state["divergence"].as_str() {
            assert!(!state["playing"].as_bool().unwrap());
            break message.to_owned();
        }
    };
    assert!(
        message.contains("the learning rate 10 is too large"),
        "{message}"
    );
    send(&mut socket, json!({"type": "play"})).await;
    let reply = next(&mut socket).await;
    assert_eq!(reply["type"], "error");
    assert!(reply["message"].as_str().unwrap().contains("diverged"));
    // A diverged network cannot be exported as safetensors, and says why; reset recovers.
    send(&mut socket, json!({"type": "reset"})).await;
    let state = until(&mut socket, "state").await;
    assert!(state["divergence"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_sockets_are_refused() {
    let (addr, _) = start().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://evil.example\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = vec![0u8; 64];
    let n = stream.read(&mut response).await.unwrap();
    assert!(String::from_utf8_lossy(&response[..n]).starts_with("HTTP/1.1 403"));
}
