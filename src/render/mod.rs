//! Render: the site model → output files, handed to a [`Sink`] as they are
//! made, so that a 10,000-page site never sits in memory whole.

mod contacts;
pub mod directory;
pub mod highlight;
mod links;
pub mod markdown;
mod outline;
pub mod search;
pub mod templates;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Page, Site};
use markdown::{LinkIndex, Rendered};
use search::SearchDoc;
use templates::Templates;

pub use crate::write::{MemorySink, NullSink, Sink};

/// How many pages of its theme a page lists as related.
const RELATED: usize = 6;

/// An output path and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// The output folder of the search index (see [`search::build_index`]).
pub const SEARCH_DIR: &str = "search/";

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// HTML put before `</body>` of every page (the live-reload client of
    /// `serve`); never set by `build`.
    pub inject: Option<String>,
    /// Keep each page's [`markdown::Block`]s for `check`.
    pub outline: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub pages: usize,
    pub sections: usize,
    pub files_copied: usize,
    pub files_written: usize,
}

/// What `check` needs from rendering, besides the diagnostics.
#[derive(Debug, Default)]
pub struct PageFacts {
    /// Per page index: lines of images without alt text.
    pub images_without_alt: Vec<(usize, Vec<usize>)>,
    pub external_links: Vec<(PathBuf, usize, String)>,
    pub headings: Vec<(usize, Vec<markdown::Heading>)>,
    /// Per page index: its blocks, when [`RenderOptions::outline`] is set.
    pub blocks: Vec<Vec<markdown::Block>>,
    /// Per page index: the words of text before its first contact link.
    pub first_contact_word: Vec<Option<usize>>,
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "28 november 2026".
pub fn dutch_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// `/melden/x/` → `melden/x/index.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} kB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

/// The first 8 hex digits of the content hash, for cache-busting names.
pub fn fingerprint(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..8].to_string()
}

/// `css/site.css` → `css/site.1a2b3c4d.css`.
fn fingerprinted_name(path: &str, bytes: &[u8]) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", fingerprint(bytes)),
        None => path.to_string(),
    }
}

/// What a render keeps besides its output: everything that one page's
/// template needs. `serve` keeps it, so that an edit of a page's text
/// re-renders that page alone.
pub struct RenderState {
    templates: Templates,
    base: tera::Context,
    rendered: Vec<Rendered>,
    summaries: Vec<Value>,
    theme_pages: BTreeMap<String, Vec<usize>>,
    choosers: HashMap<Option<String>, String>,
    theme_values: HashMap<String, Value>,
    opts: RenderOptions,
    /// What links may point at.
    index: LinkIndex,
    directory_pages: Vec<directory::GeneratedPage>,
    /// What the template functions `asset()` and `institutions()` return.
    assets: Arc<BTreeMap<String, String>>,
    institutions: Arc<Value>,
    /// The search index's input: every page, then every directory page.
    /// Shared, so that a snapshot for the background costs no copying.
    search_docs: Vec<Arc<SearchDoc>>,
}

/// What an incremental render changes in a [`RenderState`]: made beside
/// the state, read through by the [`Renderer`], and applied only when the
/// whole render succeeded.
#[derive(Default)]
pub struct Changes {
    rendered: HashMap<usize, Rendered>,
    summaries: HashMap<usize, Value>,
    theme_pages: Option<BTreeMap<String, Vec<usize>>>,
    templates: Option<Templates>,
    choosers: Option<HashMap<Option<String>, String>>,
    directory_pages: Option<Vec<directory::GeneratedPage>>,
    search_docs: Vec<(usize, Arc<SearchDoc>)>,
}

/// An incremental render's output files, warnings, and changes to apply.
pub struct Update {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub changes: Changes,
    /// Whether the search index must be made again.
    pub search: bool,
}

impl RenderState {
    /// Takes in what a successful incremental render changed.
    pub fn apply(&mut self, changes: Changes) {
        for (i, r) in changes.rendered {
            self.rendered[i] = r;
        }
        for (i, v) in changes.summaries {
            self.summaries[i] = v;
        }
        if let Some(t) = changes.theme_pages {
            self.theme_pages = t;
        }
        if let Some(t) = changes.templates {
            self.templates = t;
        }
        if let Some(c) = changes.choosers {
            self.choosers = c;
        }
        if let Some(d) = changes.directory_pages {
            self.directory_pages = d;
        }
        for (i, d) in changes.search_docs {
            self.search_docs[i] = d;
        }
    }
}

