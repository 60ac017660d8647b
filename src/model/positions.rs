//! Where each key of a YAML file is, by path (`contacts[1].email`), so that
//! every problem found after parsing, by any stage, can name its line and
//! column without reading the file again. `load::positions` finds them.

use std::collections::HashMap;

/// The position of one key or list item: 1-based line and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub key_col: usize,
    /// Where the value starts, when it is on the same line.
    pub value_col: Option<usize>,
    /// The value's text as written, when it is a plain scalar on the line.
    pub raw: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    pub map: HashMap<String, Pos>,
    /// Keys that occur twice in the same map: path and the second position.
    pub duplicates: Vec<(String, Pos)>,
}

impl Positions {
    /// The position of the key at `path`, or of the nearest ancestor found.
    pub fn key(&self, path: &str) -> (usize, usize) {
        self.nearest(path).map_or((1, 1), |p| (p.line, p.key_col))
    }

    /// The position of the value at `path` (its key when the value is on a
    /// later line), or of the nearest ancestor found.
    pub fn value(&self, path: &str) -> (usize, usize) {
        self.nearest(path)
            .map_or((1, 1), |p| (p.line, p.value_col.unwrap_or(p.key_col)))
    }

    pub fn get(&self, path: &str) -> Option<&Pos> {
        self.map.get(path)
    }

    fn nearest(&self, path: &str) -> Option<&Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return Some(pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Every key and item found, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Pos)> {
        self.map.iter().map(|(k, p)| (k.as_str(), p))
    }
}
