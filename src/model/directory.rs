//! The directory of institutions as plain data: one school per file of
//! `content/instellingen/`, validated by `load::directory`, shown by
//! `render::directory`.

use std::path::PathBuf;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::positions::Positions;
use crate::phone::Phone;

pub const CHOOSER_SLUG: &str = "kies";

/// Every valid institution, sorted by name (A–Z, ignoring case and accents).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub institutions: Vec<Institution>,
}

/// One school, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    /// The file name without `.yaml`; the last part of its URL.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    pub name: String,
    pub short_name: Option<String>,
    pub brin: String,
    pub kind: Kind,
    pub region: Region,
    pub website: String,
    /// Fictional demo data.
    pub demo: bool,
    pub locations: Vec<Location>,
    pub contacts: Vec<Contact>,
    pub documents: Vec<Document>,
    pub checked: Option<NaiveDate>,
    /// Where each key is in its file.
    pub positions: Positions,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub key: String,
    pub name: String,
    pub street: String,
    /// `1234 AB`
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Unique within the institution: the role, with `-2`, `-3`… for a
    /// second or third contact of the same role. Names the vCard.
    pub id: String,
    pub role: Role,
    /// From outside the school (e.g. an external vertrouwenspersoon).
    pub external: bool,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Phone>,
    /// An https URL of a web form.
    pub form: Option<String>,
    pub hours: Option<String>,
    /// Keys of the institution's locations this contact serves (none: all).
    pub locations: Vec<String>,
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub url: String,
}

impl Institution {
    /// The city of the first location: where the school is, for lists.
    pub fn city(&self) -> Option<&str> {
        self.locations.first().map(|l| l.city.as_str())
    }

    pub fn location_name(&self, key: &str) -> Option<&str> {
        self.locations
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.name.as_str())
    }
}

/// A key that sorts names A–Z regardless of case and accents.
pub fn sort_key(s: &str) -> String {
    fold(s)
}

/// Lower case, without accents: `Ëindhoven` → `eindhoven`.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A URL-safe slug: lower case ASCII letters, digits and single dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// What kind of school it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Roc,
    Aoc,
    Vakinstelling,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Roc, Kind::Aoc, Kind::Vakinstelling];
    pub const KEYS: &'static [&'static str] = &["roc", "aoc", "vakinstelling"];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::Roc => "Regionaal opleidingencentrum (roc)",
            Kind::Aoc => "Agrarisch opleidingscentrum (aoc)",
            Kind::Vakinstelling => "Vakinstelling",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Part of the country, for grouping the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Noord,
    Oost,
    Zuid,
    West,
}

impl Region {
    pub const ALL: [Region; 4] = [Region::Noord, Region::Oost, Region::Zuid, Region::West];
    pub const KEYS: &'static [&'static str] = &["noord", "oost", "zuid", "west"];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    pub fn title(self) -> &'static str {
        match self {
            Region::Noord => "Noord-Nederland",
            Region::Oost => "Oost-Nederland",
            Region::Zuid => "Zuid-Nederland",
            Region::West => "West-Nederland",
        }
    }

    pub fn from_key(key: &str) -> Option<Region> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The region of a province, as DUO spells it.
    pub fn from_province(province: &str) -> Option<Region> {
        let p = province.trim().to_lowercase().replace(' ', "-");
        Some(match p.as_str() {
            "groningen" | "friesland" | "fryslân" | "fryslan" | "drenthe" => Region::Noord,
            "overijssel" | "gelderland" | "flevoland" => Region::Oost,
            "noord-brabant" | "limburg" | "zeeland" => Region::Zuid,
            "noord-holland" | "zuid-holland" | "utrecht" => Region::West,
            _ => return None,
        })
    }
}

/// The role of a contact: what a student (or staff member) goes to them for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Vertrouwenspersoon,
    MeldpuntStagediscriminatie,
    Klachtencommissie,
    Veiligheidscoordinator,
    Studentbegeleider,
    VertrouwenspersoonMedewerkers,
}