/// Renders pages of a site: its [`RenderState`] as of before, seen through
/// the changes of the render in progress.
struct Renderer<'a> {
    site: &'a Site,
    state: &'a RenderState,
    changes: Changes,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, state: &'a RenderState) -> Self {
        Renderer {
            site,
            state,
            changes: Changes::default(),
        }
    }

    fn templates(&self) -> &Templates {
        self.changes
            .templates
            .as_ref()
            .unwrap_or(&self.state.templates)
    }

    fn rendered(&self, i: usize) -> &Rendered {
        self.changes
            .rendered
            .get(&i)
            .unwrap_or(&self.state.rendered[i])
    }

    fn summary_of(&self, i: usize) -> &Value {
        self.changes
            .summaries
            .get(&i)
            .unwrap_or(&self.state.summaries[i])
    }

    fn theme_pages(&self) -> &BTreeMap<String, Vec<usize>> {
        self.changes
            .theme_pages
            .as_ref()
            .unwrap_or(&self.state.theme_pages)
    }

    fn choosers(&self) -> &HashMap<Option<String>, String> {
        self.changes
            .choosers
            .as_ref()
            .unwrap_or(&self.state.choosers)
    }

    fn directory_pages(&self) -> &[directory::GeneratedPage] {
        self.changes
            .directory_pages
            .as_deref()
            .unwrap_or(&self.state.directory_pages)
    }

    fn url(&self, u: &str) -> String {
        self.state.index.url(u)
    }

    fn permalink(&self, u: &str) -> String {
        format!(
            "{}{}",
            self.site.config.base_url_slash(),
            u.trim_start_matches('/')
        )
    }

    fn menu(&self, current: &str) -> Value {
        self.site
            .config
            .menu
            .iter()
            .map(|m| {
                let active = m.url != "/" && current.starts_with(&m.url) || m.url == current;
                json!({"title": m.title, "url": self.url(&m.url), "active": active})
            })
            .collect()
    }

    fn breadcrumbs(&self, page: &Page) -> Value {
        let mut chain = Vec::new();
        let mut p = page.parent;
        while let Some(i) = p {
            let s = &self.site.pages[i];
            chain.push(json!({"title": s.meta.title, "url": self.url(&s.url)}));
            p = s.parent;
        }
        chain.reverse();
        Value::Array(chain)
    }

    /// The theme's value for templates, computed once per theme.
    fn theme_value(&self, key: Option<&str>) -> Value {
        key.and_then(|k| self.state.theme_values.get(k))
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn compute_theme_value(&self, key: Option<&str>) -> Value {
        match key.and_then(|k| self.site.config.topic(k)) {
            Some(t) => {
                json!({"key": t.key, "title": t.title, "description": t.description, "url": self.theme_url(&t.key)})
            }
            None => Value::Null,
        }
    }

    fn theme_url(&self, key: &str) -> Value {
        let url = format!("/{key}/");
        if self.site.pages.iter().any(|p| p.is_section && p.url == url) {
            Value::String(self.url(&url))
        } else {
            Value::Null
        }
    }

    fn context(&self, current_url: &str) -> tera::Context {
        let mut ctx = self.state.base.clone();
        ctx.insert("current_url", &self.url(current_url));
        ctx.insert("menu", &self.menu(current_url));
        ctx
    }

    fn finish(&self, mut html: String) -> Vec<u8> {
        if let Some(inject) = &self.state.opts.inject {
            match html.rfind("</body>") {
                Some(i) => html.insert_str(i, inject),
                None => html.push_str(inject),
            }
        }
        html.into_bytes()
    }

    fn toc(&self, headings: &[markdown::Heading]) -> Value {
        // Nest by level: each heading goes under the nearest shallower one.
        fn build(items: &[markdown::Heading], i: &mut usize, level: u8) -> Vec<Value> {
            let mut out = Vec::new();
            while *i < items.len() && items[*i].level >= level {
                let h = &items[*i];
                *i += 1;
                let children = build(items, i, h.level + 1);
                out.push(
                    json!({"level": h.level, "id": h.id, "title": h.title, "children": children}),
                );
            }
            out
        }
        let min = headings.iter().map(|h| h.level).min().unwrap_or(2);
        let mut i = 0;
        Value::Array(build(headings, &mut i, min))
    }

    fn page_value(&self, i: usize, r: &Rendered) -> Value {
        let site = self.site;
        let p = &site.pages[i];
        let orgs: Vec<&crate::model::Organisation> = p
            .meta
            .organisations
            .iter()
            .filter_map(|k| site.organisations.get(k))
            .collect();
        let (first_help, emergency) = site.first_help(i);
        let assets: Vec<Value> = p
            .assets
            .iter()
            .map(|&j| {
                let f = &site.static_files[j];
                json!({
                    "name": f.output.rsplit('/').next().unwrap_or(&f.output),
                    "url": self.url(&f.output),
                    "size": human_size(f.size),
                    "bytes": f.size,
                })
            })
            .collect();
        let related: Vec<&Value> = p
            .meta
            .theme
            .as_ref()
            .and_then(|t| self.theme_pages().get(t))
            .map(|list| {
                list.iter()
                    .filter(|&&j| j != i)
                    .take(RELATED)
                    .map(|&j| self.summary_of(j))
                    .collect()
            })
            .unwrap_or_default();
        let section = p.parent.map(|s| {
            let s = &site.pages[s];
            json!({"title": s.meta.title, "url": self.url(&s.url), "description": s.meta.description})
        });
        let list = |ids: &[usize]| {
            ids.iter()
                .map(|&j| self.summary_of(j).clone())
                .collect::<Vec<_>>()
        };
        let (main, end) = split_at_end_matter(&r.html);
        json!({
            "title": p.meta.title,
            "description": p.meta.description,
            "url": self.url(&p.url),
            "permalink": self.permalink(&p.url),
            "path": p.content_path,
            "content": r.html,
            // The body split where "Goed om te weten" or "Bronnen" starts, so a
            // theme can put the contact cards between the steps and the rest.
            "content_main": main,
            "content_end": end,
            "toc": self.toc(&r.headings),
            "updated": p.meta.updated.map(|d| d.to_string()),
            "updated_display": p.meta.updated.map(dutch_date),
            "weight": p.meta.weight,
            "audience": p.meta.audience,
            "theme": self.theme_value(p.meta.theme.as_deref()),
            "keywords": p.meta.keywords,
            "organisations": orgs,
            "first_help": first_help,
            "emergency": emergency,
            "assets": assets,
            "related": related,
            "extra": p.meta.extra,
            "word_count": r.word_count,
            "reading_minutes": r.word_count.div_ceil(200).max(1),
            "has_code": r.has_code,
            "draft": p.meta.draft,
            "section": section,
            "pages": if p.is_section { list(&p.children) } else { Vec::new() },
            "subsections": if p.is_section { list(&p.subsections) } else { Vec::new() },
        })
    }

    /// The "Jouw school" chooser of every theme (and of none), when the
    /// theme has one.
    fn make_choosers(&self) -> (HashMap<Option<String>, String>, Vec<Diagnostic>) {
        let mut choosers = HashMap::new();
        let mut diags = Vec::new();
        if !self.templates().has("school-chooser.html") {
            return (choosers, diags);
        }
        let keys = std::iter::once(None)
            .chain(self.site.config.themes.iter().map(|t| Some(t.key.clone())));
        for key in keys {
            let mut c = self.state.base.clone();
            c.insert("institutions", &*self.state.institutions);
            c.insert("theme", &self.theme_value(key.as_deref()));
            if self.site.directory.chooser_has_own_pages() {
                let base = self.site.config.base_path();
                let url = crate::model::directory::Directory::chooser_url(&base, key.as_deref());
                c.insert("chooser_url", &url);
            }
            match self
                .templates()
                .render("school-chooser.html", &c, Path::new("school-chooser"))
            {
                Ok(html) => {
                    choosers.insert(key, html);
                }
                Err(d) => diags.push(d),
            }
        }
        (choosers, diags)
    }

    fn render_directory_page(
        &self,
        g: &directory::GeneratedPage,
    ) -> Result<OutputFile, Diagnostic> {
        let base_path = self.site.config.base_path();
        let local = format!("/{}", g.url.strip_prefix(&base_path).unwrap_or(&g.url));
        let mut c = self.context(&local);
        for (k, v) in &g.context {
            c.insert(k.as_str(), v);
        }
        c.insert("title", &g.title);
        c.insert("description", &g.description);
        c.insert("breadcrumbs", &directory_breadcrumbs(self, &local));
        self.templates()
            .render(
                &g.template,
                &c,
                Path::new(&format!("content/instellingen ({local})")),
            )
            .map(|html| (output_path(&local), self.finish(html)))
    }

    /// One page of the theme's own, such as the 404 page, at `path`.
    fn render_to(
        &self,
        template: &str,
        c: &tera::Context,
        path: &str,
    ) -> Result<OutputFile, Diagnostic> {
        self.templates()
            .render(template, c, Path::new(template.trim_end_matches(".html")))
            .map(|html| (path.to_string(), self.finish(html)))
    }

    /// The name of the template that renders page `i`.
    fn template_of(&self, i: usize) -> String {
        let p = &self.site.pages[i];
        match (&p.meta.template, p.is_section, p.url.as_str()) {
            (Some(t), _, _) => t.clone(),
            (None, true, "/") => "index.html".to_string(),
            (None, true, _) => "section.html".to_string(),
            (None, false, _) => p
                .parent
                .and_then(|s| self.site.pages[s].meta.page_template.clone())
                .unwrap_or_else(|| "page.html".to_string()),
        }
    }

    /// Everything rendered through a template that is not a page of
    /// `content/`: directory pages, the search page, 404, alias redirects,
    /// the sitemap and robots.txt. With `only`, just what those templates
    /// render.
    fn render_generated(
        &self,
        only: Option<&BTreeSet<String>>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let site = self.site;
        let base_path = site.config.base_path();
        let wanted = |t: &str| only.is_none_or(|set| set.contains(t));
        let mut out: Vec<Result<OutputFile, Diagnostic>> = self
            .directory_pages()
            .par_iter()
            .filter(|g| wanted(&g.template))
            .map(|g| self.render_directory_page(g))
            .collect();
        // The search page with its A–Z index, and the 404 page.
        if self.templates().has("zoeken.html") && wanted("zoeken.html") {
            let mut c = self.context("/zoeken/");
            c.insert("topics", &topics(self, self.directory_pages()));
            c.insert(
                "breadcrumbs",
                &json!([{"title": home_title(site), "url": base_path}]),
            );
            out.push(self.render_to("zoeken.html", &c, "zoeken/index.html"));
        }
        if wanted("404.html") {
            out.push(self.render_to("404.html", &self.context("/404.html"), "404.html"));
        }
        // Aliases: a small redirect page at each old URL.
        if wanted("alias.html") {
            for p in &site.pages {
                for alias in &p.meta.aliases {
                    let mut c = self.context(alias);
                    c.insert("target_url", &self.url(&p.url));
                    c.insert("target_permalink", &self.permalink(&p.url));
                    c.insert("target_title", &p.meta.title);
                    out.push(
                        self.templates()
                            .render("alias.html", &c, &p.file)
                            .map(|html| {
                                (
                                    output_path(&format!("/{}/", alias.trim_matches('/'))),
                                    html.into_bytes(),
                                )
                            }),
                    );
                }
            }
        }
        // Sitemap and robots.txt.
        if wanted("sitemap.xml") || wanted("robots.txt") {
            let mut entries: Vec<Value> = site
                .pages
                .iter()
                .map(|p| json!({"permalink": self.permalink(&p.url), "updated": p.meta.updated.map(|d| d.to_string())}))
                .collect();
            entries.push(json!({"permalink": self.permalink("/zoeken/"), "updated": null}));
            for g in self.directory_pages() {
                let local = g.url.strip_prefix(&base_path).unwrap_or(&g.url);
                entries.push(json!({"permalink": self.permalink(local), "updated": null}));
            }
            entries.sort_by(|a, b| a["permalink"].as_str().cmp(&b["permalink"].as_str()));
            let mut c = self.state.base.clone();
            c.insert("entries", &entries);
            for name in ["sitemap.xml", "robots.txt"] {
                if wanted(name) {
                    out.push(
                        self.templates()
                            .render(name, &c, Path::new(name))
                            .map(|text| (name.to_string(), text.into_bytes())),
                    );
                }
            }
        }
        out
    }

    /// A page or section through its template, ready to write.
    fn render_page(&self, i: usize, r: &Rendered) -> Result<Vec<u8>, Diagnostic> {
        let p = &self.site.pages[i];
        let template = self.template_of(i);
        if !self.templates().has(&template) {
            let line = p.meta.line_of("template");
            return Err(self.templates().unknown(&template, &p.file, line));
        }
        let value = self.page_value(i, r);
        // Moved into the context, not copied: `Context::insert` would
        // copy the page's HTML once more.
        let mut own = serde_json::Map::new();
        if p.is_section {
            own.insert("section".into(), value);
        } else {
            own.insert("section".into(), value["section"].clone());
            own.insert("page".into(), value);
        }
        own.insert("breadcrumbs".into(), self.breadcrumbs(p));
        let chooser = self.choosers().get(&p.meta.theme).cloned();
        own.insert(
            "school_chooser".into(),
            Value::String(chooser.unwrap_or_default()),
        );
        let mut c = self.context(&p.url);
        c.extend(tera::Context::from_value(Value::Object(own)).expect("a map is an object"));
        let html = self.templates().render(&template, &c, &p.file)?;
        Ok(self.finish(html))
    }

    fn summary(&self, i: usize) -> Value {
        let p = &self.site.pages[i];
        json!({
            "title": p.meta.title,
            "url": self.url(&p.url),
            "description": p.meta.description,
            "updated": p.meta.updated.map(|d| d.to_string()),
            "audience": p.meta.audience,
            "theme": p.meta.theme,
            "weight": p.meta.weight,
            "keywords": p.meta.keywords,
        })
    }
}

