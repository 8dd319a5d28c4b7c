//! `src/catalogue.md` (the `act::catalogue` documentation page) is rendered from the metadata
//! table; this test keeps the two in step. After changing `metadata.rs`, regenerate with
//! `ACTLAB_BLESS=1 cargo test -p actlab-act --test catalogue_doc`.

use act::metadata::{Bound, CATALOGUE, Info};

fn bound(b: Bound, lower: bool) -> String {
    let v = if b.value.is_infinite() {
        if b.value > 0.0 {
            "∞".to_string()
        } else {
            "−∞".to_string()
        }
    } else {
        let s = format!("{:.6}", b.value);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match (lower, b.closed) {
        (true, true) => format!("[{v}"),
        (true, false) => format!("({v}"),
        (false, true) => format!("{v}]"),
        (false, false) => format!("{v})"),
    }
}

/// The LaTeX goes into a raw HTML block (so Markdown leaves `_`, `*` and `\\` alone); KaTeX reads
/// the decoded text.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn render_one(info: &Info) -> String {
    let uses: Vec<String> = info.uses.iter().map(|u| format!("{u:?}")).collect();
    let fails: Vec<String> = info
        .failure_modes
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    format!(
        "## `{name}`: {title}\n\n\
         <div class=\"formula\">$$ {fl} $$</div>\n\n\
         Plain text: `{ft}`\n\n\
         <div class=\"formula\">$$ {dl} $$</div>\n\n\
         Plain text: `{dt}`\n\n\
         | property | value |\n|---|---|\n\
         | range | {lo}, {hi} |\n\
         | zero-centred | {zc} |\n\
         | monotonicity | {mono:?} |\n\
         | smoothness | {smooth:?} |\n\
         | max \\|f′\\| | {maxd} ({maxat}) |\n\
         | f′ from the output | {fromout} |\n\
         | saturation | {sat} |\n\
         | typical use | {uses} |\n\
         | failure modes | {fails} |\n\
         | initialiser | {init:?} (gain {gain:.4}) |\n\
         | paper | {authors}, *{ptitle}* ({year}) |\n\n\
         Numerics: {numerics}.\n\n",
        name = info.name,
        title = info.title,
        fl = html_escape(info.formula_latex),
        ft = info.formula_text,
        dl = html_escape(info.derivative_latex),
        dt = info.derivative_text,
        lo = bound(info.range_lower, true),
        hi = bound(info.range_upper, false),
        zc = if info.zero_centred { "yes" } else { "no" },
        mono = info.monotonicity,
        smooth = info.smoothness,
        maxd = info.max_abs_derivative,
        maxat = info.max_abs_derivative_at,
        fromout = if info.derivative_from_output {
            "yes"
        } else {
            "no"
        },
        sat = if info.saturation.is_empty() {
            "none"
        } else {
            info.saturation
        },
        uses = if uses.is_empty() {
            "—".to_string()
        } else {
            uses.join(", ")
        },
        fails = if fails.is_empty() {
            "none typical".to_string()
        } else {
            fails.join(", ")
        },
        init = info.recommended_init,
        gain = info.gain,
        authors = info.paper.authors,
        ptitle = info.paper.title,
        year = info.paper.year,
        numerics = info.numerics.trim_end_matches('.'),
    )
}

fn render() -> String {
    let mut s = String::from(
        "Every function of the catalogue: definition and derivative (rendered with KaTeX where the \
         documentation is built with `--html-in-header katex-header.html`, as on docs.rs; the \
         plain-text line below each formula is the same maths for editors and terminals), and \
         the data for choosing one. Generated from [`crate::metadata::CATALOGUE`] by \
         `tests/catalogue_doc.rs`.\n\n",
    );
    for info in CATALOGUE {
        s.push_str(&render_one(info));
    }
    s
}

#[test]
fn catalogue_page_matches_the_metadata() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/catalogue.md");
    let want = render();
    if std::env::var_os("ACTLAB_BLESS").is_some() {
        std::fs::write(path, &want).expect("write catalogue.md");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "src/catalogue.md is out of date: run ACTLAB_BLESS=1 cargo test -p actlab-act --test catalogue_doc"
    );
}
