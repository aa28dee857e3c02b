//! A pane's headline: up to three figures (elapsed time, jobs ended, the
//! rate) in large type, each with its value and unit name in normal type
//! under it, legible from the back of a room; one line of normal text when
//! the pane is short or narrow.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::{BigText, Figure, Figures};

/// Rows the large form takes: three of glyphs, one of unit names.
pub const BIG_ROWS: u16 = 4;

/// Columns between two large figures.
const GAP: u16 = 3;

/// One headline figure: a value in large type and the unit it counts in.
#[derive(Debug, Clone)]
pub struct Headed {
    value: String,
    /// An SI step (`M `) that goes with the value in one line and with
    /// the unit under large type.
    step: &'static str,
    unit: String,
    style: Option<Style>,
}

impl Headed {
    /// A value (digits, `.`, `/`, `:`, `%`, `×`) and its unit name.
    pub fn new(value: impl Into<String>, unit: impl Into<String>) -> Headed {
        Headed {
            value: value.into(),
            step: "",
            unit: unit.into(),
            style: None,
        }
    }

    /// Elapsed seconds: `2.41` over `s elapsed`.
    pub fn elapsed(secs: f64) -> Headed {
        Headed {
            step: "s ",
            ..Headed::new(format!("{secs:.2}"), "elapsed")
        }
    }

    /// Jobs ended out of all: `7/8` over `jobs ended`.
    pub fn ended(ended: u32, of: u32) -> Headed {
        Headed::new(format!("{ended}/{of}"), "jobs ended")
    }

    /// A rate with its SI step moved into the unit: `17.3` over `M hashes/s`.
    pub fn rate(per_sec: f64, unit: &str) -> Headed {
        let (value, step) = si_parts(per_sec);
        Headed {
            step,
            ..Headed::new(value, unit)
        }
    }

    /// Draws the value in `s` instead of the headline's value style.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = Some(s.into());
        self
    }

    fn big(&self) -> BigText {
        BigText::new(self.value.as_str())
    }

    /// The value with its step, as one line writes it: `17.30 M`.
    fn small_value(&self) -> String {
        format!("{} {}", self.value, self.step)
            .trim_end()
            .to_string()
    }

    /// The line under large type: the figure in normal type with its unit
    /// (`17.30 M  hashes/s`), as the one-line form writes it, so that what
    /// a lesson quotes reads the same in both forms.
    fn under(&self) -> String {
        if self.unit.is_empty() {
            return self.small_value();
        }
        format!("{}  {}", self.small_value(), self.unit)
    }

    /// Columns its large form takes: the glyphs or the unit name.
    fn width(&self) -> u16 {
        self.big().width().max(self.under().chars().count() as u16)
    }
}

/// A number and its SI step (`"17.3", "M "`), as [`super::si`] splits it.
pub fn si_parts(v: f64) -> (String, &'static str) {
    let a = v.abs();
    if a >= 1e9 {
        (format!("{:.2}", v / 1e9), "G ")
    } else if a >= 1e6 {
        (format!("{:.2}", v / 1e6), "M ")
    } else if a >= 1e4 {
        (format!("{:.1}", v / 1e3), "k ")
    } else {
        (format!("{v:.0}"), "")
    }
}

/// Figures, the first (up to three) large when the area allows it; the
/// others listed in normal type beside them.
#[derive(Debug, Clone, Default)]
pub struct Headline {
    figures: Vec<Headed>,
    style: Style,
    value_style: Style,
}

impl Headline {
    /// A headline of `figures`, most important first.
    pub fn new(figures: impl IntoIterator<Item = Headed>) -> Headline {
        Headline {
            figures: figures.into_iter().collect(),
            style: Style::new(),
            value_style: Style::new(),
        }
    }

    /// Sets the style of the unit names.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Sets the style of the values that have none of their own.
    pub fn value_style(mut self, s: impl Into<Style>) -> Self {
        self.value_style = s.into();
        self
    }

    /// How many figures are drawn large in `width` columns (the most, up
    /// to three, that leave room for the others beside them); 0 when even
    /// one does not fit.
    pub fn big_count(&self, width: u16) -> usize {
        let n = self.figures.len();
        (1..=n.min(3))
            .rev()
            .find(|&k| {
                let big: u16 = self.figures[..k].iter().map(Headed::width).sum();
                let rest = self.figures[k..]
                    .iter()
                    .map(|f| f.under().chars().count() as u16 + GAP)
                    .max()
                    .unwrap_or(0);
                big + GAP * (k as u16 - 1) + rest <= width
            })
            .unwrap_or(0)
    }

    /// Rows to give the headline in a pane `width` wide that can spare
    /// `spare` rows beyond the one line it always has: [`BIG_ROWS`] when the
    /// large form fits, else 1.
    pub fn rows(&self, width: u16, spare: u16) -> u16 {
        if spare + 1 >= BIG_ROWS && self.big_count(width) > 0 {
            BIG_ROWS
        } else {
            1
        }
    }

