//! The directory as output: its pages' contexts, the vCards and the open
//! data (`/instellingen.json`).

mod opendata;
pub(crate) mod pages;
mod vcard;

pub use pages::GeneratedPage;

/// JSON text that is safe inside an HTML `<script>` element: `<`, `>` and
/// `&` are written as `\u003c` etc., so data cannot close the element.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_a_script() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script>&"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
