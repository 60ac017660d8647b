//! Phone numbers as editors type them, turned into one Dutch notation for
//! reading and a `tel:` link for dialling.
//!
//! The check is on length and prefix only, never on the subscriber part, so
//! the demo data can use numbers whose subscriber part starts with 0: those
//! parse, but no real line has them.

use serde::Serialize;

/// A parsed phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    /// For reading: Dutch notation (`020 261 52 75`), or E.164 for a foreign
    /// number (`+3221234567`).
    pub display: String,
    /// For a link: `tel:+31202615275`, or `tel:09008844` for numbers that
    /// cannot be dialled from abroad.
    pub href: String,
    /// A Dutch number (also the short and service numbers).
    pub dutch: bool,
}

/// Dutch area codes of three digits (with the 0); all other geographic area
/// codes have four. Only the split of the display depends on this list.
const AREA_CODES_3: &[&str] = &[
    "010", "013", "015", "020", "023", "024", "026", "030", "033", "035", "036", "038", "040",
    "043", "045", "046", "050", "053", "055", "058", "070", "071", "072", "073", "074", "075",
    "076", "077", "078", "079",
];

/// Non-geographic ten-digit ranges that can be dialled from abroad.
const NON_GEOGRAPHIC: &[&str] = &["082", "084", "085", "087", "088"];

/// Service numbers: dialled with their national digits only.
const SERVICE: &[&str] = &["0800", "0900", "0906", "0909"];

const EXAMPLE: &str = "write it like `020 123 45 67`, `06 12 34 56 78` or `+31 20 123 45 67`";

/// Parses a phone number: Dutch in any usual notation (`+31`, `0031`,
/// spaces, dashes, dots, parentheses, `(0)`), short numbers such as `112`
/// and `14 020`, or a foreign number starting with `+` or `00`.
pub fn parse(input: &str) -> Result<Phone, String> {
    let trimmed = input.trim();
    let body = trimmed
        .strip_prefix("tel:")
        .or_else(|| trimmed.strip_prefix("TEL:"))
        .unwrap_or(trimmed);
    if body.is_empty() {
        return Err(format!("the phone number is empty; {EXAMPLE}"));
    }
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in body.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '\u{a0}' | '-' | '.' | '(' | ')' | '/' => {}
            c if c.is_alphabetic() => {
                return Err(format!(
                    "`{trimmed}` contains letters; a phone number has only digits ({EXAMPLE})"
                ))
            }
            c => {
                return Err(format!(
                    "`{trimmed}` contains `{c}`, which a phone number cannot have ({EXAMPLE})"
                ))
            }
        }
    }
    if digits.is_empty() {
        return Err(format!("`{trimmed}` has no digits; {EXAMPLE}"));
    }
    // International form: `+CC…` or `00CC…`.
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    match international {
        Some(rest) => match rest.strip_prefix("31") {
            // `+31 (0)20 …`: the trunk 0 does not belong after +31, but the
            // meaning is clear, so drop it.
            Some(national) => {
                let national = national.strip_prefix('0').unwrap_or(national);
                dutch(&format!("0{national}"), trimmed)
            }
            None => foreign(rest, trimmed),
        },
        None => dutch(&digits, trimmed),
    }
}

fn foreign(digits: &str, input: &str) -> Result<Phone, String> {
    if digits.starts_with('0') || digits.is_empty() {
        return Err(format!(
            "`{input}` does not start with a country code after the `+`; {EXAMPLE}"
        ));
    }
    // E.164: at most 15 digits; fewer than 8 is no full number anywhere.
    if !(8..=15).contains(&digits.len()) {
        return Err(format!(
            "`{input}` has {} digits after the country prefix; an international number has 8 to 15",
            digits.len()
        ));
    }
    Ok(Phone {
        display: format!("+{digits}"),
        href: format!("tel:+{digits}"),
        dutch: false,
    })
}

