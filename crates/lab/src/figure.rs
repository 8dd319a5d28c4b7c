//! Figures: what a chart shows ([`Figure`], [`Series`]), independent of how it is drawn, and its
//! rendering to SVG with plotters ([`render_svg`]).
//!
//! Experiments describe their charts as data; the report renders them. Each series carries a
//! colour key (usually an activation's name) so one activation has one colour across the whole
//! report ([`color_for`]).
//!
//! Rendering needs no installed font: plotters measures (and, for PNG, draws) text with DejaVu
//! Sans embedded from the `dejavu` crate, registered with plotters' `ab_glyph` backend on first
//! use.

use std::fmt;

/// How an axis maps values to positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Evenly spaced values.
    Linear,
    /// Evenly spaced decades; only positive values are drawn (others are skipped).
    Log,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A solid line through the points in order.
    Line,
    /// A dashed line (bounds, theory, references drawn beside a measurement).
    Dashed,
    /// Unjoined markers.
    Points,
}

/// One named curve of a figure.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Series {
    /// The legend text.
    pub label: String,
    /// Picks the colour (see [`color_for`]): the activation's name, or another stable key.
    pub color_key: String,
    /// How it is drawn.
    pub style: Style,
    /// The (x, y) points; non-finite points are skipped when drawing.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A solid line whose colour key is its label.
    pub fn line(label: impl Into<String>, points: Vec<(f64, f64)>) -> Series {
        let label = label.into();
        Series {
            color_key: label.clone(),
            label,
            style: Style::Line,
            points,
        }
    }

    /// The same series with another colour key.
    pub fn keyed(mut self, key: impl Into<String>) -> Series {
        self.color_key = key.into();
        self
    }

    /// The same series in another style.
    pub fn styled(mut self, style: Style) -> Series {
        self.style = style;
        self
    }
}

/// A chart: title, labelled axes, scales and series.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Figure {
    /// A file-name-safe identifier, unique within a report (`vanishing-grad-norms`).
    pub id: String,
    /// The title drawn above the chart.
    pub title: String,
    /// The x axis label, with units where there are any.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// The x axis scale.
    pub x_scale: Scale,
    /// The y axis scale.
    pub y_scale: Scale,
    /// The curves.
    pub series: Vec<Series>,
}

