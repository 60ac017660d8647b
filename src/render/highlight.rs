//! Code highlighting with syntect. The HTML carries CSS classes only, never
//! inline styles, so a strict Content-Security-Policy holds; the stylesheet
//! for the classes is generated at build time.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// The output path of the generated stylesheet, before fingerprinting.
pub const STYLESHEET: &str = "css/syntax.css";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A `<pre>` block for `code` in language `lang` (a name or file extension).
pub fn highlight(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let lang_attr = escape(lang).replace('"', "&quot;");
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
            escape(code)
        );
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
                escape(code)
            );
        }
    }
    format!(
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
        gen.finalize()
    )
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(rgb[0]) + 0.7152 * ch(rgb[1]) + 0.0722 * ch(rgb[2])
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn parse_hex(h: &str) -> Option<[u8; 3]> {
    let h = h.get(..6)?;
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

/// The stylesheet for the highlight classes. Every text colour is darkened
/// until it has a contrast of at least 4.5:1 on the code background (WCAG AA).
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    let background = [0xff, 0xff, 0xff];
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match parse_hex(after) {
            Some(mut rgb) if after[6..].starts_with([';', ' ', '\n', '}']) || after.len() == 6 => {
                let is_background = out.trim_end().ends_with("background-color:");
                if !is_background {
                    while contrast(rgb, background) < 4.6 {
                        rgb = rgb.map(|c| (f64::from(c) * 0.9) as u8);
                    }
                } else {
                    rgb = background;
                }
                out.push_str(&format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]));
                rest = &after[6..];
            }
            _ => {
                out.push('#');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_is_highlighted_with_classes_only() {
        let html = highlight("title: Hoi\n", "yaml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlight("<script>", "nope");
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\"><code>&lt;script&gt;</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_colours_meet_aa() {
        let css = stylesheet();
        for (i, _) in css.match_indices("color: #") {
            if css[..i].ends_with("background-") {
                continue;
            }
            let rgb = parse_hex(&css[i + 8..]).unwrap();
            assert!(contrast(rgb, [255, 255, 255]) >= 4.5, "{}", &css[i..i + 14]);
        }
    }
}