/// The groups of the institution page, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Praten,
    Melden,
    Klacht,
    Medewerkers,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Praten,
        Group::Melden,
        Group::Klacht,
        Group::Medewerkers,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Group::Praten => "praten",
            Group::Melden => "melden",
            Group::Klacht => "klacht",
            Group::Medewerkers => "medewerkers",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::Praten => "Praten",
            Group::Melden => "Melden",
            Group::Klacht => "Klacht indienen",
            Group::Medewerkers => "Voor medewerkers",
        }
    }
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Vertrouwenspersoon,
        Role::MeldpuntStagediscriminatie,
        Role::Klachtencommissie,
        Role::Veiligheidscoordinator,
        Role::Studentbegeleider,
        Role::VertrouwenspersoonMedewerkers,
    ];
    pub const KEYS: &'static [&'static str] = &[
        "vertrouwenspersoon",
        "meldpunt-stagediscriminatie",
        "klachtencommissie",
        "veiligheidscoordinator",
        "studentbegeleider",
        "vertrouwenspersoon-medewerkers",
    ];
    /// Every institution must have these.
    pub const REQUIRED: [Role; 2] = [Role::Vertrouwenspersoon, Role::MeldpuntStagediscriminatie];

    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn title(self) -> &'static str {
        match self {
            Role::Vertrouwenspersoon => "Vertrouwenspersoon",
            Role::MeldpuntStagediscriminatie => "Meldpunt stagediscriminatie",
            Role::Klachtencommissie => "Klachtencommissie",
            Role::Veiligheidscoordinator => "Veiligheidscoördinator",
            Role::Studentbegeleider => "Studentbegeleider",
            Role::VertrouwenspersoonMedewerkers => "Vertrouwenspersoon voor medewerkers",
        }
    }

    /// One B1 sentence: what you go to them for.
    pub fn summary(self) -> &'static str {
        match self {
            Role::Vertrouwenspersoon => {
                // Not "it stays between you": the duty to report a possible sexual
                // offence by staff against a minor student overrides secrecy.
                "Luistert naar je, zonder dat je meteen iets hoeft. Gaat vertrouwelijk om met wat je vertelt. Alleen in ernstige gevallen moet het iets doorgeven, zoals bij seksueel misbruik van een minderjarige student door een medewerker."
            }
            Role::MeldpuntStagediscriminatie => {
                "Voor als je op stage of bij het zoeken naar een stage anders behandeld wordt."
            }
            Role::Klachtencommissie => {
                "Onderzoekt je klacht als je er met school niet uitkomt, en geeft een oordeel."
            }
            Role::Veiligheidscoordinator => {
                "Voor onveilige situaties op school: bedreiging, geweld, wapens of drugs."
            }
            Role::Studentbegeleider => "Helpt je als het op school of thuis niet goed gaat.",
            Role::VertrouwenspersoonMedewerkers => {
                "Voor medewerkers die iets willen bespreken of melden."
            }
        }
    }

    pub fn group(self) -> Group {
        match self {
            Role::Vertrouwenspersoon | Role::Studentbegeleider => Group::Praten,
            Role::MeldpuntStagediscriminatie | Role::Veiligheidscoordinator => Group::Melden,
            Role::Klachtencommissie => Group::Klacht,
            Role::VertrouwenspersoonMedewerkers => Group::Medewerkers,
        }
    }

    /// The order in which a route page lists a school's contacts.
    pub fn route_order(self) -> usize {
        match self {
            Role::Vertrouwenspersoon => 0,
            Role::Studentbegeleider => 1,
            Role::MeldpuntStagediscriminatie => 2,
            Role::Veiligheidscoordinator => 3,
            Role::Klachtencommissie => 4,
            Role::VertrouwenspersoonMedewerkers => 5,
        }
    }

    /// Whether a contact of this role belongs on the route page of `theme`.
    pub fn serves_theme(self, theme: &str) -> bool {
        match self {
            Role::Vertrouwenspersoon | Role::Studentbegeleider | Role::Klachtencommissie => true,
            Role::MeldpuntStagediscriminatie => matches!(theme, "inclusie" | "melden"),
            Role::Veiligheidscoordinator => matches!(theme, "criminaliteit" | "melden"),
            Role::VertrouwenspersoonMedewerkers => theme == "melden",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_and_slugify() {
        assert_eq!(fold("Élan École"), "elan ecole");
        assert_eq!(
            slugify("ROC Zeeënland – Café & Co."),
            "roc-zeeenland-cafe-co"
        );
        assert_eq!(slugify("  --  "), "");
    }
}

#[cfg(test)]
mod vocabulary_tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::from_key(k.key()), Some(k));
        }
        for r in Region::ALL {
            assert_eq!(Region::from_key(r.key()), Some(r));
        }
        assert_eq!(Region::from_province("Noord-Brabant"), Some(Region::Zuid));
        assert_eq!(Region::from_province("FRYSLÂN"), Some(Region::Noord));
        assert_eq!(Region::from_province("Zuid Holland"), Some(Region::West));
        assert_eq!(Region::from_province("Vlaanderen"), None);
    }
}