impl Figure {
    /// An empty figure with linear axes.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Figure {
        Figure {
            id: id.into(),
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            series: Vec::new(),
        }
    }

    /// The same figure with a log-scaled y axis.
    pub fn log_y(mut self) -> Figure {
        self.y_scale = Scale::Log;
        self
    }

    /// The same figure with a log-scaled x axis.
    pub fn log_x(mut self) -> Figure {
        self.x_scale = Scale::Log;
        self
    }

    /// Adds a series.
    pub fn with(mut self, series: Series) -> Figure {
        self.series.push(series);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Colours
// ---------------------------------------------------------------------------------------------

/// Fixed colours for the catalogue's activations.
///
/// Fourteen well-separated colours, mostly the colour-blind-safe Okabe–Ito palette and Paul
/// Tol's muted scheme (no pale tones that vanish on white). The activations most often drawn
/// together (identity, sigmoid, tanh, relu, leaky relu, elu, selu, gelu, silu, swish, mish,
/// softplus) all differ; so do the members of each group the function gallery draws in one
/// figure (squashing, relu family, smooth relus, shrinkage and the rest). A colour repeats
/// only between functions that are not drawn together, and a gated unit takes its gate's
/// colour (reglu as relu). Keys are compared after [`normalize_key`].
const ACTIVATION_COLORS: &[(&str, (u8, u8, u8))] = &[
    ("identity", BROWN),
    ("linear", BROWN),
    ("sigmoid", VERMILLION),
    ("tanh", BLUISH_GREEN),
    ("relu", BLUE),
    ("leaky_relu", SKY_BLUE),
    ("prelu", INDIGO),
    ("rrelu", TEAL),
    ("relu6", BROWN),
    ("elu", DARK_GREEN),
    ("selu", PURPLE),
    ("celu", OLIVE),
    ("gelu", REDDISH_PURPLE),
    ("gelu_tanh", INDIGO),
    ("silu", ORANGE),
    ("swish", WINE),
    ("mish", ROSE),
    ("softplus", DARK_GOLD),
    ("softsign", SKY_BLUE),
    ("hardsigmoid", ORANGE),
    ("hardtanh", INDIGO),
    ("hardswish", ORANGE),
    ("logsigmoid", VERMILLION),
    ("tanhshrink", BLUISH_GREEN),
    ("hardshrink", INDIGO),
    ("softshrink", PURPLE),
    ("threshold", BROWN),
    ("squared_relu", NAVY),
    ("snake", ROSE),
    ("glu", VERMILLION),
    ("reglu", BLUE),
    ("geglu", REDDISH_PURPLE),
    ("swiglu", ORANGE),
    ("softmax", BLUE),
    ("log_softmax", VERMILLION),
    ("softmin", BLUISH_GREEN),
    ("logsumexp", INDIGO),
];

// Okabe & Ito (2008), "Color Universal Design", without its yellow and black.
const BLUE: (u8, u8, u8) = (0x00, 0x72, 0xB2);
const VERMILLION: (u8, u8, u8) = (0xD5, 0x5E, 0x00);
const BLUISH_GREEN: (u8, u8, u8) = (0x00, 0x9E, 0x73);
const REDDISH_PURPLE: (u8, u8, u8) = (0xCC, 0x79, 0xA7);
const ORANGE: (u8, u8, u8) = (0xE6, 0x9F, 0x00);
const SKY_BLUE: (u8, u8, u8) = (0x56, 0xB4, 0xE9);
// Paul Tol's muted, high-contrast and dark schemes.
const INDIGO: (u8, u8, u8) = (0x33, 0x22, 0x88);
const TEAL: (u8, u8, u8) = (0x44, 0xAA, 0x99);
const DARK_GREEN: (u8, u8, u8) = (0x11, 0x77, 0x33);
const OLIVE: (u8, u8, u8) = (0x99, 0x99, 0x33);
const WINE: (u8, u8, u8) = (0x88, 0x22, 0x55);
const PURPLE: (u8, u8, u8) = (0xAA, 0x44, 0x99);
const ROSE: (u8, u8, u8) = (0xEE, 0x66, 0x77);
const DARK_GOLD: (u8, u8, u8) = (0x99, 0x77, 0x00);
const NAVY: (u8, u8, u8) = (0x00, 0x44, 0x88);
// matplotlib's tab10 brown.
const BROWN: (u8, u8, u8) = (0x8C, 0x56, 0x4B);

/// Reference curves drawn beside measurements: black for what theory predicts, greys for bounds
/// and baselines. A key matches a class when it equals the class name or starts with it
/// followed by `_` (`bound_upper`, `theory_0.25^L`).
const REFERENCE_COLORS: &[(&str, (u8, u8, u8))] = &[
    ("theory", (0x00, 0x00, 0x00)),
    ("expected", (0x00, 0x00, 0x00)),
    ("ideal", (0x00, 0x00, 0x00)),
    ("bound", (0x55, 0x55, 0x55)),
    ("limit", (0x55, 0x55, 0x55)),
    ("reference", (0x77, 0x77, 0x77)),
    ("baseline", (0x77, 0x77, 0x77)),
];

/// The key as [`color_for`] compares it: lower case, with `-` and spaces read as `_`, so
/// `"Leaky-ReLU"` and `"leaky_relu"` share a colour.
fn normalize_key(key: &str) -> String {
    key.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// The colour of a series with colour key `key`, as `(red, green, blue)`.
///
/// The same key gives the same colour in every figure of every report, so an activation is
/// recognisable across a whole report:
///
/// - the catalogue's activations (`identity`, `sigmoid`, `tanh`, `relu`, `leaky_relu`, `gelu`,
///   `silu`, `swish`, `mish`, `softplus`, … and the gated units) have fixed colours; the most
///   common ones take the colour-blind-safe Okabe–Ito palette;
/// - reference curves are black (`theory`, `expected`, `ideal`) or grey (`bound`, `limit`,
///   `reference`, `baseline`), also when followed by `_` and a suffix (`bound_upper`);
/// - any other key gets a stable colour from a hash of its text (FNV-1a), dark enough for at
///   least 3:1 contrast against white;
/// - `series_0`, `series_1`, … ([`ordinal_key`]) take eight distinct colours in turn, for
///   series that are not activations.
///
/// Case, `-` and spaces don't matter: `"Leaky-ReLU"` is `"leaky_relu"`.
///
/// ```
/// use lab::figure::color_for;
/// assert_eq!(color_for("relu"), color_for("ReLU"));
/// assert_ne!(color_for("relu"), color_for("sigmoid"));
/// assert_eq!(color_for("theory"), (0, 0, 0));
/// assert_eq!(color_for("my-experiment-key"), color_for("my-experiment-key"));
/// ```
pub fn color_for(key: &str) -> (u8, u8, u8) {
    let key = normalize_key(key);
    if let Some(&(_, rgb)) = ACTIVATION_COLORS.iter().find(|(name, _)| *name == key) {
        return rgb;
    }
    if let Some(&(_, rgb)) = REFERENCE_COLORS.iter().find(|(class, _)| {
        key == *class
            || key
                .strip_prefix(class)
                .is_some_and(|rest| rest.starts_with('_'))
    }) {
        return rgb;
    }
    if let Some(i) = key
        .strip_prefix("series_")
        .and_then(|n| n.parse::<usize>().ok())
    {
        return ORDINAL_COLORS[i % ORDINAL_COLORS.len()];
    }
    hashed_color(&key)
}

/// Distinct colours for series that are not activations (widths, learning rates), in order.
const ORDINAL_COLORS: [(u8, u8, u8); 8] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    INDIGO,
    DARK_GREEN,
    WINE,
];

/// The colour key of the `i`-th (from 0) of several series that are not activations: the keys
/// `series_0`, `series_1`, … take eight well-separated colours in turn.
///
/// ```
/// use lab::figure::{color_for, ordinal_key};
/// assert_ne!(color_for(&ordinal_key(0)), color_for(&ordinal_key(1)));
/// ```
pub fn ordinal_key(i: usize) -> String {
    format!("series_{i}")
}

/// A readable colour from a key's FNV-1a hash: any hue, saturation 55–80 %, lightness 32–44 %,
/// then darkened where needed (yellows, cyans) to at least 3:1 contrast against white.
fn hashed_color(key: &str) -> (u8, u8, u8) {
    // FNV-1a, 64 bit: stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let hue = (hash % 360) as f64;
    let saturation = 0.55 + ((hash >> 16) % 26) as f64 / 100.0;
    let lightness = 0.32 + ((hash >> 32) % 13) as f64 / 100.0;
    let mut rgb = hsl_to_rgb(hue, saturation, lightness);
    // Contrast with white is 1.05 / (L + 0.05) (WCAG); L ≤ 0.30 gives at least 3:1.
    while relative_luminance(rgb) > 0.30 {
        let darker = |c: u8| (f64::from(c) * 0.9) as u8;
        rgb = (darker(rgb.0), darker(rgb.1), darker(rgb.2));
    }
    rgb
}

/// WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white).
fn relative_luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// HSL (hue in degrees, saturation and lightness in [0, 1]) to 8-bit RGB.
fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> (u8, u8, u8) {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let sector = hue / 60.0;
    let second = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
    let (r, g, b) = match sector as u32 {
        0 => (chroma, second, 0.0),
        1 => (second, chroma, 0.0),
        2 => (0.0, chroma, second),
        3 => (0.0, second, chroma),
        4 => (second, 0.0, chroma),
        _ => (chroma, 0.0, second),
    };
    let offset = lightness - chroma / 2.0;
    let channel = |v: f64| ((v + offset) * 255.0).round().clamp(0.0, 255.0) as u8;
    (channel(r), channel(g), channel(b))
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// The size of a rendered figure in CSS pixels (SVG user units): `(width, height)`.
pub const FIGURE_SIZE: (u32, u32) = (720, 440);

/// How many device pixels [`render_png`] draws per CSS pixel: sharp on high-density screens.
pub const PNG_SCALE: u32 = 2;

/// Values whose magnitude exceeds this are off-scale: not drawn, and counted as "not shown".
///
/// Keeping every drawn value within ±1e300 keeps axis spans finite, which plotters' tick
/// computation needs.
const MAX_DRAWN_MAGNITUDE: f64 = 1e300;

/// Why a figure could not be rendered.
///
/// Hostile data (NaN, infinities, zeros on a log axis, no series at all) is not an error: such
/// figures render with the drawable points only, or with a "no data" notice.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FigureError {
    /// The embedded font could not be loaded (a damaged build).
    Font {
        /// The font loader's message.
        message: String,
    },
    /// plotters failed while drawing.
    Draw {
        /// The figure's id.
        id: String,
        /// plotters' message.
        message: String,
    },
    /// The PNG encoder failed.
    Encode {
        /// The figure's id.
        id: String,
        /// The encoder's message.
        message: String,
    },
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureError::Font { message } => {
                write!(f, "cannot load the embedded figure font: {message}")
            }
            FigureError::Draw { id, message } => {
                write!(f, "cannot draw figure {id:?}: {message}")
            }
            FigureError::Encode { id, message } => {
                write!(f, "cannot encode figure {id:?} as PNG: {message}")
            }
        }
    }
}