/// Renders the whole site into `sink`. Returns what was made and every
/// problem found; the caller decides whether the output may be used.
pub fn render(
    site: &Site,
    sink: &dyn Sink,
    opts: &RenderOptions,
) -> (RenderStats, PageFacts, Vec<Diagnostic>) {
    let (stats, findings, diags, _) = render_keeping(site, sink, opts, false);
    (stats, findings, diags)
}

/// As [`render`], and with `keep` also the [`RenderState`] that incremental
/// renders start from.
pub fn render_keeping(
    site: &Site,
    sink: &dyn Sink,
    opts: &RenderOptions,
    keep: bool,
) -> (RenderStats, PageFacts, Vec<Diagnostic>, Option<RenderState>) {
    let mut timer = crate::timing::Timer::new();
    let mut diags = Vec::new();
    let mut stats = RenderStats::default();
    let mut findings = PageFacts::default();

    let mut templates = match Templates::new(&site.theme) {
        Ok(t) => t,
        Err(ds) => return (stats, findings, ds, None),
    };
    let base_path = site.config.base_path();

    // Theme files, CSS and JS with a content hash in their name.
    let mut assets = BTreeMap::new();
    let mut theme_files: Vec<(String, Vec<u8>)> = site
        .theme
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    theme_files.push((
        highlight::STYLESHEET.to_string(),
        highlight::stylesheet().into_bytes(),
    ));
    let theme_files: Vec<OutputFile> = theme_files
        .into_iter()
        .map(|(rel, bytes)| {
            let out = if rel.ends_with(".css") || rel.ends_with(".js") {
                fingerprinted_name(&rel, &bytes)
            } else {
                rel.clone()
            };
            assets.insert(rel, format!("{base_path}{out}"));
            (out, bytes)
        })
        .collect();
    stats.files_written += theme_files.len();
    diags.extend(put_all(sink, &theme_files));
    let assets = Arc::new(assets);
    templates.register_asset_function(assets.clone());
    let institutions = Arc::new(site.directory.summaries(&base_path));
    templates.register_institutions_function(institutions.clone());

    let has_directory = !site.directory.institutions.is_empty();
    let directory_pages = directory_pages(site);

    let generated: Vec<String> = ["/zoeken/".to_string()]
        .into_iter()
        .chain(directory_pages.iter().map(|g| {
            let u = g.url.strip_prefix(&base_path).unwrap_or(&g.url);
            format!("/{u}")
        }))
        .chain([
            "/instellingen.json".to_string(),
            "/sitemap.xml".to_string(),
            "/404.html".to_string(),
        ])
        .collect();
    let mut index = LinkIndex::new(site, generated);
    index.contacts = match contacts::inline_contacts(site, &templates) {
        Ok(c) => c,
        Err(d) => return (stats, findings, vec![d], None),
    };

    timer.lap("start");
    // The common context, built once.
    let site_value = {
        let c = &site.config;
        json!({
            "title": c.title,
            "description": c.description,
            "base_url": c.base_url_slash(),
            "base_path": base_path,
            "language": c.language,
            "quick_exit_url": c.quick_exit_url,
            "themes": c.themes.iter().map(|t| json!({"key": t.key, "title": t.title, "description": t.description})).collect::<Vec<_>>(),
            "menu": c.menu.iter().map(|m| json!({"title": m.title, "url": format!("{base_path}{}", m.url.trim_start_matches('/'))})).collect::<Vec<_>>(),
        })
    };
    let mut base = tera::Context::new();
    base.insert("site", &site_value);
    base.insert("config", &site_value);
    // Cloning the data into every page's context is costly: only themes
    // that read `data` get it.
    if templates.uses("data") {
        base.insert("data", &site.data);
    }
    base.insert("breadcrumbs", &Value::Array(vec![]));

    let mut state = RenderState {
        index,
        templates,
        base,
        rendered: Vec::new(),
        summaries: Vec::new(),
        theme_pages: BTreeMap::new(),
        choosers: HashMap::new(),
        theme_values: HashMap::new(),
        opts: opts.clone(),
        search_docs: Vec::new(),
        directory_pages,
        assets,
        institutions,
    };
    state.theme_values = {
        let r = Renderer::new(site, &state);
        site.config
            .themes
            .iter()
            .map(|t| (t.key.clone(), r.compute_theme_value(Some(&t.key))))
            .collect()
    };
    // Themes' site values get their section URL.
    let themes_with_url: Vec<Value> = {
        let r = Renderer::new(site, &state);
        site.config
            .themes
            .iter()
            .map(|t| r.theme_value(Some(&t.key)))
            .collect()
    };
    let mut site_value = site_value;
    site_value["themes"] = Value::Array(themes_with_url);
    state.base.insert("site", &site_value);
    state.base.insert("config", &site_value);

    state.summaries = {
        let r = Renderer::new(site, &state);
        (0..site.pages.len()).map(|i| r.summary(i)).collect()
    };
    state.theme_pages = theme_pages(site);
    // The "Jouw school" chooser: rendered once per theme, not per page.
    let (choosers, ds) = Renderer::new(site, &state).make_choosers();
    state.choosers = choosers;
    diags.extend(ds);

    timer.lap("context");
    // Each page in one pass: Markdown, template, file. Its HTML is freed
    // as soon as it is written, unless `serve` keeps it for its edits.
    // Beside the pages go the generated pages (directory, A–Z, sitemap),
    // whose lists are long but one thread's work.
    let renderer = Renderer::new(site, &state);
    let ctx_ref = &renderer;
    let (pages, generated) = rayon::join(
        || {
            site.pages
                .par_iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut r = markdown::render(p, &ctx_ref.state.index, opts.outline);
                    let written = match ctx_ref.render_page(i, &r) {
                        Ok(bytes) => sink.put(&output_path(&p.url), &bytes).err().map(|e| {
                            Diagnostic::error("write", &p.file, format!("cannot write: {e}"))
                        }),
                        Err(d) => Some(d),
                    };
                    if !keep {
                        r.html = String::new();
                    }
                    (r, written)
                })
                .collect::<Vec<_>>()
        },
        || ctx_ref.render_generated(None),
    );
    drop(renderer);
    let (rendered, page_results): (Vec<Rendered>, Vec<Option<Diagnostic>>) =
        pages.into_iter().unzip();
    let mut rendered = rendered;
    findings.blocks = rendered
        .iter_mut()
        .map(|r| std::mem::take(&mut r.blocks))
        .collect();
    findings.first_contact_word = rendered.iter().map(|r| r.first_contact_word).collect();
    for (i, r) in rendered.iter().enumerate() {
        diags.extend(r.diagnostics.iter().cloned());
        diags.extend(broken_anchors(site, |j| &rendered[j], i, r));
        findings
            .images_without_alt
            .push((i, r.images_without_alt.clone()));
        for (line, url) in &r.external_links {
            findings
                .external_links
                .push((site.pages[i].file.clone(), *line, url.clone()));
        }
        findings.headings.push((i, r.headings.clone()));
    }

    diags.extend(page_results.into_iter().flatten());
    state.rendered = rendered;
    stats.pages = site.pages.iter().filter(|p| !p.is_section).count();
    stats.sections = site.pages.iter().filter(|p| p.is_section).count();
    stats.files_written += site.pages.len();

    timer.lap("pages");
    // Directory pages, the search page, 404, aliases, sitemap, robots.txt.
    let mut files = Vec::new();
    for r in generated {
        match r {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    if has_directory {
        files.extend(site.directory.files(&base_path));
    }
    files.push((
        "_headers".to_string(),
        HEADERS.replace("{base}", &base_path).into_bytes(),
    ));
    stats.files_written += files.len();
    diags.extend(put_all(sink, &files));
    drop(files);

    timer.lap("sitemap");
    // A build with errors writes nothing, so it need not make the index or
    // copy files: failing is then no slower than building.
    if diags.iter().any(Diagnostic::is_error) && !keep {
        return (stats, findings, diags, None);
    }
    // The search index.
    let mut docs: Vec<SearchDoc> = (0..site.pages.len())
        // Only the index reads a page's parts.
        .map(|i| {
            page_doc(
                site,
                &state.index,
                i,
                std::mem::take(&mut state.rendered[i].parts),
            )
        })
        .collect();
    docs.extend(state.directory_pages.iter().map(directory_doc));
    if keep {
        state.search_docs = docs.iter().cloned().map(Arc::new).collect();
    }
    let index_files = search::build_index(docs, &site.synonyms);
    stats.files_written += index_files.len();
    diags.extend(put_all(sink, &index_files));

    timer.lap("search");
    // Files from content/ (bundle attachments, images).
    let copied: Vec<Option<Diagnostic>> = site
        .static_files
        .par_iter()
        .map(|f| {
            sink.copy(&f.output, &f.source)
                .err()
                .map(|e| Diagnostic::error("write", Path::new("content").join(&f.output), e))
        })
        .collect();
    stats.files_copied = site.static_files.len();
    diags.extend(copied.into_iter().flatten());

    timer.lap("copy");
    (stats, findings, diags, keep.then_some(state))
}

impl RenderState {
    /// Re-renders after an edit of pages `edited` of `site` (the site after
    /// the edit) whose URL and place did not change. `new_meta[k]` says
    /// whether `edited[k]`'s front matter changed; then what shows it is
    /// rendered again too: its section, the pages under it (breadcrumbs),
    /// the pages of its theme when it is among the first in their
    /// "related" lists, the search page and the sitemap.
    pub fn rerender_pages(
        &self,
        site: &Site,
        edited: &[usize],
        new_meta: &[bool],
    ) -> Result<Update, Vec<Diagnostic>> {
        let mut r = Renderer::new(site, self);
        // The new text first, so that links between the edited pages and
        // from other pages to their headings are checked against it.
        r.changes.rendered = edited
            .par_iter()
            .map(|&i| (i, markdown::render(&site.pages[i], &self.index, false)))
            .collect();
        let mut diags: Vec<Diagnostic> = Vec::new();
        for &i in edited {
            diags.extend(r.rendered(i).diagnostics.iter().cloned());
        }
        let edited_set: BTreeSet<usize> = edited.iter().copied().collect();
        for j in 0..site.pages.len() {
            let rj = r.rendered(j);
            if edited_set.contains(&j)
                || rj
                    .anchor_refs
                    .iter()
                    .any(|a| edited_set.contains(&a.target))
            {
                diags.extend(broken_anchors(site, |k| r.rendered(k), j, rj));
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }

        // What shows the front matter of the edited pages.
        let with_meta: Vec<usize> = edited
            .iter()
            .zip(new_meta)
            .filter(|(_, m)| **m)
            .map(|(i, _)| *i)
            .collect();
        let mut affected = edited_set;
        let mut generated = BTreeSet::new();
        let new_theme_pages = theme_pages(site);
        for &i in &with_meta {
            affected.extend(site.pages[i].parent);
            let mut stack = vec![i];
            while let Some(s) = stack.pop() {
                for &c in site.pages[s]
                    .children
                    .iter()
                    .chain(&site.pages[s].subsections)
                {
                    affected.insert(c);
                    stack.push(c);
                }
            }
            // "Related" lists show the first pages of a theme but their own.
            for lists in [&self.theme_pages, &new_theme_pages] {
                for list in lists.values() {
                    if list.iter().take(RELATED + 1).any(|&j| j == i) {
                        affected.extend(list.iter().copied());
                    }
                }
            }
            generated.extend(["zoeken.html", "sitemap.xml", "alias.html"].map(String::from));
        }
        if !with_meta.is_empty() {
            r.changes.theme_pages = Some(new_theme_pages);
        }
        for &i in &with_meta {
            let summary = r.summary(i);
            r.changes.summaries.insert(i, summary);
        }
        let mut results: Vec<Result<OutputFile, Diagnostic>> = affected
            .par_iter()
            .map(|&i| {
                r.render_page(i, r.rendered(i))
                    .map(|bytes| (output_path(&site.pages[i].url), bytes))
            })
            .collect();
        if !generated.is_empty() {
            results.extend(r.render_generated(Some(&generated)));
        }
        let (files, errors) = split_results(results);
        if !errors.is_empty() {
            diags.extend(errors);
            return Err(diags);
        }
        let mut changes = r.changes;
        for &i in edited {
            let parts = changes
                .rendered
                .get_mut(&i)
                .map(|r| std::mem::take(&mut r.parts))
                .unwrap_or_default();
            let doc = page_doc(site, &self.index, i, parts);
            changes.search_docs.push((i, Arc::new(doc)));
        }
        // Pages name their section in search results.
        for &i in &with_meta {
            for &c in &site.pages[i].children {
                let parts = self.search_docs[c].parts.clone();
                changes
                    .search_docs
                    .push((c, Arc::new(page_doc(site, &self.index, c, parts))));
            }
        }
        Ok(Update {
            files,
            diagnostics: diags,
            changes,
            search: true,
        })
    }

    /// Re-renders after an edit of the theme's templates (in `site.theme`):
    /// what the changed templates render, and what every template that
    /// extends, includes or imports them renders. `Ok(None)` when the edit
    /// changes the context of every page (a template now reads `data`, or no
    /// longer does): the caller renders everything.
    pub fn rerender_templates(&self, site: &Site) -> Result<Option<Update>, Vec<Diagnostic>> {
        let mut templates = Templates::new(&site.theme)?;
        if templates.uses("data") != self.templates.uses("data") {
            return Ok(None);
        }
        templates.register_asset_function(self.assets.clone());
        templates.register_institutions_function(self.institutions.clone());
        let mut affected = templates.affected(&templates.changed_since(&self.templates));
        let mut r = Renderer::new(site, self);
        r.changes.templates = Some(templates);
        let mut diags = Vec::new();
        if affected.contains("school-chooser.html") {
            let (choosers, ds) = r.make_choosers();
            diags.extend(ds);
            r.changes.choosers = Some(choosers);
            affected.extend(r.templates().mentioning("school_chooser"));
        }
        let mut results: Vec<Result<OutputFile, Diagnostic>> = (0..site.pages.len())
            .into_par_iter()
            .filter(|&i| affected.contains(&r.template_of(i)))
            .map(|i| {
                r.render_page(i, r.rendered(i))
                    .map(|bytes| (output_path(&site.pages[i].url), bytes))
            })
            .collect();
        results.extend(r.render_generated(Some(&affected)));
        let (files, errors) = split_results(results);
        diags.extend(errors);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Some(Update {
            files,
            diagnostics: diags,
            changes: r.changes,
            search: false,
        }))
    }

    /// Re-renders after an edit of institution files (in `site.directory`),
    /// when every institution keeps its name, URL and the rest of what
    /// other pages show of it (the chooser, the A–Z list): the directory
    /// pages that changed, the vCards and the open data. `Ok(None)` when
    /// other pages change too: the caller renders everything.
    pub fn rerender_directory(&self, site: &Site) -> Result<Option<Update>, Vec<Diagnostic>> {
        let base_path = site.config.base_path();
        if site.directory.summaries(&base_path) != *self.institutions {
            return Ok(None);
        }
        let pages = directory_pages(site);
        if pages.len() != self.directory_pages.len()
            || pages
                .iter()
                .zip(&self.directory_pages)
                .any(|(a, b)| a.url != b.url)
        {
            return Ok(None);
        }
        let mut r = Renderer::new(site, self);
        let results: Vec<Result<OutputFile, Diagnostic>> = pages
            .par_iter()
            .zip(&self.directory_pages)
            .filter(|(new, old)| new != old)
            .map(|(g, _)| r.render_directory_page(g))
            .collect();
        let (mut files, errors) = split_results(results);
        if !errors.is_empty() {
            return Err(errors);
        }
        files.extend(site.directory.files(&base_path));
        let first = site.pages.len();
        for (k, g) in pages.iter().enumerate() {
            let doc = directory_doc(g);
            if *self.search_docs[first + k] != doc {
                r.changes.search_docs.push((first + k, Arc::new(doc)));
            }
        }
        let search = !r.changes.search_docs.is_empty();
        r.changes.directory_pages = Some(pages);
        Ok(Some(Update {
            files,
            diagnostics: Vec::new(),
            changes: r.changes,
            search,
        }))
    }

    /// The search index's files as of now: work for another thread.
    pub fn search_job(
        &self,
        synonyms: &search::Synonyms,
    ) -> impl FnOnce() -> Vec<OutputFile> + Send + 'static {
        let docs = self.search_docs.clone();
        let synonyms = synonyms.clone();
        move || {
            let docs = docs.iter().map(|d| SearchDoc::clone(d)).collect();
            search::build_index(docs, &synonyms)
        }
    }
}

