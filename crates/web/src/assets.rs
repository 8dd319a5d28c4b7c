//! The page's files, compiled into the binary: the playground works offline, from any
//! directory, with nothing fetched from elsewhere.

/// The page.
pub const INDEX_HTML: &str = include_str!("../static/index.html");
/// Its script (plain JavaScript, no framework).
pub const APP_JS: &str = include_str!("../static/app.js");
/// Its style.
pub const STYLE_CSS: &str = include_str!("../static/style.css");