impl std::error::Error for FigureError {}

/// Renders `figure` as a standalone SVG document of [`FIGURE_SIZE`].
///
/// The chart has the title on top, labelled axes (log-scaled where the figure says so, with
/// ticks at powers of ten), and, for more than one series (or a series with points not shown),
/// a legend on the right that shows each series' colour ([`color_for`]) and style. Ranges come from the drawable points: finite,
/// within ±1e300, and positive on a log axis. Other points are skipped, a line is broken where
/// they were, and the legend says how many were not shown. A figure with nothing drawable says
/// "no data" and why. Text is measured with the embedded DejaVu Sans, so layout doesn't depend
/// on the fonts installed; the SVG names the generic `sans-serif` family for the viewer.
///
/// # Errors
///
/// [`FigureError::Font`] if the embedded font cannot be loaded, [`FigureError::Draw`] if
/// plotters fails; neither depends on the figure's data.
///
/// ```
/// use lab::figure::{render_svg, Figure, Series};
/// let figure = Figure::new("demo", "σ′ shrinks", "layer", "gradient norm")
///     .log_y()
///     .with(Series::line("sigmoid", vec![(1.0, 0.25), (2.0, 0.0625), (3.0, 0.015625)]));
/// let svg = render_svg(&figure).unwrap();
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("σ′ shrinks"));
/// ```
pub fn render_svg(figure: &Figure) -> Result<String, FigureError> {
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    ensure_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, FIGURE_SIZE).into_drawing_area();
        draw_figure(&root, figure, 1.0).map_err(|e| draw_error(figure, e))?;
        root.present().map_err(|e| draw_error(figure, e))?;
    }
    Ok(svg)
}

/// Renders `figure` as a PNG image, [`PNG_SCALE`] times [`FIGURE_SIZE`] in pixels, laid out
/// as [`render_svg`] lays it out, with the text drawn in the embedded DejaVu Sans.
///
/// # Errors
///
/// As [`render_svg`], and [`FigureError::Encode`] if the PNG encoder fails.
///
/// ```
/// use lab::figure::{render_png, Figure, Series};
/// let figure = Figure::new("demo", "relu", "x", "relu(x)")
///     .with(Series::line("relu", vec![(-1.0, 0.0), (0.0, 0.0), (1.0, 1.0)]));
/// let png = render_png(&figure).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn render_png(figure: &Figure) -> Result<Vec<u8>, FigureError> {
    use plotters::prelude::{BitMapBackend, IntoDrawingArea};

    ensure_font()?;
    let (width, height) = (FIGURE_SIZE.0 * PNG_SCALE, FIGURE_SIZE.1 * PNG_SCALE);
    // (height, width, rgb) row-major, as BitMapBackend expects; white before drawing.
    let mut rgb = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw_figure(&root, figure, f64::from(PNG_SCALE)).map_err(|e| draw_error(figure, e))?;
        root.present().map_err(|e| draw_error(figure, e))?;
    }
    let encode_error = |e: png::EncodingError| FigureError::Encode {
        id: figure.id.clone(),
        message: e.to_string(),
    };
    let mut png_bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(encode_error)?;
    writer.write_image_data(&rgb).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(png_bytes)
}