    fn figure(f: &Headed) -> Figure<'_> {
        let fig = Figure::new(f.small_value(), f.unit.as_str());
        match f.style {
            Some(s) => fig.style(s),
            None => fig,
        }
    }

    /// One figure in normal type.
    fn one<'a>(&self, f: &'a Headed) -> Figures<'a> {
        Figures::new([Self::figure(f)])
            .style(self.style)
            .value_style(self.value_style)
    }

    /// Every figure on one line.
    fn small(&self) -> Figures<'_> {
        Figures::new(self.figures.iter().map(Self::figure))
            .style(self.style)
            .value_style(self.value_style)
    }
}

/// For a pane that wants `need` rows for the rest of what it draws: the
/// top [`BIG_ROWS`] of `area` for `headline` in large type and the rest
/// (after a blank row), when `area` has room for both; else `None` and all
/// of `area` (the pane keeps its one-line figures, if it has any).
pub fn split_top(area: Rect, headline: &Headline, need: u16) -> (Option<Rect>, Rect) {
    if area.height < need + BIG_ROWS + 1 || headline.big_count(area.width) == 0 {
        return (None, area);
    }
    let top = Rect {
        height: BIG_ROWS,
        ..area
    };
    let rest = Rect {
        y: area.y + BIG_ROWS + 1,
        height: area.height - BIG_ROWS - 1,
        ..area
    };
    (Some(top), rest)
}

impl Widget for &Headline {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let k = self.big_count(area.width);
        if area.height < BIG_ROWS || k == 0 {
            (&self.small()).render(area, buf);
            return;
        }
        let mut x = area.x;
        for f in &self.figures[..k] {
            let style = f.style.unwrap_or(self.value_style);
            let glyphs = Rect::new(x, area.y, f.big().width(), 3);
            (&f.big().style(style)).render(glyphs, buf);
            (&self.one(f)).render(Rect::new(x, area.y + 3, f.width(), 1), buf);
            x += f.width() + GAP;
        }
        // The others in a column beside the large ones.
        for (f, y) in self.figures[k..].iter().zip(area.y..area.bottom()) {
            let rest = Rect::new(x, y, area.right().saturating_sub(x), 1);
            (&self.one(f)).render(rest, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::text_of;

    fn headline() -> Headline {
        Headline::new([
            Headed::elapsed(1.5),
            Headed::ended(7, 8),
            Headed::rate(17_300_000.0, "hashes/s"),
        ])
    }

    #[test]
    fn large_with_unit_names_when_there_is_room() {
        let h = headline();
        assert_eq!(h.rows(60, 3), BIG_ROWS);
        assert_eq!(
            text_of(&h, 60, 4),
            Buffer::with_lines([
                "▄█    █▀▀ █▀█     ▀▀█   █ █▀█       ▄█  ▀▀█   ▀▀█ █▀█       ",
                " █    ▀▀█ █ █       █  █  █▀█        █    █    ▀█ █ █       ",
                "▀▀▀ ▀ ▀▀▀ ▀▀▀       ▀ █   ▀▀▀       ▀▀▀   ▀ ▀ ▀▀▀ ▀▀▀       ",
                "1.50 s  elapsed   7/8  jobs ended   17.30 M  hashes/s       ",
            ])
        );
    }

    #[test]
    fn a_pane_gives_the_top_rows_only_when_the_rest_fits() {
        let h = headline();
        let area = Rect::new(2, 3, 60, 20);
        let (top, rest) = split_top(area, &h, 15);
        assert_eq!(top, Some(Rect::new(2, 3, 60, BIG_ROWS)));
        assert_eq!(rest, Rect::new(2, 8, 60, 15));
        assert_eq!(split_top(area, &h, 17), (None, area));
        assert_eq!(split_top(Rect::new(0, 0, 30, 40), &h, 1).0, None);
    }

    #[test]
    fn fewer_large_figures_when_narrower_the_others_beside_them() {
        let h = headline();
        assert_eq!(h.big_count(60), 3);
        // Two large, the rate in a column beside them.
        assert_eq!(h.big_count(52), 1);
        assert_eq!(h.big_count(53), 2);
        let buf = text_of(&h, 53, 4);
        let text = crate::ui::render::buffer_text(&buf);
        assert!(
            text.lines()
                .next()
                .unwrap_or_default()
                .ends_with("17.30 M  hashes/s"),
            "{text}"
        );
        assert_eq!(h.big_count(30), 0);
    }

    #[test]
    fn one_line_when_short_or_narrow() {
        let h = headline();
        assert_eq!(h.rows(60, 2), 1);
        assert_eq!(h.rows(30, 3), 1);
        let line = "1.50 s  elapsed   7/8  jobs ended   17.30 M  hashes/s";
        let want = format!("{line:<60}");
        assert_eq!(text_of(&h, 60, 1), Buffer::with_lines([want.as_str()]));
        // Too narrow for the large form: the same line, even with rows.
        let narrow = text_of(&h, 30, 4);
        assert_eq!(narrow[(0, 0)].symbol(), "1");
        assert_eq!(narrow[(0, 1)].symbol(), " ");
    }
}
