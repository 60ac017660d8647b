//! The schema of one institution file, `content/instellingen/<slug>.yaml`:
//! the keys an editor may write, their types, and the fixed vocabularies.

use serde::Deserialize;

/// One file as written, before validation. `parse` has already checked keys
/// and types against [`TOP`], so deserialising this never fails on them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionFile {
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub brin: String,
    pub kind: String,
    pub region: String,
    pub website: String,
    #[serde(default)]
    pub demo: bool,
    pub locations: Vec<LocationFile>,
    pub contacts: Vec<ContactFile>,
    #[serde(default)]
    pub documents: Vec<DocumentFile>,
    #[serde(default)]
    pub checked: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationFile {
    pub key: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFile {
    pub role: String,
    #[serde(default)]
    pub external: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub locations: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    pub title: String,
    pub url: String,
}

/// The type of a key's value, as the key walk checks it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Text,
    Bool,
    TextList,
    Items(&'static [Field]),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

pub const LOCATION: &[Field] = &[
    req("key", Ty::Text),
    req("name", Ty::Text),
    req("street", Ty::Text),
    req("postcode", Ty::Text),
    req("city", Ty::Text),
];

pub const CONTACT: &[Field] = &[
    req("role", Ty::Text),
    opt("external", Ty::Bool),
    opt("name", Ty::Text),
    opt("email", Ty::Text),
    opt("phone", Ty::Text),
    opt("form", Ty::Text),
    opt("hours", Ty::Text),
    opt("locations", Ty::TextList),
    opt("languages", Ty::TextList),
];

pub const DOCUMENT: &[Field] = &[req("title", Ty::Text), req("url", Ty::Text)];

/// The top level of an institution file.
pub const TOP: &[Field] = &[
    req("name", Ty::Text),
    opt("short_name", Ty::Text),
    req("brin", Ty::Text),
    req("kind", Ty::Text),
    req("region", Ty::Text),
    req("website", Ty::Text),
    opt("demo", Ty::Bool),
    req("locations", Ty::Items(LOCATION)),
    req("contacts", Ty::Items(CONTACT)),
    opt("documents", Ty::Items(DOCUMENT)),
    opt("checked", Ty::Text),
];

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

    /// The key tables and the serde structs must agree, or a key would be
    /// accepted by one and refused by the other.
    #[test]
    fn tables_match_the_structs() {
        let full = "name: a\nshort_name: b\nbrin: 99XA\nkind: roc\nregion: west\nwebsite: https://a.example/\n\
demo: true\nchecked: 2026-01-01\nlocations:\n  - {key: a, name: b, street: c, postcode: d, city: e}\n\
contacts:\n  - {role: a, external: true, name: b, email: c, phone: d, form: e, hours: f, locations: [a], languages: [b]}\n\
documents:\n  - {title: a, url: b}\n";
        let v: serde_yaml::Value = serde_yaml::from_str(full).unwrap();
        let names = |fields: &[Field]| fields.iter().map(|f| f.name).collect::<Vec<_>>();
        let keys = |v: &serde_yaml::Value| {
            v.as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let mut top = keys(&v);
        top.sort();
        let mut want = names(TOP);
        want.sort();
        assert_eq!(top, want);
        assert_eq!(keys(&v["locations"][0]).len(), LOCATION.len());
        assert_eq!(keys(&v["contacts"][0]).len(), CONTACT.len());
        assert_eq!(keys(&v["documents"][0]).len(), DOCUMENT.len());
        let parsed: InstitutionFile = serde_yaml::from_value(v).unwrap();
        assert_eq!(parsed.contacts[0].languages, ["b"]);
    }

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