fn draw_error(figure: &Figure, error: impl fmt::Display) -> FigureError {
    FigureError::Draw {
        id: figure.id.clone(),
        message: error.to_string(),
    }
}

/// The font family plotters measures and draws text with; the SVG names it for the viewer,
/// who substitutes their own sans-serif face.
const FONT_FAMILY: &str = "sans-serif";

/// Registers the embedded DejaVu Sans with plotters, once per process.
///
/// plotters' `ab_glyph` font backend knows only registered fonts: without this every text
/// measurement fails.
fn ensure_font() -> Result<(), FigureError> {
    use plotters::style::{FontStyle, register_font};
    use std::sync::OnceLock;

    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            register_font(FONT_FAMILY, FontStyle::Normal, dejavu::sans::regular())
                .and_then(|()| register_font(FONT_FAMILY, FontStyle::Bold, dejavu::sans::bold()))
                .map_err(|_| "DejaVu Sans is not a valid TrueType font".to_string())
        })
        .clone()
        .map_err(|message| FigureError::Font { message })
}

/// A series reduced to what can be drawn.
struct PlannedSeries<'a> {
    series: &'a Series,
    color: plotters::style::RGBColor,
    /// Maximal runs of consecutive drawable points; a line is broken between runs.
    runs: Vec<Vec<(f64, f64)>>,
    /// Points skipped: non-finite, off-scale, or not positive on a log axis.
    hidden: usize,
}

/// What to draw: the series' drawable points and the axis ranges that hold them all.
struct Plan<'a> {
    series: Vec<PlannedSeries<'a>>,
    /// `None` when no point is drawable.
    ranges: Option<((f64, f64), (f64, f64))>,
}

fn drawable(value: f64, scale: Scale) -> bool {
    value.is_finite()
        && value.abs() <= MAX_DRAWN_MAGNITUDE
        && (scale == Scale::Linear || value > 0.0)
}

fn plan(figure: &Figure) -> Plan<'_> {
    let series: Vec<PlannedSeries<'_>> = figure
        .series
        .iter()
        .map(|series| {
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            let mut current = Vec::new();
            let mut hidden = 0;
            for &(x, y) in &series.points {
                if drawable(x, figure.x_scale) && drawable(y, figure.y_scale) {
                    current.push((x, y));
                } else {
                    hidden += 1;
                    if !current.is_empty() {
                        runs.push(std::mem::take(&mut current));
                    }
                }
            }
            if !current.is_empty() {
                runs.push(current);
            }
            let (r, g, b) = color_for(&series.color_key);
            PlannedSeries {
                series,
                color: plotters::style::RGBColor(r, g, b),
                runs,
                hidden,
            }
        })
        .collect();
    let points = || series.iter().flat_map(|s| s.runs.iter().flatten());
    let any_markers = series
        .iter()
        .any(|s| s.series.style == Style::Points || s.runs.iter().any(|run| run.len() == 1));
    // Lines may touch the left and right edges; markers need room to be seen whole.
    let x_padding = if any_markers { 0.03 } else { 0.0 };
    let x_range = axis_range(points().map(|p| p.0), figure.x_scale, x_padding);
    let y_range = axis_range(points().map(|p| p.1), figure.y_scale, 0.05);
    Plan {
        series,
        ranges: x_range.zip(y_range),
    }
}

/// The axis range holding every value, padded by `padding` of its span on each side; `None`
/// for no values. A log axis spans whole decades (at least one), so powers of ten label it.
fn axis_range(values: impl Iterator<Item = f64>, scale: Scale, padding: f64) -> Option<(f64, f64)> {
    let (min, max) = values.fold(None, |acc: Option<(f64, f64)>, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })?;
    Some(match scale {
        Scale::Log => {
            // 1e-300..1e300 keeps 10^decade finite and normal.
            let low = (min.log10().floor() as i32).clamp(-300, 299);
            let high = (max.log10().ceil() as i32).clamp(low + 1, 300);
            (power_of_ten(low), power_of_ten(high))
        }
        Scale::Linear => {
            let magnitude = min.abs().max(max.abs());
            // plotters ticks a span under f64::EPSILON with a single label; keep every span
            // well above that and above the rounding noise of the values themselves.
            let min_span = (magnitude * 1e-9).max(1e-12);
            if max - min < min_span {
                let half = if magnitude == 0.0 {
                    1.0
                } else {
                    (magnitude * 0.1).max(min_span)
                };
                let mid = min / 2.0 + max / 2.0;
                (mid - half, mid + half)
            } else {
                let pad = (max - min) * padding;
                (min - pad, max + pad)
            }
        }
    })
}

/// 10^exponent, correctly rounded (`powi` can be off by an ulp, and a tick one ulp off a
/// decade loses its label).
fn power_of_ten(exponent: i32) -> f64 {
    format!("1e{exponent}").parse().unwrap_or(f64::NAN)
}

/// The labelled (bold) and unlabelled (light) ticks of a log axis from `low` to `high`, both
/// powers of ten: every `step`-th decade labelled so at most about `max_labels` labels show,
/// the other decades light; up to five decades also light lines at 2×…9×, of which 2× and 5×
/// are labelled on an axis of one or two decades.
fn log_ticks(low: f64, high: f64, max_labels: usize) -> (Vec<f64>, Vec<f64>) {
    let first = low.log10().round() as i32;
    let last = high.log10().round() as i32;
    let decades = (last - first).max(1);
    let step = (decades as usize).div_ceil(max_labels.max(1)).max(1) as i32;
    let mut bold = Vec::new();
    let mut light = Vec::new();
    for exponent in first..=last {
        let decade = power_of_ten(exponent);
        if exponent.rem_euclid(step) == 0 {
            bold.push(decade);
        } else {
            light.push(decade);
        }
        // Minor lines at 2×…9× help read a few decades; across many they only add clutter.
        if step == 1 && decades <= 5 && exponent < last {
            for multiple in 2..=9 {
                let value = f64::from(multiple) * decade;
                if decades <= 2 && (multiple == 2 || multiple == 5) {
                    bold.push(value);
                } else {
                    light.push(value);
                }
            }
        }
    }
    (bold, light)
}

