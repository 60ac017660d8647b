//! Search index benchmark on synthetic pages (run by bench/search-bench.sh).
//!
//! `cargo test --release --test search_bench -- --ignored --nocapture`
//! builds the index of 1,000 and 10,000 synthetic pages (or the counts in
//! SEARCH_BENCH_PAGES, comma-separated), writes it under SEARCH_BENCH_OUT
//! (default target/search-bench/<n>/) and prints one JSON line per size.
//!
//! `SEARCH_BENCH_DOCS=docs.json cargo test --release --test search_bench --
//! --ignored --nocapture --exact search_index_from_docs` builds the index of
//! pages saved as JSON (a list of `SearchDoc`; synonyms from
//! SEARCH_BENCH_SYNONYMS), SEARCH_BENCH_REPEAT times, and reports CPU
//! seconds and the extra peak memory of each build.

use std::path::PathBuf;
use std::time::Instant;

use wegwijzer::render::search::{build_index, DocPart, SearchDoc, Synonyms};

/// Frequent Dutch words of the site's kind, mixed into the generated text.
const COMMON: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "je",
    "van",
    "op",
    "is",
    "dat",
    "niet",
    "school",
    "stage",
    "melden",
    "melding",
    "vertrouwenspersoon",
    "mentor",
    "student",
    "studenten",
    "docent",
    "klas",
    "hulp",
    "praten",
    "veilig",
    "onveilig",
    "pesten",
    "gepest",
    "discriminatie",
    "geweld",
    "politie",
    "aangifte",
    "klacht",
    "klachtencommissie",
    "bedreiging",
    "naaktfoto",
    "grenzen",
    "seksueel",
    "drugs",
    "wapens",
    "ronselen",
    "anoniem",
    "medewerker",
    "handboek",
    "incident",
    "registreren",
    "veiligheidsplan",
    "coördinator",
    "begeleider",
    "bedrijf",
    "werk",
    "vrienden",
    "ouders",
    "online",
    "berichten",
    "foto",
    "filmpje",
    "schuld",
    "stappen",
    "gesprek",
    "vertellen",
    "luisteren",
    "helpen",
    "zorgen",
    "regels",
    "rechten",
    "website",
    "bellen",
    "chatten",
    "gratis",
];

const SYLLABLES: &[&str] = &[
    "ver", "ge", "be", "ont", "school", "stage", "meld", "ing", "en", "heid", "lijk", "baar",
    "werk", "plan", "plaats", "hulp", "raad", "dienst", "vei", "lig", "recht", "zaak", "ber", "ta",
    "ko", "mi", "lo", "ra", "sen", "der", "tie", "pun", "kant", "weg", "huis", "land", "stad",
    "boek", "gang", "slag", "spel", "taal", "tijd", "wet", "zorg", "keer", "ploeg",
];

/// A small deterministic generator (xorshift), so every run builds the
/// same pages.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Zipf-like rank in 0..n: many small ranks, a long tail.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as usize
    }
}

fn vocabulary(size: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
    while words.len() < size {
        let n = 2 + rng.below(3);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        words.push(w);
    }
    words
}

fn sentence(rng: &mut Rng, vocab: &[String], words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        // Half the words from the common list, half from the long tail.
        let w = if rng.below(2) == 0 {
            &vocab[rng.below(COMMON.len())]
        } else {
            &vocab[rng.zipf(vocab.len())]
        };
        s.push_str(w);
        if i + 1 == words || rng.below(12) == 0 {
            s.push('.');
        }
    }
    s
}

pub fn synthetic_docs(n: usize) -> Vec<SearchDoc> {
    let vocab = vocabulary(60_000);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let themes = ["melden", "inclusie", "seksuele-grenzen", "criminaliteit"];
    (0..n)
        .map(|i| {
            let theme = themes[i % themes.len()];
            let title_words = 3 + rng.below(4);
            let title = sentence(&mut rng, &vocab, title_words);
            let description_words = 15 + rng.below(10);
            let description = sentence(&mut rng, &vocab, description_words);
            let part_count = 3 + rng.below(4);
            let parts = (0..part_count)
                .map(|p| {
                    let heading = if p == 0 {
                        String::new()
                    } else {
                        let n = 3 + rng.below(4);
                        sentence(&mut rng, &vocab, n)
                    };
                    let words = 60 + rng.below(100);
                    DocPart {
                        anchor: (p > 0).then(|| format!("kop-{p}")),
                        heading,
                        level: if p == 0 { 0 } else { 2 },
                        text: sentence(&mut rng, &vocab, words),
                    }
                })
                .collect();
            SearchDoc {
                url: format!("/{theme}/pagina-{i}/"),
                title,
                section: theme.to_string(),
                theme: Some(theme.to_string()),
                audience: vec![if i % 5 == 0 { "medewerker" } else { "student" }.to_string()],
                keywords: (0..4)
                    .map(|_| vocab[rng.zipf(vocab.len())].clone())
                    .collect(),
                description,
                parts,
            }
        })
        .collect()
}

