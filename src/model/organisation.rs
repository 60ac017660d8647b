//! National organisations (`content/organisaties.yaml`): one entry per
//! organisation, each with its channels and the source of its facts.

use chrono::NaiveDate;
use serde::Serialize;

/// A contact channel, ready for a template: `href` is always safe to link.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channel {
    pub kind: String,
    pub value: String,
    pub label: Option<String>,
    pub href: String,
    pub display: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Organisation {
    pub key: String,
    pub name: String,
    pub summary: String,
    pub channels: Vec<Channel>,
    pub hours: Option<String>,
    pub cost: Option<String>,
    pub anonymous: bool,
    /// An emergency number (112): a page that names it says "Bel 112" in
    /// its first-help box.
    pub emergency: bool,
    pub age_min: Option<u32>,
    pub age_max: Option<u32>,
    pub themes: Vec<String>,
    pub source: String,
    pub checked: NaiveDate,
}
