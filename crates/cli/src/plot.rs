//! A character plot for the terminal: a few curves y = f(x) sampled once per column.

use crate::number::short;

/// One curve: the character it is drawn with, its legend label and its samples.
pub struct Curve {
    /// The character marking the curve's cells.
    pub mark: char,
    /// The legend text.
    pub label: String,
    /// y at each column's x (non-finite values are not drawn).
    pub ys: Vec<f64>,
}

/// Drawn where two curves fall in the same cell.
const OVERLAP: char = '#';

/// The x of column `column` of `width`, evenly spaced from `lo` to `hi` inclusive.
pub fn column_x(lo: f64, hi: f64, width: usize, column: usize) -> f64 {
    lo + (hi - lo) * column as f64 / (width.max(2) - 1) as f64
}

/// Samples `f` at the `width` column positions over `[lo, hi]`.
pub fn sample(lo: f64, hi: f64, width: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..width).map(|c| f(column_x(lo, hi, width, c))).collect()
}

/// Renders `curves` over x ∈ [lo, hi] in a `width` × `height` grid of cells.
///
/// The y range spans every finite sample and 0, so the x axis (`-`) is always drawn; the y axis
/// (`|`) is drawn at x = 0 when it lies in [lo, hi]. Rows are labelled with the y value at the
/// top, at 0 and at the bottom; the x range is written under the grid, then the legend.
pub fn render(curves: &[Curve], lo: f64, hi: f64, width: usize, height: usize) -> String {
    let height = height.max(3);
    let finite = curves
        .iter()
        .flat_map(|c| c.ys.iter().copied())
        .filter(|y| y.is_finite());
    let (mut y_min, mut y_max) = finite.fold((0.0f64, 0.0f64), |(a, b), y| (a.min(y), b.max(y)));
    if y_max - y_min < 1e-12 {
        // A constant zero (relu′ on x < 0 alone cannot happen here, but be safe): show [−1, 1].
        y_min -= 1.0;
        y_max += 1.0;
    }
    let rows = height - 1;
    let row_of = |y: f64| ((y_max - y) / (y_max - y_min) * rows as f64).round() as usize;

    let mut grid = vec![vec![' '; width]; height];
    let zero_row = row_of(0.0);
    grid[zero_row].fill('-');
    let zero_column = (lo <= 0.0 && 0.0 <= hi)
        .then(|| ((0.0 - lo) / (hi - lo) * (width.max(2) - 1) as f64).round() as usize)
        .filter(|&c| c < width);
    if let Some(c) = zero_column {
        for (r, row) in grid.iter_mut().enumerate() {
            row[c] = if r == zero_row { '+' } else { '|' };
        }
    }
    for curve in curves {
        for (c, &y) in curve.ys.iter().enumerate().take(width) {
            if !y.is_finite() {
                continue;
            }
            let cell = &mut grid[row_of(y).min(rows)][c];
            let taken_by_other = curves
                .iter()
                .any(|o| o.mark != curve.mark && o.mark == *cell);
            *cell = if taken_by_other { OVERLAP } else { curve.mark };
        }
    }

    let label = |r: usize| -> String {
        if r == 0 {
            short(y_max)
        } else if r == rows {
            short(y_min)
        } else if r == zero_row {
            "0".into()
        } else {
            String::new()
        }
    };
    let label_width = (0..height)
        .map(|r| label(r).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (r, row) in grid.iter().enumerate() {
        let line: String = row.iter().collect();
        out.push_str(&format!(
            "{:>label_width$} |{}\n",
            label(r),
            line.trim_end()
        ));
    }
    // x labels under the first column, the y axis and the last column.
    let mut axis = vec![' '; width + 8];
    let mut put = |column: usize, text: String, centred: bool| {
        let n = text.chars().count();
        let start = if centred {
            column.saturating_sub(n / 2)
        } else {
            column
        };
        for (i, ch) in text.chars().enumerate() {
            if let Some(cell) = axis.get_mut(start + i) {
                *cell = ch;
            }
        }
    };
    put(0, short(lo), false);
    if let Some(c) = zero_column {
        put(c, "0".into(), true);
    }
    let hi_text = short(hi);
    put(
        width.saturating_sub(hi_text.chars().count()),
        hi_text,
        false,
    );
    let axis: String = axis.into_iter().collect();
    out.push_str(&format!("{:label_width$}  {}\n", "", axis.trim_end()));
    let legend: Vec<String> = curves
        .iter()
        .map(|c| format!("{} {}", c.mark, c.label))
        .chain((curves.len() > 1).then(|| format!("{OVERLAP} both")))
        .collect();
    out.push_str(&format!("{:label_width$}  {}\n", "", legend.join("   ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_through_the_origin_crosses_the_axes() {
        let ys = sample(-6.0, 6.0, 61, |x| x);
        let text = render(
            &[Curve {
                mark: '*',
                label: "f(x)".into(),
                ys,
            }],
            -6.0,
            6.0,
            61,
            17,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 17 + 2);
        // Top row: y = 6 at the last column; bottom row: y = −6 at the first.
        assert!(
            lines[0].starts_with(" 6 |") && lines[0].ends_with('*'),
            "{text}"
        );
        assert!(lines[16].starts_with("-6 |*"), "{text}");
        // The middle row holds the x axis and the curve at the origin.
        assert!(lines[8].contains("-***-"), "{text}");
        assert!(lines[18].contains("* f(x)"));
    }

    #[test]
    fn overlapping_curves_are_marked() {
        let ys = sample(-1.0, 1.0, 5, |_| 1.0);
        let curves = [
            Curve {
                mark: '*',
                label: "a".into(),
                ys: ys.clone(),
            },
            Curve {
                mark: 'o',
                label: "b".into(),
                ys,
            },
        ];
        let text = render(&curves, -1.0, 1.0, 5, 5);
        assert!(text.lines().next().unwrap().ends_with("#####"), "{text}");
        assert!(text.contains("# both"));
    }
}