/// Each theme's pages, in the order that "related" lists show them.
fn theme_pages(site: &Site) -> BTreeMap<String, Vec<usize>> {
    let mut themes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        if let (Some(t), false) = (&p.meta.theme, p.is_section) {
            themes.entry(t.clone()).or_default().push(i);
        }
    }
    for list in themes.values_mut() {
        list.sort_by_cached_key(|&i| {
            (
                site.pages[i].meta.weight.unwrap_or(i64::MAX),
                site.pages[i].meta.title.to_lowercase(),
            )
        });
    }
    themes
}

/// The directory's pages; none for a site without a directory.
fn directory_pages(site: &Site) -> Vec<directory::GeneratedPage> {
    if site.directory.institutions.is_empty() {
        return Vec::new();
    }
    // Which national organisations each theme's pages name.
    let mut theme_orgs: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for p in &site.pages {
        if let Some(t) = &p.meta.theme {
            let list = theme_orgs.entry(t.clone()).or_default();
            for k in &p.meta.organisations {
                if let Some(o) = site.organisations.get(k) {
                    let v = serde_json::to_value(o).unwrap_or(Value::Null);
                    if !list.contains(&v) {
                        list.push(v);
                    }
                }
            }
        }
    }
    site.directory
        .pages(&site.config.base_path(), &site.config.themes, &theme_orgs)
}

