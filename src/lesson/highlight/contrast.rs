//! The high-contrast palette for projectors: a dark theme on pure black with
//! every colour lifted until it reaches WCAG's AAA contrast (7:1).

use syntect::highlighting::{Color, Theme};

/// Contrast every token keeps against the black background.
pub(super) const MIN_RATIO: f64 = 7.0;

/// `theme` on black, with dark colours mixed towards white until readable.
pub(super) fn high_contrast(mut theme: Theme) -> Theme {
    theme.name = Some("racecourse high contrast".into());
    theme.settings.background = Some(Color::BLACK);
    theme.settings.foreground = Some(Color::WHITE);
    for item in &mut theme.scopes {
        item.style.background = None;
        if let Some(fg) = &mut item.style.foreground {
            *fg = lift(*fg);
        }
    }
    theme
}

/// WCAG relative luminance of an opaque colour.
fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// Contrast ratio of an opaque colour against black.
pub(super) fn ratio_on_black(c: Color) -> f64 {
    (luminance(c) + 0.05) / 0.05
}

fn towards_white(c: Color, t: f64) -> Color {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    Color {
        r: mix(c.r),
        g: mix(c.g),
        b: mix(c.b),
        a: 255,
    }
}

/// The least mix towards white (keeping the hue) that reaches `MIN_RATIO`.
fn lift(c: Color) -> Color {
    // Translucent colours are first settled onto the black background.
    let a = f64::from(c.a) / 255.0;
    let scale = |v: u8| (f64::from(v) * a).round() as u8;
    let c = Color {
        r: scale(c.r),
        g: scale(c.g),
        b: scale(c.b),
        a: 255,
    };
    if ratio_on_black(c) >= MIN_RATIO {
        return c;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if ratio_on_black(towards_white(c, mid)) >= MIN_RATIO {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    towards_white(c, hi)
}