/// `n` is the national number: digits only, without country code.
fn dutch(n: &str, input: &str) -> Result<Phone, String> {
    let len = n.len();
    let national = |display: String| Phone {
        display,
        href: format!("tel:{n}"),
        dutch: true,
    };
    let international = |display: String| Phone {
        display,
        href: format!("tel:+31{}", &n[1..]),
        dutch: true,
    };
    let wrong_length = |expected: &str| {
        Err(format!(
            "`{input}` has {len} digits, but {expected} ({EXAMPLE})"
        ))
    };

    // Short numbers: emergency, 113, 144, 116 xxx and municipal 14 0xx(x).
    if !n.starts_with('0') {
        return match n {
            "112" | "113" | "144" => Ok(national(n.to_string())),
            _ if n.starts_with("116") && len == 6 => Ok(national(format!("116 {}", &n[3..]))),
            _ if n.starts_with("140") && (len == 5 || len == 6) => {
                Ok(national(format!("14 {}", &n[2..])))
            }
            _ => Err(format!(
                "`{input}` is not a Dutch number: Dutch numbers start with 0 (or +31), \
                 except short numbers such as 112, 113 and 14 020; {EXAMPLE}"
            )),
        };
    }

    if let Some(prefix) = SERVICE.iter().find(|p| n.starts_with(**p)) {
        let rest = &n[4..];
        return match rest.len() {
            4 => Ok(national(format!("{prefix} {rest}"))),
            7 => Ok(national(format!(
                "{prefix} {} {} {}",
                &rest[..3],
                &rest[3..5],
                &rest[5..]
            ))),
            _ => wrong_length(&format!("a {prefix} number has 8 or 11")),
        };
    }

    if n.starts_with("09") {
        return Err(format!(
            "`{input}` starts with {}, which is not a number for people to call; {EXAMPLE}",
            &n[..n.len().min(4)]
        ));
    }

    if n.starts_with("06") {
        if len != 10 {
            return wrong_length("a mobile number (06) has 10");
        }
        return Ok(international(format!(
            "06 {} {} {} {}",
            &n[2..4],
            &n[4..6],
            &n[6..8],
            &n[8..]
        )));
    }

    if n.starts_with("08") && !NON_GEOGRAPHIC.iter().any(|p| n.starts_with(p)) {
        return Err(format!(
            "`{input}` starts with {}, which is not in use for calls; {EXAMPLE}",
            &n[..n.len().min(3)]
        ));
    }

    // Geographic (01–05, 07) and non-geographic 08x: always ten digits.
    if len != 10 {
        return wrong_length("a Dutch number has 10 (with the area code)");
    }
    let three = AREA_CODES_3.contains(&&n[..3]) || NON_GEOGRAPHIC.contains(&&n[..3]);
    let display = if three {
        format!("{} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
    } else {
        format!("{} {} {} {}", &n[..4], &n[4..6], &n[6..8], &n[8..])
    };
    Ok(international(display))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Phone {
        parse(input).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    #[test]
    fn geographic_numbers_in_every_notation() {
        for input in [
            "020 261 52 75",
            "020-2615275",
            "0202615275",
            "(020) 261 52 75",
            "+31 20 261 52 75",
            "+31 (0)20 261 52 75",
            "0031 20 2615275",
            "+31.20.261.52.75",
            "tel:+31202615275",
        ] {
            let p = ok(input);
            assert_eq!(p.display, "020 261 52 75", "{input}");
            assert_eq!(p.href, "tel:+31202615275", "{input}");
            assert!(p.dutch);
        }
        assert_eq!(ok("030-8883888").display, "030 888 38 88");
        assert_eq!(ok("0591 123456").display, "0591 12 34 56");
        assert_eq!(ok("0591 123456").href, "tel:+31591123456");
    }

    #[test]
    fn mobile_and_088() {
        let p = ok("0612345678");
        assert_eq!(p.display, "06 12 34 56 78");
        assert_eq!(p.href, "tel:+31612345678");
        let p = ok("088 - 669 6060");
        assert_eq!(p.display, "088 669 60 60");
        assert_eq!(p.href, "tel:+31886696060");
    }

    #[test]
    fn service_and_short_numbers_use_national_digits() {
        let p = ok("0900-8844");
        assert_eq!(
            (p.display.as_str(), p.href.as_str()),
            ("0900 8844", "tel:09008844")
        );
        let p = ok("0800 7000");
        assert_eq!(
            (p.display.as_str(), p.href.as_str()),
            ("0800 7000", "tel:08007000")
        );
        assert_eq!(ok("0800-1234567").display, "0800 123 45 67");
        assert_eq!(ok("+31 800 0432").href, "tel:08000432");
        assert_eq!(ok("112").href, "tel:112");
        assert_eq!(ok("113").display, "113");
        let p = ok("14 020");
        assert_eq!(
            (p.display.as_str(), p.href.as_str()),
            ("14 020", "tel:14020")
        );
        assert_eq!(ok("140591").display, "14 0591");
        assert_eq!(ok("116 000").display, "116 000");
    }

    #[test]
    fn demo_numbers_with_a_subscriber_starting_with_0_parse() {
        let p = ok("010 012 34 56");
        assert_eq!(p.display, "010 012 34 56");
        assert_eq!(p.href, "tel:+31100123456");
    }

    #[test]
    fn foreign_numbers_are_not_dutch() {
        let p = ok("+32 2 123 45 67");
        assert_eq!(p.display, "+3221234567");
        assert_eq!(p.href, "tel:+3221234567");
        assert!(!p.dutch);
        assert!(!ok("0049 30 1234567").dutch);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = parse("020 261 52 7").unwrap_err();
        assert!(e.contains("9 digits"), "{e}");
        assert!(parse("06 1234").unwrap_err().contains("mobile"));
        assert!(parse("bel ons").unwrap_err().contains("letters"));
        assert!(parse("020 261 52 75 <script>")
            .unwrap_err()
            .contains("contains"));
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("12345").unwrap_err().contains("start with 0"));
        assert!(parse("0900 12").unwrap_err().contains("0900"));
        assert!(parse("0970 1234 5678").is_err());
        assert!(parse("+1 23").is_err());
        assert!(parse("javascript:alert(1)").is_err());
    }
}