/// A tick label for a linear axis of span `span`: plain decimals from 0.001 to 99 999,
/// scientific notation beyond, `0` for values within rounding noise of zero.
fn linear_tick_label(value: f64, span: f64) -> String {
    let magnitude = value.abs();
    if magnitude <= span * 1e-9 {
        return "0".to_string();
    }
    if !(1e-3..1e5).contains(&magnitude) {
        let text = format!("{value:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = trim_decimal(mantissa);
        return format!("{mantissa}e{exponent}");
    }
    trim_decimal(&format!("{value:.6}"))
}

fn trim_decimal(text: &str) -> String {
    if !text.contains('.') {
        return text.to_string();
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A tick label for a log axis: powers of ten as `0.01`…`1000` or `10⁻⁵`, other ticks (2×,
/// 5×) as plain numbers.
fn log_tick_label(value: f64) -> String {
    if value.is_nan() || value <= 0.0 {
        return String::new();
    }
    let exponent = value.log10();
    let rounded = exponent.round();
    if (exponent - rounded).abs() > 1e-9 {
        return linear_tick_label(value, value);
    }
    if (-2.0..=3.0).contains(&rounded) {
        return linear_tick_label(10f64.powf(rounded), 1.0);
    }
    const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut label = String::from("10");
    let exponent = rounded as i64;
    if exponent < 0 {
        label.push('⁻');
    }
    for digit in exponent.unsigned_abs().to_string().bytes() {
        label.push(SUPERSCRIPTS[usize::from(digit - b'0')]);
    }
    label
}

/// Sizes of the layout at scale 1 (CSS pixels; plotters' text size is 1.24 × the SVG
/// font-size, so 20 → 16.1 px).
mod layout {
    pub const TITLE_FONT: f64 = 20.0;
    pub const TICK_FONT: f64 = 15.0;
    pub const AXIS_FONT: f64 = 16.0;
    pub const LEGEND_FONT: f64 = 15.0;
    pub const NOTE_FONT: f64 = 18.0;
    pub const MARGIN: f64 = 12.0;
    pub const X_LABEL_AREA: f64 = 46.0;
    pub const Y_LABEL_AREA: f64 = 76.0;
    pub const LEGEND_ROW: f64 = 20.0;
    pub const LEGEND_SAMPLE: f64 = 26.0;
    pub const LEGEND_GAP: f64 = 8.0;
    pub const LEGEND_MAX_FRACTION: f64 = 0.32;
    pub const LINE_WIDTH: f64 = 2.0;
    pub const MARKER_RADIUS: f64 = 3.5;
    pub const DASH: f64 = 7.0;
    pub const DASH_GAP: f64 = 4.0;
}

type DrawResult<DB> = Result<
    (),
    plotters::drawing::DrawingAreaErrorKind<<DB as plotters::prelude::DrawingBackend>::ErrorType>,
>;

fn text_style(size: f64, scale: f64) -> plotters::style::TextStyle<'static> {
    use plotters::style::{IntoFont, RGBColor};
    (FONT_FAMILY, size * scale)
        .into_font()
        .color(&RGBColor(0x22, 0x22, 0x22))
}

/// `text`, cut and ended with "…" where needed so it is at most `max_width` pixels wide.
fn fit_text<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    style: &plotters::style::TextStyle<'_>,
    max_width: f64,
) -> Result<String, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    let width = |t: &str| area.estimate_text_size(t, style).map(|(w, _)| f64::from(w));
    if width(text)? <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if width(&candidate)? <= max_width {
            return Ok(candidate);
        }
    }
    Ok("…".to_string())
}

fn draw_figure<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    figure: &Figure,
    scale: f64,
) -> DrawResult<DB> {
    use plotters::prelude::{BindKeyPoints, IntoLogRange};
    use plotters::style::WHITE;

    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let width = f64::from(width);
    let margin = layout::MARGIN * scale;
    let title_style = text_style(layout::TITLE_FONT, scale);
    let title = fit_text(root, &figure.title, &title_style, width - 2.0 * margin)?;
    let body = root
        .margin(margin / 2.0, 0, 0, 0)
        .titled(&title, title_style)?;

    let plan = plan(figure);
    let Some(((x_lo, x_hi), (y_lo, y_hi))) = plan.ranges else {
        return draw_no_data(&body, figure, &plan, scale);
    };

    // A lone series needs no legend, unless it must say that points are missing.
    let needs_legend = plan.series.len() > 1 || plan.series.iter().any(|s| s.hidden > 0);
    let (chart_area, legend_area) = if needs_legend {
        let legend_width = legend_width(&body, &plan, scale)?;
        let (chart, legend) = body.split_horizontally(width - legend_width);
        (chart, Some(legend))
    } else {
        (body.clone(), None)
    };

    let (chart_width, chart_height) = chart_area.dim_in_pixel();
    let labels = (
        ((f64::from(chart_width) / (80.0 * scale)) as usize).clamp(2, 12),
        ((f64::from(chart_height) / (40.0 * scale)) as usize).clamp(2, 10),
    );
    let log_x = || {
        let (bold, light) = log_ticks(x_lo, x_hi, labels.0);
        (x_lo..x_hi)
            .log_scale()
            .with_key_points(bold)
            .with_light_points(light)
    };
    let log_y = || {
        let (bold, light) = log_ticks(y_lo, y_hi, labels.1);
        (y_lo..y_hi)
            .log_scale()
            .with_key_points(bold)
            .with_light_points(light)
    };
    let chart = ChartSpec {
        area: &chart_area,
        figure,
        plan: &plan,
        labels,
        scale,
    };
    match (figure.x_scale, figure.y_scale) {
        (Scale::Linear, Scale::Linear) => chart.draw(x_lo..x_hi, y_lo..y_hi)?,
        (Scale::Log, Scale::Linear) => chart.draw(log_x(), y_lo..y_hi)?,
        (Scale::Linear, Scale::Log) => chart.draw(x_lo..x_hi, log_y())?,
        (Scale::Log, Scale::Log) => chart.draw(log_x(), log_y())?,
    }
    if let Some(legend_area) = legend_area {
        draw_legend(&legend_area, &plan, scale)?;
    }
    Ok(())
}

