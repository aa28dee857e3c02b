//! Markdown tables laid out to fit the width, wrapping cells when needed.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{styled, wrap};
use crate::lesson::{Align, Span as LSpan};
use crate::ui::theme::Theme;

type Cells = Vec<Vec<LSpan>>;

/// Appends a table's lines.
pub fn table_lines(
    align: &[Align],
    header: &Cells,
    rows: &[Cells],
    width: usize,
    theme: &Theme,
    prefix: &[Span<'static>],
    out: &mut Vec<Line<'static>>,
) {
    let cols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if cols == 0 {
        return;
    }
    let text_w = |cell: &Vec<LSpan>| -> usize {
        cell.iter()
            .map(|s| unicode_width::UnicodeWidthStr::width(s.text.as_str()))
            .sum()
    };
    let mut natural = vec![1usize; cols];
    for row in std::iter::once(header).chain(rows.iter()) {
        for (i, c) in row.iter().enumerate() {
            natural[i] = natural[i].max(text_w(c));
        }
    }
    let avail = width
        .saturating_sub(prefix.iter().map(|s| s.width()).sum())
        .saturating_sub(3 * cols + 1)
        .max(cols);
    let widths = fit(&natural, avail);
    let border = theme.border;
    let rule = |l: &str, m: &str, r: &str| {
        let mut spans = prefix.to_vec();
        let body: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        spans.push(Span::styled(format!("{l}{}{r}", body.join(m)), border));
        Line::from(spans)
    };
    out.push(rule("┌", "┬", "┐"));
    emit_row(header, &widths, align, theme, theme.strong, prefix, out);
    out.push(rule("├", "┼", "┤"));
    for row in rows {
        emit_row(row, &widths, align, theme, theme.text, prefix, out);
    }
    out.push(rule("└", "┴", "┘"));
}

/// Shares `avail` columns out, giving narrow columns what they need first.
fn fit(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut left = avail;
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    for (k, &i) in order.iter().enumerate() {
        let share = left / (natural.len() - k);
        widths[i] = natural[i].min(share).max(1);
        left = left.saturating_sub(widths[i]);
    }
    widths
}

fn emit_row(
    row: &Cells,
    widths: &[usize],
    align: &[Align],
    theme: &Theme,
    base: Style,
    prefix: &[Span<'static>],
    out: &mut Vec<Line<'static>>,
) {
    let wrapped: Vec<Vec<Line<'static>>> = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let cell = row.get(i).cloned().unwrap_or_default();
            wrap::wrap(&styled(&cell, theme, base), w, vec![], vec![])
        })
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    for r in 0..height {
        let mut spans = prefix.to_vec();
        spans.push(Span::styled("│", theme.border));
        for (i, &w) in widths.iter().enumerate() {
            let line = wrapped[i].get(r).cloned().unwrap_or_default();
            let lw = line.width();
            let gap = w.saturating_sub(lw);
            let (left, right) = match align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => (0, gap),
                Align::Right => (gap, 0),
                Align::Center => (gap / 2, gap - gap / 2),
            };
            spans.push(Span::raw(" ".repeat(left + 1)));
            spans.extend(line.spans);
            spans.push(Span::raw(" ".repeat(right + 1)));
            spans.push(Span::styled("│", theme.border));
        }
        out.push(Line::from(spans));
    }
}