/// User + system CPU seconds of this process so far (Linux), so that a
/// busy machine does not inflate the build's cost.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[test]
#[ignore = "benchmark: run with --ignored (bench/search-bench.sh)"]
fn search_index_benchmark() {
    let counts: Vec<usize> = std::env::var("SEARCH_BENCH_PAGES")
        .unwrap_or_else(|_| "1000,10000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let out = std::env::var("SEARCH_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/search-bench"));
    for n in counts {
        let docs = synthetic_docs(n);
        let words: usize = docs
            .iter()
            .map(|d| {
                d.parts
                    .iter()
                    .map(|p| p.text.split(' ').count())
                    .sum::<usize>()
            })
            .sum();
        let start = Instant::now();
        let cpu = cpu_seconds();
        let files = build_index(docs, &Synonyms::empty());
        let secs = start.elapsed().as_secs_f64();
        let cpu = match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) => format!("{:.2}", b - a),
            _ => "null".to_string(),
        };
        let dir = out.join(n.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        let mut total = 0;
        for (path, bytes) in &files {
            let target = dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, bytes).unwrap();
            total += bytes.len();
        }
        let shards = files
            .iter()
            .filter(|f| f.0.starts_with("search/s/"))
            .count();
        println!(
            "{{\"pages\":{n},\"body_words\":{words},\"build_seconds\":{secs:.3},\"build_cpu_seconds\":{cpu},\"files\":{},\"shards\":{shards},\"bytes\":{total},\"dir\":{:?}}}",
            files.len(),
            dir.join("search").display().to_string()
        );
    }
}

/// Resident memory and its peak so far, in KiB (Linux).
fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[test]
#[ignore = "benchmark: run with --ignored and SEARCH_BENCH_DOCS"]
fn search_index_from_docs() {
    let Ok(path) = std::env::var("SEARCH_BENCH_DOCS") else {
        eprintln!("SEARCH_BENCH_DOCS is not set");
        return;
    };
    let docs: Vec<SearchDoc> =
        serde_json::from_slice(&std::fs::read(&path).expect("read docs")).expect("parse docs");
    let synonyms = match std::env::var("SEARCH_BENCH_SYNONYMS") {
        Ok(p) => {
            let value: serde_json::Value =
                serde_json::from_slice(&std::fs::read(p).expect("read synonyms"))
                    .expect("parse synonyms");
            Synonyms::from_data(&value, std::path::Path::new("synoniemen.yaml")).0
        }
        Err(_) => Synonyms::empty(),
    };
    let repeat: usize = std::env::var("SEARCH_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for _ in 0..repeat {
        let input = docs.clone();
        // Reset the peak, so that it measures this build only.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = memory_kib();
        let start = Instant::now();
        let cpu = cpu_seconds();
        let files = build_index(input, &synonyms);
        let secs = start.elapsed().as_secs_f64();
        let cpu = match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) => format!("{:.3}", b - a),
            _ => "null".to_string(),
        };
        let peak = match (before, memory_kib()) {
            (Some((rss, _)), Some((_, hwm))) => format!("{}", hwm.saturating_sub(rss) / 1024),
            _ => "null".to_string(),
        };
        let bytes: usize = files.iter().map(|f| f.1.len()).sum();
        println!(
            "{{\"pages\":{},\"wall_seconds\":{secs:.3},\"cpu_seconds\":{cpu},\"extra_peak_mb\":{peak},\"files\":{},\"bytes\":{bytes}}}",
            docs.len(),
            files.len()
        );
        if let Ok(out) = std::env::var("SEARCH_BENCH_OUT") {
            let dir = PathBuf::from(out);
            let _ = std::fs::remove_dir_all(&dir);
            for (path, bytes) in &files {
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, bytes).unwrap();
            }
        }
    }
}