/// The legend text of a series: its label, and how many of its points are not shown.
fn legend_label(planned: &PlannedSeries<'_>) -> String {
    let total = planned.series.points.len();
    match planned.hidden {
        0 => planned.series.label.clone(),
        hidden if hidden == total => format!("{} (no points shown)", planned.series.label),
        hidden => format!("{} ({hidden} of {total} not shown)", planned.series.label),
    }
}

fn legend_width<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    plan: &Plan<'_>,
    scale: f64,
) -> Result<f64, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    let style = text_style(layout::LEGEND_FONT, scale);
    let mut widest: f64 = 0.0;
    for planned in &plan.series {
        let (w, _) = area.estimate_text_size(&legend_label(planned), &style)?;
        widest = widest.max(f64::from(w));
    }
    let (area_width, _) = area.dim_in_pixel();
    let chrome = (layout::LEGEND_SAMPLE + 3.0 * layout::LEGEND_GAP) * scale;
    Ok((widest + chrome).min(f64::from(area_width) * layout::LEGEND_MAX_FRACTION))
}

fn draw_legend<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    plan: &Plan<'_>,
    scale: f64,
) -> DrawResult<DB> {
    use plotters::element::{Circle, DashedPathElement, PathElement, Text};
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    use plotters::style::{Color, RGBColor};

    let (width, height) = area.dim_in_pixel();
    let (width, height) = (f64::from(width), f64::from(height));
    let gap = layout::LEGEND_GAP * scale;
    let sample = layout::LEGEND_SAMPLE * scale;
    let top = layout::MARGIN * scale;
    let bottom = layout::X_LABEL_AREA * scale;
    let max_rows =
        (((height - top - bottom) / (layout::LEGEND_ROW * scale)).floor() as usize).max(1);
    let row = if plan.series.len() > max_rows {
        // Squeeze rows down to the font height before dropping any.
        ((height - top - bottom) / plan.series.len() as f64).max(layout::LEGEND_FONT * 0.8 * scale)
    } else {
        layout::LEGEND_ROW * scale
    };
    let fits = (((height - top - bottom) / row).floor() as usize).max(1);
    let shown = if plan.series.len() > fits {
        fits - 1
    } else {
        plan.series.len()
    };
    let style = text_style(layout::LEGEND_FONT, scale).pos(Pos::new(HPos::Left, VPos::Center));
    let text_x = gap + sample + gap;
    let stroke = (layout::LINE_WIDTH * scale).round().max(1.0) as u32;

    for (index, planned) in plan.series.iter().take(shown).enumerate() {
        let y = (top + row * (index as f64 + 0.5)).round() as i32;
        let x0 = gap.round() as i32;
        let x1 = (gap + sample).round() as i32;
        let line_style = planned.color.stroke_width(stroke);
        match planned.series.style {
            Style::Line => area.draw(&PathElement::new(vec![(x0, y), (x1, y)], line_style))?,
            Style::Dashed => area.draw(&DashedPathElement::new(
                vec![(x0, y), (x1, y)],
                (layout::DASH * 0.8 * scale).round() as i32,
                (layout::DASH_GAP * 0.8 * scale).round() as i32,
                line_style,
            ))?,
            Style::Points => area.draw(&Circle::new(
                ((x0 + x1) / 2, y),
                (layout::MARKER_RADIUS * scale).round() as i32,
                planned.color.filled(),
            ))?,
        }
        let label = fit_text(area, &legend_label(planned), &style, width - text_x - gap)?;
        area.draw(&Text::new(label, (text_x.round() as i32, y), style.clone()))?;
    }
    if shown < plan.series.len() {
        let y = (top + row * (shown as f64 + 0.5)).round() as i32;
        let more = format!("+{} more", plan.series.len() - shown);
        let style = style.color(&RGBColor(0x66, 0x66, 0x66));
        area.draw(&Text::new(more, (text_x.round() as i32, y), style))?;
    }
    Ok(())
}