/// The search input of page `i`.
fn page_doc(site: &Site, index: &LinkIndex, i: usize, parts: Vec<search::DocPart>) -> SearchDoc {
    let p = &site.pages[i];
    SearchDoc {
        url: index.url(&p.url),
        title: p.meta.title.clone(),
        section: p
            .parent
            .map(|s| site.pages[s].meta.title.clone())
            .unwrap_or_default(),
        theme: p.meta.theme.clone(),
        audience: p.meta.audience.clone(),
        keywords: p.meta.keywords.clone(),
        description: p.meta.description.clone().unwrap_or_default(),
        parts,
    }
}

/// The search input of a directory page.
fn directory_doc(g: &directory::GeneratedPage) -> SearchDoc {
    SearchDoc {
        url: g.url.clone(),
        title: g.title.clone(),
        section: "Jouw school".into(),
        theme: None,
        audience: vec!["student".into(), "medewerker".into()],
        keywords: g.keywords.clone(),
        description: g.description.clone(),
        parts: Vec::new(),
    }
}

/// Output files and errors, apart.
fn split_results(
    results: Vec<Result<OutputFile, Diagnostic>>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    (files, errors)
}

/// Links from page `i` (rendered as `r`) to headings that do not exist.
fn broken_anchors<'r>(
    site: &Site,
    rendered: impl Fn(usize) -> &'r Rendered,
    i: usize,
    r: &Rendered,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for a in &r.anchor_refs {
        let target = if a.target == i { r } else { rendered(a.target) };
        if !target.headings.iter().any(|h| h.id == a.anchor) {
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let hint = did_you_mean(&a.anchor, ids).map_or_else(
                || "headings get ids from their text, e.g. `## Wat kun je doen?` → `#wat-kun-je-doen`".to_string(),
                |k| format!("did you mean `#{k}`?"),
            );
            diags.push(
                Diagnostic::error(
                    "broken-anchor",
                    &site.pages[i].file,
                    format!(
                        "the anchor `#{}` does not exist on {}",
                        a.anchor,
                        site.pages[a.target].file.display()
                    ),
                )
                .at_line(a.line)
                .hint(hint),
            );
        }
    }
    diags
}

