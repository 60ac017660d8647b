#!/usr/bin/env python3
"""Generates a synthetic wegwijzer site for benchmarks.

    bench/gen-site.py OUT --pages 10000 [--words 600] [--institutions 1000] [--seed 1]

OUT gets site.yaml, the bundled theme (copied from this repo), the bundled
organisations and synonyms, PAGES Markdown pages of about WORDS Dutch-like
words each (headings, lists, links between pages), spread over the five
sections, and INSTITUTIONS fictional institution files.
With --flavor hugo it writes a Hugo site of the same pages instead.
"""
import argparse
import os
import random
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ["melden", "inclusie", "seksuele-grenzen", "criminaliteit", "handboeken"]
THEMES = ["melden", "inclusie", "seksuele-grenzen", "criminaliteit"]
WORDS = (
    "je de het een en van op school stage student mentor vertrouwenspersoon klacht melden praten "
    "veilig onveilig hulp politie aangifte discriminatie pesten gepest uitgescholden racisme grens "
    "grenzen naaktfoto gedeeld bedreiging geweld drugs wapens ronselen geld vriend vriendin docent "
    "leerbedrijf begeleider klas les opleiding niveau anoniem gratis bellen chatten website formulier "
    "wat kun je doen niet jouw schuld iemand vertelt luistert helpt samen stap stappen kiezen zelf "
    "rustig eerlijk geheim advies steun nazorg melding commissie inspecteur landelijk regionaal "
    "coördinator medewerker handboek protocol registreren incident veiligheidsplan gesprek ouders "
    "thuis buiten binnen altijd soms vaak nooit snel later vandaag morgen week maand jaar"
).split()


def sentence(rng):
    n = rng.randint(6, 14)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def body(rng, words, links):
    out, count = [], 0
    while count < words:
        if count and rng.random() < 0.25:
            out.append("## " + sentence(rng).rstrip(".") + "?")
        if rng.random() < 0.2:
            items = [sentence(rng) for _ in range(rng.randint(2, 4))]
            out.append("\n".join("- " + i for i in items))
            count += sum(len(i.split()) for i in items)
        para = [sentence(rng) for _ in range(rng.randint(2, 5))]
        if links and rng.random() < 0.3:
            target = rng.choice(links)
            para.append(f"Lees ook [deze pagina]({target}).")
        text = " ".join(para)
        out.append(text)
        count += len(text.split())
    return "\n\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def institution(i, rng):
    region = ["noord", "oost", "zuid", "west"][i % 4]
    return f"""name: ROC Proefstad {i}
short_name: RP{i}
brin: "{10 + i % 90:02d}{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}"
kind: roc
region: {region}
website: https://www.roc-proefstad-{i}.example/
demo: true
locations:
  - key: centrum
    name: Locatie Centrum
    street: Schoolstraat {1 + i % 200}
    postcode: "{1000 + i % 8999} AB"
    city: Proefstad {i}
contacts:
  - role: vertrouwenspersoon
    name: Vertrouwenspersoon {i}
    email: vp@roc-proefstad-{i}.example
    phone: "010 012 {i % 100:02d} {(i // 100) % 100:02d}"
  - role: meldpunt-stagediscriminatie
    email: meldpunt@roc-proefstad-{i}.example
  - role: klachtencommissie
    email: klachten@roc-proefstad-{i}.example
checked: 2026-10-01
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--institutions", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flavor", choices=["wegwijzer", "hugo"], default="wegwijzer")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    content = os.path.join(a.out, "content")
    per = {s: [] for s in SECTIONS}
    for i in range(a.pages):
        per[SECTIONS[i % len(SECTIONS)]].append(f"pagina-{i:06d}")
    if a.flavor == "wegwijzer":
        os.makedirs(content, exist_ok=True)
        shutil.copy(os.path.join(REPO, "site.yaml"), os.path.join(a.out, "site.yaml"))
        shutil.copytree(os.path.join(REPO, "themes"), os.path.join(a.out, "themes"))
        for name in ("organisaties.yaml", "synoniemen.yaml"):
            src = os.path.join(REPO, "content", name)
            if os.path.exists(src):
                shutil.copy(src, os.path.join(content, name))
        write(os.path.join(content, "_index.md"), "---\ntitle: Synthetische site\n---\nWelkom.\n")
    else:
        os.makedirs(a.out, exist_ok=True)
        write(os.path.join(a.out, "hugo.yaml"), "baseURL: https://example.org/\ntitle: Synthetisch\ndisableKinds: [taxonomy, term, RSS]\n")
        write(os.path.join(a.out, "layouts/_default/baseof.html"), "<!DOCTYPE html><html lang=nl><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n")
        write(os.path.join(a.out, "layouts/_default/single.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n")
        write(os.path.join(a.out, "layouts/_default/list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")
        write(os.path.join(content, "_index.md"), "---\ntitle: Synthetische site\n---\nWelkom.\n")
    for s, pages in per.items():
        write(os.path.join(content, s, "_index.md"), f"---\ntitle: Sectie {s}\nsort_by: weight\n---\nDe pagina's over {s}.\n")
        for n, slug in enumerate(pages):
            links = [f"{p}.md" for p in rng.sample(pages, min(3, len(pages)))] if a.flavor == "wegwijzer" else []
            fm = [f"title: {sentence(rng).rstrip('.')}", f"description: {sentence(rng)}",
                  f"updated: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}", f"weight: {n}"]
            if a.flavor == "wegwijzer":
                if s in THEMES:
                    fm += [f"theme: {s}", "audience: student"]
                fm.append("keywords: [" + ", ".join(rng.sample(WORDS, 4)) + "]")
            write(os.path.join(content, s, slug + ".md"), "---\n" + "\n".join(fm) + "\n---\n" + body(rng, a.words, links))
    for i in range(a.institutions):
        write(os.path.join(content, "instellingen", f"roc-proefstad-{i}.yaml"), institution(i, rng))
    print(f"wrote {a.pages} pages and {a.institutions} institutions to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