fn draw_no_data<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    figure: &Figure,
    plan: &Plan<'_>,
    scale: f64,
) -> DrawResult<DB> {
    use plotters::element::{Rectangle, Text};
    use plotters::style::RGBColor;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    let (width, height) = area.dim_in_pixel();
    let (width, height) = (f64::from(width), f64::from(height));
    let margin = layout::MARGIN * scale;
    let frame = RGBColor(0xBB, 0xBB, 0xBB);
    area.draw(&Rectangle::new(
        [
            (margin.round() as i32, margin.round() as i32),
            (
                (width - margin).round() as i32,
                (height - margin).round() as i32,
            ),
        ],
        frame,
    ))?;
    let reason = if plan.series.is_empty() {
        "the figure has no series".to_string()
    } else if plan.series.iter().all(|s| s.series.points.is_empty()) {
        "every series is empty".to_string()
    } else if figure.x_scale == Scale::Log || figure.y_scale == Scale::Log {
        "no point is finite and positive on the log axis".to_string()
    } else {
        "no point is finite".to_string()
    };
    let center = ((width / 2.0).round() as i32, (height / 2.0).round() as i32);
    let gray = RGBColor(0x66, 0x66, 0x66);
    let headline = text_style(layout::NOTE_FONT * 1.2, scale)
        .color(&gray)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    area.draw(&Text::new("no data", center, headline))?;
    let note = text_style(layout::TICK_FONT, scale)
        .color(&gray)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let detail = format!("{reason} ({} vs {})", figure.y_label, figure.x_label);
    let detail = fit_text(area, &detail, &note, width - 4.0 * margin)?;
    area.draw(&Text::new(
        detail,
        (center.0, center.1 + (6.0 * scale).round() as i32),
        note,
    ))?;
    Ok(())
}

/// What every chart needs, whatever its axes' types.
struct ChartSpec<'a, 'p, DB: plotters::prelude::DrawingBackend> {
    area: &'a plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    figure: &'a Figure,
    plan: &'a Plan<'p>,
    /// The most tick labels on the (x, y) axes.
    labels: (usize, usize),
    scale: f64,
}

impl<DB: plotters::prelude::DrawingBackend> ChartSpec<'_, '_, DB> {
    /// Draws the axes, grid and series with the given axis specs (linear or log).
    fn draw<XS, YS>(&self, x_spec: XS, y_spec: YS) -> DrawResult<DB>
    where
        XS: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
        YS: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
        XS::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
        YS::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        use plotters::element::Circle;
        use plotters::prelude::{ChartBuilder, DashedLineSeries, LineSeries};
        use plotters::style::{BLACK, Color, RGBColor};

        let ChartSpec {
            area,
            figure,
            plan,
            labels,
            scale,
        } = *self;
        let (x_range, y_range) = plan.ranges.unwrap_or(((0.0, 1.0), (0.0, 1.0)));
        let margin = layout::MARGIN * scale;
        let mut chart = ChartBuilder::on(area)
            .margin_left(margin)
            .margin_right(margin * 1.5)
            .margin_top(margin)
            .margin_bottom(margin / 2.0)
            .x_label_area_size(layout::X_LABEL_AREA * scale)
            .y_label_area_size(layout::Y_LABEL_AREA * scale)
            .build_cartesian_2d(x_spec, y_spec)?;