/// Writes files on all cores; the errors, one per file that failed.
fn put_all(sink: &dyn Sink, files: &[OutputFile]) -> Vec<Diagnostic> {
    files
        .par_iter()
        .filter_map(|(path, bytes)| {
            sink.put(path, bytes)
                .err()
                .map(|e| Diagnostic::error("write", path, format!("cannot write: {e}")))
        })
        .collect()
}

/// The page body before and from its "Goed om te weten" or "Bronnen" heading.
fn split_at_end_matter(html: &str) -> (&str, &str) {
    let at = ["<h2 id=\"goed-om-te-weten\"", "<h2 id=\"bronnen\""]
        .iter()
        .find_map(|m| html.find(m));
    match at {
        Some(i) => html.split_at(i),
        None => (html, ""),
    }
}

fn home_title(site: &Site) -> String {
    site.home()
        .map_or_else(|| "Home".to_string(), |h| site.pages[h].meta.title.clone())
}

fn directory_breadcrumbs(ctx: &Renderer, local: &str) -> Value {
    let mut chain = vec![json!({"title": home_title(ctx.site), "url": ctx.url("/")})];
    let parts: Vec<&str> = local.trim_matches('/').split('/').collect();
    if parts.len() >= 2 {
        chain.push(json!({"title": "Jouw school", "url": ctx.url("/instellingen/")}));
    }
    if parts.len() >= 3 && parts[1] != directory::pages::CHOOSER_SLUG {
        let slug = parts[1];
        let name = ctx
            .site
            .directory
            .institutions
            .iter()
            .find(|i| i.slug == slug)
            .map_or(slug.to_string(), |i| i.name.clone());
        chain.push(json!({"title": name, "url": ctx.url(&format!("/instellingen/{slug}/"))}));
    }
    Value::Array(chain)
}

