//! `index.html`: the report as one self-contained page (inline CSS, figures inline as SVG, no
//! scripts), readable offline in any browser.

use std::fmt::Write;

use crate::report::{Outcome, Report, Table};

/// The page's style sheet: readable measure, system fonts, badges, and figures that shrink
/// with the window (the SVGs carry a viewBox).
const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  line-height: 1.5; color: #222; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 0; }
section { border-top: 1px solid #ddd; margin-top: 2.5rem; padding-top: 1.25rem; }
.heading { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.8rem; }
.badge { display: inline-block; font-size: 0.85rem; font-weight: 600; padding: 0.1rem 0.6rem;
  border-radius: 1rem; white-space: nowrap; }
.holds { background: #d9f2e3; color: #0b5d2a; border: 1px solid #7cc79a; }
.fails { background: #fde2dc; color: #8a1c05; border: 1px solid #e59a8a; }
.name { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; color: #666; font-size: 0.9rem; }
dl.finding { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem;
  margin: 1rem 0; }
dl.finding dt { font-weight: 600; color: #444; }
dl.finding dd { margin: 0; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; max-width: 720px; height: auto;
  border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #555; margin-top: 0.35rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; display: block;
  overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
nav ol { padding-left: 1.5rem; }
nav li { margin: 0.2rem 0; }
footer { border-top: 1px solid #ddd; margin-top: 3rem; padding-top: 1rem; font-size: 0.85rem;
  color: #555; }
code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; background: #f3f3f3;
  padding: 0 0.25rem; border-radius: 3px; }
@media print { section { break-inside: avoid-page; } }
";

/// `text` with the five HTML-significant characters escaped, safe in element content and in
/// quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The anchor of an outcome's section: `exp-` and its position (names may repeat or hold
/// characters that need escaping; positions never do).
fn section_anchor(index: usize) -> String {
    format!("exp-{}", index + 1)
}

/// The whole page. `figure_ids[i][j]` is the unique id of outcome `i`'s figure `j`, and
/// `svgs[i][j]` its rendering.
pub(crate) fn render_index(
    report: &Report,
    figure_ids: &[Vec<String>],
    svgs: &[Vec<String>],
) -> String {
    let mut page = String::new();
    let title = escape(&report.title);
    let holding = report.outcomes.iter().filter(|o| o.holds).count();
    // `write!` into a String cannot fail.
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"actlab {version}\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n",
        version = escape(&report.version),
    );
    for paragraph in report
        .intro
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let _ = writeln!(page, "<p>{}</p>", escape(paragraph));
    }
    let _ = writeln!(
        page,
        "<p><strong>{holding} of {total}</strong> of the guide's claims checked here hold.</p>",
        total = report.outcomes.len()
    );

    if !report.outcomes.is_empty() {
        page.push_str("<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
        for (index, outcome) in report.outcomes.iter().enumerate() {
            let _ = writeln!(
                page,
                "<li><a href=\"#{anchor}\">{title}</a> {badge}</li>",
                anchor = section_anchor(index),
                title = escape(&outcome.title),
                badge = badge(outcome.holds),
            );
        }
        page.push_str("</ol>\n</nav>\n");
    }

    let mut figure_number = 0;
    for (index, outcome) in report.outcomes.iter().enumerate() {
        let ids = figure_ids.get(index).map(Vec::as_slice).unwrap_or_default();
        let outcome_svgs = svgs.get(index).map(Vec::as_slice).unwrap_or_default();
        render_section(
            &mut page,
            index,
            outcome,
            ids,
            outcome_svgs,
            &mut figure_number,
        );
    }

    let mode = if report.quick { ", quick mode" } else { "" };
    let _ = write!(
        page,
        "<footer>\n<p>Made by actlab {version} with <code>{command}</code> (seed {seed}{mode}). \
         Every number is in <a href=\"report.json\">report.json</a>; the figures are also in \
         <code>figures/</code> as SVG and PNG.</p>\n</footer>\n</main>\n</body>\n</html>\n",
        version = escape(&report.version),
        command = escape(&report.command),
        seed = report.seed,
    );
    page
}

fn badge(holds: bool) -> &'static str {
    if holds {
        "<span class=\"badge holds\">✓ holds</span>"
    } else {
        "<span class=\"badge fails\">✗ does not hold</span>"
    }
}

fn render_section(
    page: &mut String,
    index: usize,
    outcome: &Outcome,
    ids: &[String],
    svgs: &[String],
    figure_number: &mut usize,
) {
    let _ = write!(
        page,
        "<section id=\"{anchor}\">\n<div class=\"heading\"><h2>{title}</h2> {badge} \
         <span class=\"name\">actlab experiment {name}</span></div>\n\
         <dl class=\"finding\">\n<dt>The guide claims</dt><dd>{claim}</dd>\n\
         <dt>Measured</dt><dd>{measured}</dd>\n<dt>It shows</dt><dd>{shows}</dd>\n</dl>\n",
        anchor = section_anchor(index),
        title = escape(&outcome.title),
        badge = badge(outcome.holds),
        name = escape(&outcome.name),
        claim = escape(&outcome.claim),
        measured = escape(&outcome.measured),
        shows = escape(&outcome.shows),
    );
    for ((figure, id), svg) in outcome.figures.iter().zip(ids).zip(svgs) {
        *figure_number += 1;
        let id = escape(id);
        let _ = write!(
            page,
            "<figure id=\"fig-{id}\">\n{svg}\n<figcaption>Figure {number}. {title} \
             (<a href=\"figures/{id}.svg\">SVG</a>, <a href=\"figures/{id}.png\">PNG</a>)\
             </figcaption>\n</figure>\n",
            svg = svg.trim(),
            number = figure_number,
            title = escape(&figure.title),
        );
    }
    for table in &outcome.tables {
        render_table(page, table);
    }
    page.push_str("</section>\n");
}

fn render_table(page: &mut String, table: &Table) {
    page.push_str("<table>\n<thead><tr>");
    for cell in &table.header {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape(cell));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    let columns = table.header.len();
    for row in &table.rows {
        page.push_str("<tr>");
        for cell in row {
            let _ = write!(page, "<td>{}</td>", escape(cell));
        }
        // Short rows are padded so the grid stays whole.
        for _ in row.len()..columns {
            page.push_str("<td></td>");
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("σ′ ≤ 1/4"), "σ′ ≤ 1/4");
    }
}