        let label_for = |axis_scale: Scale, (lo, hi): (f64, f64)| {
            move |value: &f64| match axis_scale {
                Scale::Linear => linear_tick_label(*value, hi - lo),
                Scale::Log => log_tick_label(*value),
            }
        };
        let x_label = label_for(figure.x_scale, x_range);
        let y_label = label_for(figure.y_scale, y_range);
        let (plot_width, plot_height) = area.dim_in_pixel();
        let axis_style = text_style(layout::AXIS_FONT, scale);
        let x_desc = fit_text(
            area,
            &figure.x_label,
            &axis_style,
            f64::from(plot_width) * 0.9,
        )?;
        let y_desc = fit_text(
            area,
            &figure.y_label,
            &axis_style,
            f64::from(plot_height) * 0.85,
        )?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_labels(labels.0)
            .y_labels(labels.1)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .label_style(text_style(layout::TICK_FONT, scale))
            .axis_desc_style(axis_style)
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD).stroke_width(1))
            .light_line_style(RGBColor(0xF2, 0xF2, 0xF2).stroke_width(1))
            .axis_style(BLACK.stroke_width((scale.round() as u32).max(1)))
            .draw()?;

        let stroke = (layout::LINE_WIDTH * scale).round().max(1.0) as u32;
        let radius = (layout::MARKER_RADIUS * scale).round() as i32;
        let dash = (layout::DASH * scale).round() as i32;
        let dash_gap = (layout::DASH_GAP * scale).round() as i32;
        for planned in &plan.series {
            let color = planned.color;
            for run in &planned.runs {
                match planned.series.style {
                    // A lone point between gaps is a marker, or it would not show at all.
                    _ if run.len() == 1 => {
                        chart.draw_series(
                            run.iter().map(|&p| Circle::new(p, radius, color.filled())),
                        )?;
                    }
                    Style::Line => {
                        chart.draw_series(LineSeries::new(
                            run.iter().copied(),
                            color.stroke_width(stroke),
                        ))?;
                    }
                    Style::Dashed => {
                        chart.draw_series(DashedLineSeries::new(
                            run.iter().copied(),
                            dash,
                            dash_gap,
                            color.stroke_width(stroke),
                        ))?;
                    }
                    Style::Points => {
                        chart.draw_series(
                            run.iter().map(|&p| Circle::new(p, radius, color.filled())),
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CIE L*a*b* of an sRGB colour (D65 white).
    fn lab((r, g, b): (u8, u8, u8)) -> [f64; 3] {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (linear(r), linear(g), linear(b));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    /// CIE76 colour difference; about 2.3 is just noticeable, above 20 clearly different.
    fn delta_e(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    #[test]
    fn colours_drawn_together_are_clearly_different() {
        // The function gallery's figures, and the activations the experiments compare.
        let groups: [&[&str]; 6] = [
            &[
                "identity",
                "sigmoid",
                "tanh",
                "softsign",
                "hardsigmoid",
                "hardtanh",
            ],
            &[
                "relu",
                "leaky_relu",
                "prelu",
                "rrelu",
                "relu6",
                "elu",
                "selu",
                "celu",
            ],
            &["gelu", "gelu_tanh", "silu", "swish", "mish", "softplus"],
            &[
                "logsigmoid",
                "tanhshrink",
                "hardshrink",
                "softshrink",
                "threshold",
                "hardswish",
            ],
            &["squared_relu", "snake", "relu"],
            &[
                "identity",
                "sigmoid",
                "tanh",
                "relu",
                "leaky_relu",
                "elu",
                "selu",
                "gelu",
                "silu",
                "swish",
                "mish",
                "softplus",
                "theory",
                "bound",
            ],
        ];
        for group in groups {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let difference = delta_e(color_for(a), color_for(b));
                    assert!(difference > 20.0, "{a} and {b}: ΔE {difference:.1}");
                }
            }
        }
    }

    #[test]
    fn every_catalogue_name_has_a_fixed_colour() {
        for info in act::metadata::CATALOGUE {
            let key = normalize_key(info.name);
            assert!(
                ACTIVATION_COLORS.iter().any(|(name, _)| *name == key),
                "{} has no fixed colour",
                info.name
            );
        }
    }

    #[test]
    fn hashed_colours_read_on_white() {
        for i in 0..2000 {
            let rgb = color_for(&format!("key-{i}"));
            // WCAG contrast against white: (1 + 0.05) / (L + 0.05).
            let contrast = 1.05 / (relative_luminance(rgb) + 0.05);
            assert!(contrast >= 3.0, "key-{i}: {rgb:?} has contrast {contrast}");
        }
    }

    #[test]
    fn hsl_primaries() {
        assert_eq!(hsl_to_rgb(0.0, 1.0, 0.5), (255, 0, 0));
        assert_eq!(hsl_to_rgb(120.0, 1.0, 0.5), (0, 255, 0));
        assert_eq!(hsl_to_rgb(240.0, 1.0, 0.5), (0, 0, 255));
        assert_eq!(hsl_to_rgb(359.9, 0.0, 1.0), (255, 255, 255));
    }

    #[test]
    fn linear_range_pads_and_widens() {
        // 5 % of the span on each side.
        assert_eq!(
            axis_range([0.0, 10.0].into_iter(), Scale::Linear, 0.05),
            Some((-0.5, 10.5))
        );
        // All equal: ±10 % of the value, or ±1 around zero.
        assert_eq!(
            axis_range([2.0, 2.0].into_iter(), Scale::Linear, 0.05),
            Some((1.8, 2.2))
        );
        assert_eq!(
            axis_range([0.0].into_iter(), Scale::Linear, 0.05),
            Some((-1.0, 1.0))
        );
        assert_eq!(axis_range(std::iter::empty(), Scale::Linear, 0.05), None);
        // A span below rounding noise is widened, never left under f64::EPSILON.
        let (lo, hi) = axis_range([5e-324, 0.0].into_iter(), Scale::Linear, 0.05).unwrap();
        assert!(hi - lo >= 1e-12, "{lo}..{hi}");
        // The largest drawable magnitudes keep a finite span.
        let (lo, hi) = axis_range([-1e300, 1e300].into_iter(), Scale::Linear, 0.05).unwrap();
        assert!((hi - lo).is_finite());
    }

    #[test]
    fn log_range_spans_whole_decades() {
        assert_eq!(
            axis_range([0.02, 300.0].into_iter(), Scale::Log, 0.05),
            Some((0.01, 1000.0))
        );
        // One value on a decade still gets a decade of room.
        assert_eq!(
            axis_range([1.0].into_iter(), Scale::Log, 0.05),
            Some((1.0, 10.0))
        );
        // Subnormals clamp to 1e-300 rather than underflowing to 0.
        assert_eq!(
            axis_range([5e-324].into_iter(), Scale::Log, 0.05),
            Some((1e-300, 1e-299))
        );
    }

    #[test]
    fn log_ticks_label_decades_and_thin_out() {
        let (bold, light) = log_ticks(1e-4, 1.0, 10);
        assert_eq!(bold, vec![1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
        assert!(light.contains(&2e-4) && light.contains(&9e-1));
        // 30 decades, at most 10 labels: every third decade.
        let (bold, _) = log_ticks(1e-30, 1.0, 10);
        assert_eq!(bold.len(), 11);
        assert!(bold.iter().all(|v| (v.log10().round() as i32) % 3 == 0));
        // One decade: 2× and 5× labelled too.
        let (bold, _) = log_ticks(0.1, 1.0, 10);
        assert_eq!(bold, vec![0.1, 0.2, 0.5, 1.0]);
    }

    #[test]
    fn tick_labels() {
        assert_eq!(linear_tick_label(0.5, 1.0), "0.5");
        assert_eq!(linear_tick_label(-2.0, 4.0), "-2");
        assert_eq!(linear_tick_label(1e-17, 2.0), "0");
        assert_eq!(linear_tick_label(-1e-17, 2.0), "0");
        assert_eq!(linear_tick_label(250000.0, 1e6), "2.5e5");
        assert_eq!(linear_tick_label(0.0001, 0.001), "1e-4");
        assert_eq!(log_tick_label(1e-5), "10⁻⁵");
        assert_eq!(log_tick_label(1e12), "10¹²");
        assert_eq!(log_tick_label(0.01), "0.01");
        assert_eq!(log_tick_label(1000.0), "1000");
        assert_eq!(log_tick_label(0.2), "0.2");
        assert_eq!(log_tick_label(0.0), "");
    }
}