/// The A–Z index of every page, section and institution.
fn topics(ctx: &Renderer, directory_pages: &[directory::GeneratedPage]) -> Value {
    let mut entries: Vec<(String, Value)> = ctx
        .site
        .pages
        .iter()
        .filter(|p| p.url != "/")
        .map(|p| {
            let section = p
                .parent
                .map(|s| ctx.site.pages[s].meta.title.clone())
                .unwrap_or_default();
            (
                p.meta.title.clone(),
                json!({"title": p.meta.title, "url": ctx.url(&p.url), "section": section}),
            )
        })
        .collect();
    for g in directory_pages
        .iter()
        .filter(|g| g.template == "instelling.html")
    {
        entries.push((
            g.title.clone(),
            json!({"title": g.title, "url": g.url, "section": "Jouw school"}),
        ));
    }
    let key = |t: &str| t.nfd_lower();
    entries.sort_by_cached_key(|e| key(&e.0));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for (title, v) in entries {
        let letter = key(&title)
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase());
        let letter = if letter.is_ascii_alphabetic() {
            letter.to_string()
        } else {
            "#".to_string()
        };
        match groups.last_mut() {
            Some((l, list)) if *l == letter => list.push(v),
            _ => groups.push((letter, vec![v])),
        }
    }
    groups
        .into_iter()
        .map(|(letter, entries)| json!({"letter": letter, "entries": entries}))
        .collect()
}

trait FoldLower {
    fn nfd_lower(&self) -> String;
}
impl FoldLower for str {
    fn nfd_lower(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        self.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .to_lowercase()
    }
}

/// Security headers for hosts that read a `_headers` file (Netlify,
/// Cloudflare Pages). The README has the same for nginx.
const HEADERS: &str = "{base}*
  Content-Security-Policy: default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()
  Cross-Origin-Opener-Policy: same-origin
  X-Frame-Options: DENY
{base}css/*
  Cache-Control: public, max-age=31536000, immutable
{base}js/*
  Cache-Control: public, max-age=31536000, immutable
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/melden/x/"), "melden/x/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
    }

    #[test]
    fn dutch_dates() {
        assert_eq!(
            dutch_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
            "28 november 2026"
        );
    }

    #[test]
    fn fingerprints_change_with_content() {
        assert_ne!(
            fingerprinted_name("css/a.css", b"a"),
            fingerprinted_name("css/a.css", b"b")
        );
        assert!(fingerprinted_name("css/a.css", b"a").starts_with("css/a."));
    }
}
