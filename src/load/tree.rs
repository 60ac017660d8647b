//! The tree of the site: pages under their sections, bundle files under
//! their page, and two pages that would share a URL.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{url_for, Site};

/// Connects pages to their sections, sorts sections, attaches bundle files,
/// and reports two pages that would be written to the same URL.
pub(super) fn link_tree(site: &mut Site, diags: &mut Diagnostics) {
    // Same URL: report both files, sorted, so the message is stable.
    let mut by_url: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_url.entry(p.url.clone()).or_default().push(i);
        for alias in &p.meta.aliases {
            by_url
                .entry(url_for(alias.trim_matches('/')).unwrap_or_else(|_| alias.clone()))
                .or_default()
                .push(i);
        }
    }
    for (url, owners) in &by_url {
        if owners.len() > 1 {
            let mut files: Vec<String> = owners
                .iter()
                .map(|&i| site.pages[i].file.display().to_string())
                .collect();
            files.sort();
            files.dedup();
            for &i in owners {
                let others: Vec<&String> = files
                    .iter()
                    .filter(|f| **f != site.pages[i].file.display().to_string())
                    .collect();
                let with = if others.is_empty() {
                    "itself (an alias repeats the page's own URL)".to_string()
                } else {
                    others
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                diags.push(
                    Diagnostic::error(
                        "duplicate-url",
                        &site.pages[i].file,
                        format!("two pages would be written to {url}: this one and {with}"),
                    )
                    .at_line(1)
                    .hint("rename one of the files, or change its alias"),
                );
            }
        }
    }

    let sections: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.dir.clone(), i))
        .collect();
    let parent_of = |dir: &str| -> Option<usize> {
        let mut d = dir.to_string();
        loop {
            if let Some(&i) = sections.get(&d) {
                return Some(i);
            }
            if d.is_empty() {
                return None;
            }
            d = d
                .rsplit_once('/')
                .map_or(String::new(), |(a, _)| a.to_string());
        }
    };
    for i in 0..site.pages.len() {
        let p = &site.pages[i];
        let parent = if p.is_section {
            if p.dir.is_empty() {
                None
            } else {
                parent_of(p.dir.rsplit_once('/').map_or("", |(a, _)| a))
            }
        } else {
            let bundle = p.content_path.ends_with("/index.md");
            let start = if bundle {
                p.dir.rsplit_once('/').map_or("", |(a, _)| a)
            } else {
                &p.dir
            };
            parent_of(start)
        };
        Arc::make_mut(&mut site.pages[i]).parent = parent;
        if let Some(s) = parent {
            if site.pages[i].is_section {
                Arc::make_mut(&mut site.pages[s]).subsections.push(i);
            } else {
                Arc::make_mut(&mut site.pages[s]).children.push(i);
            }
        }
    }

    // Bundle files belong to their bundle page.
    let bundles: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.content_path.ends_with("/index.md"))
        .map(|(i, p)| (p.dir.clone(), i))
        .collect();
    for (j, f) in site.static_files.iter().enumerate() {
        if !f.in_bundle {
            continue;
        }
        let dir = f.output.rsplit_once('/').map_or("", |(d, _)| d);
        if let Some(&i) = bundles.get(dir) {
            Arc::make_mut(&mut site.pages[i]).assets.push(j);
        }
    }

    site.sort_sections();
}
