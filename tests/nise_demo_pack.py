#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the demo country pack's NISE content against docs/nise.md ("Catalog channels").

usage: nise_demo_pack.py SOURCE_DIR SEBA_SERVER HB_SHAPE

nise/skill-categories.json, nise/skills.json and nise/opportunities.json (object form: the
member name is the key), the "skills" of muktopaath/courses.json, and how pack.json and
fleet/demo-centre.json bring them in:
- every category and skill named in en, bn, uz-Latn, uz-Cyrl and ru (Uzbek Latin with its
  own marks, not ASCII apostrophes), each category's icon drawn by the installed Material
  Icons font (one glyph by hb-shape), each skill in a known category, ISCO-08 codes of four
  digits, no ESCO URI but a real-looking one;
- every opportunity: a known kind, its texts in exactly the languages of its country (bd:
  en, bn; uz: en, uz-Latn, uz-Cyrl, ru), a place that is a key of the shipped place lists
  (read as pack.json reads them), skills that exist, 1 to 20 of them, each once, weights
  1-3, a wage (jobs, apprenticeships) or a cost (trainings) in the country's currency,
  dates that are dates, seats, a fictional organisation and the illustrative source note;
- every demo course names skills that exist;
- the fleet runs nise with settings its manifest accepts and keeps the nise channels;
- the real seba-server imports the pack in a temporary folder, publishing every record,
  and a second import changes nothing.
Prints every problem found, and exits 1 when there is any.
"""
import csv
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

LANGUAGES = ["en", "bn", "uz-Latn", "uz-Cyrl", "ru"]
COUNTRY_LANGUAGES = {"bd": ["en", "bn"], "uz": ["en", "uz-Latn", "uz-Cyrl", "ru"]}
CURRENCY = {"bd": "BDT", "uz": "UZS"}
FICTIONAL = {"en": "Demo", "bn": "ডেমো", "uz-Latn": "Demo", "uz-Cyrl": "Демо", "ru": "Демо"}
SOURCE = "Illustrative: written for the Seba demo pack; not a real vacancy."
EDUCATION = ["none", "primary", "secondary", "higher_secondary", "vocational", "tertiary"]
ID = re.compile(r"[a-z0-9._-]{1,64}")
OPPORTUNITY_FIELDS = {"kind", "title", "summary", "organisation", "place", "lat", "lon",
                      "skills", "education", "wage", "cost", "closes", "opens", "seats",
                      "source"}
NISE_CHANNELS = ["nise.skill_categories", "nise.skills", "nise.opportunities"]
PER_CENTRE = ["nise.profiles", "nise.referrals"]
# The demo day the pack was written for (docs/nise.md, "The demo pack").
DEMO_DAY = datetime.date(2026, 12, 7)

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def load(path, where):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problem(where, f"cannot be read as JSON: {e}")
        return None


def whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_uzbek_latin(text, where):
    # oʻ and gʻ take U+02BB, the tutuq belgisi U+02BC; ASCII and curly quotes are typos.
    for bad in ("'", "`", "\u2018", "\u2019"):
        if bad in text:
            problem(where, f"writes {bad!r} in Uzbek Latin; use ʻ (U+02BB) or ʼ (U+02BC)")


def texts(value, languages, where, cyrillic_only=False):
    """Text in exactly `languages`, each non-empty; the scripts each language is written in."""
    if not isinstance(value, dict):
        problem(where, "must be an object: language -> text")
        return
    if sorted(value) != sorted(languages):
        problem(where, f"has languages {sorted(value)}; expected {sorted(languages)}")
    for language, text in value.items():
        at = f"{where}.{language}"
        if not (isinstance(text, str) and text.strip()) or len(text) > 400:
            problem(at, "must be 1 to 400 characters of text")
            continue
        if language == "bn" and not re.search("[\u0980-\u09ff]", text):
            problem(at, "has no Bengali letter")
        if language in ("uz-Cyrl", "ru"):
            if not re.search("[\u0400-\u04ff]", text):
                problem(at, "has no Cyrillic letter")
            if cyrillic_only and re.search("[A-Za-z]", text):
                problem(at, "has Latin letters in Cyrillic text")
        if language == "uz-Latn":
            check_uzbek_latin(text, at)
            if re.search("[\u0400-\u04ff]", text):
                problem(at, "has Cyrillic letters in Latin text")
        if language == "en" and re.search("[^\x00-\x7f]", text):
            problem(at, "has characters outside ASCII in English")


def read_places(pack_dir, pack):
    """channel -> set of keys, for the geo.* channels, read as pack.json describes them."""
    places = {}
    for entry in pack.get("channels", []):
        channel = entry.get("channel", "")
        if not channel.startswith("geo."):
            continue
        path = os.path.join(pack_dir, entry["file"])
        key = entry.get("key", "id")
        with open(path, encoding="utf-8-sig", newline="") as f:
            if "columns" in entry:
                rows = csv.DictReader(f, fieldnames=entry["columns"])
            else:
                rows = csv.DictReader(f)
            places[channel] = {row[key] for row in rows}
    return places


def icon_drawn(hb_shape, font, name):
    """True when the font draws `name` as one glyph (a Material Icons ligature)."""
    out = subprocess.run([hb_shape, "--no-glyph-names", "--output-format=json", font, name],
                         capture_output=True, text=True, check=True).stdout
    glyphs = json.loads(out)
    return len(glyphs) == 1 and glyphs[0]["g"] != 0


def icon_font():
    out = subprocess.run(["fc-list", ":family=Material Icons", "file"], capture_output=True,
                         text=True, check=True).stdout
    files = [line.rstrip(": \n") for line in out.splitlines() if line.strip().endswith(".ttf:")]
    if not files:
        sys.exit("the Material Icons font is not installed "
                 "(Debian package fonts-material-design-icons-iconfont)")
    return files[0]


def check_categories(categories, hb_shape):
    font = icon_font()
    if not isinstance(categories, dict) or not 6 <= len(categories) <= 8:
        problem("skill-categories.json", "must be an object of 6 to 8 categories")
        return {}
    orders = set()
    for key, category in categories.items():
        where = f"skill-categories.json {key!r}"
        if not ID.fullmatch(key):
            problem(where, "a category id is 1 to 64 of a-z 0-9 . _ -")
        if not isinstance(category, dict) or set(category) != {"names", "icon", "order"}:
            problem(where, "must be exactly {names, icon, order}")
            continue
        texts(category["names"], LANGUAGES, f"{where} names", cyrillic_only=True)
        if not (isinstance(category["icon"], str) and re.fullmatch(r"[a-z0-9_]+", category["icon"])
                and icon_drawn(hb_shape, font, category["icon"])):
            problem(where, f"icon {category['icon']!r} is not in the Material Icons font")
        if not whole(category["order"], 0, 10000) or category["order"] in orders:
            problem(where, "order must be a whole number no other category has")
        orders.add(category["order"])
    return categories


def check_skills(skills, categories):
    if not isinstance(skills, dict) or not 30 <= len(skills) <= 80:
        problem("skills.json", "must be an object of 30 to 80 skills")
        return {}
    seen = {language: {} for language in LANGUAGES}
    for key, skill in skills.items():
        where = f"skills.json {key!r}"
        if not ID.fullmatch(key):
            problem(where, "a skill id is 1 to 64 of a-z 0-9 . _ -")
        if not isinstance(skill, dict) or not {"category", "names"} <= set(skill) <= {
                "category", "names", "esco", "isco"}:
            problem(where, "must be {category, names} with optional esco and isco")
            continue
        if skill["category"] not in categories:
            problem(where, f"category {skill['category']!r} is not in skill-categories.json")
        texts(skill["names"], LANGUAGES, f"{where} names", cyrillic_only=True)
        for language, name in (skill["names"] or {}).items():
            if language in seen and name in seen[language]:
                problem(where, f"has the same {language} name as {seen[language][name]!r}")
            seen.setdefault(language, {})[name] = key
        if "isco" in skill and not re.fullmatch(r"[1-9][0-9]{3}", str(skill["isco"])):
            problem(where, "isco must be an ISCO-08 unit group: four digits")
        if "esco" in skill and not str(skill["esco"]).startswith(
                "http://data.europa.eu/esco/skill/"):
            problem(where, "esco must be an ESCO skill URI")
    for category in categories:
        if not any(s.get("category") == category for s in skills.values()
                   if isinstance(s, dict)):
            problem(f"skill-categories.json {category!r}", "has no skill")
    return skills


def date(value, where, field):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        problem(where, f"{field} {value!r} is not a date YYYY-MM-DD")
        return None


def check_money(money, where, field, country, wage):
    fields = {"amount", "currency", "per"} if wage else {"amount", "currency"}
    if not isinstance(money, dict) or set(money) != fields:
        problem(where, f"{field} must be exactly {sorted(fields)}")
        return
    if not whole(money["amount"], 0 if not wage else 1, 100_000_000):
        problem(where, f"{field} amount must be a whole amount" + (" above 0" if wage else ""))
    if money["currency"] != CURRENCY[country]:
        problem(where, f"{field} is in {money['currency']!r}, not {CURRENCY[country]}")
    if wage and money["per"] not in ("month", "day", "hour"):
        problem(where, f"wage per {money['per']!r} is not month, day or hour")


def check_opportunities(opportunities, skills, places):
    if not isinstance(opportunities, dict):
        problem("opportunities.json", "must be an object: opportunity id -> opportunity")
        return
    counts = {}
    for key, o in opportunities.items():
        where = f"opportunities.json {key!r}"
        if not ID.fullmatch(key):
            problem(where, "an opportunity id is 1 to 64 of a-z 0-9 . _ -")
        if not isinstance(o, dict):
            problem(where, "must be an object")
            continue
        if set(o) - OPPORTUNITY_FIELDS:
            problem(where, f"has unknown fields {sorted(set(o) - OPPORTUNITY_FIELDS)}")
        missing = {"kind", "title", "summary", "organisation", "place", "skills", "closes",
                   "seats", "source"} - set(o)
        if missing:
            problem(where, f"lacks {sorted(missing)}")
            continue
        kind = o["kind"]
        if kind not in ("job", "training", "apprenticeship"):
            problem(where, f"kind {kind!r} is not job, training or apprenticeship")
        place = o["place"]
        channel, _, place_key = str(place).rpartition("/")
        country = channel.split(".")[1] if channel.count(".") == 2 else ""
        if channel not in places or place_key not in places[channel]:
            problem(where, f"place {place!r} is not a key of the shipped place lists")
        if country not in COUNTRY_LANGUAGES:
            problem(where, f"place {place!r} is in no country of the pack")
            continue
        counts.setdefault((country, kind), 0)
        counts[(country, kind)] += 1
        languages = COUNTRY_LANGUAGES[country]
        for field in ("title", "summary", "organisation"):
            texts(o[field], languages, f"{where} {field}")
        for language, text in (o["organisation"] or {}).items():
            if language in FICTIONAL and FICTIONAL[language] not in str(text):
                problem(where, f"organisation {text!r} does not read as fictional "
                               f"({FICTIONAL[language]!r} in its name)")
        if ("lat" in o) != ("lon" in o):
            problem(where, "lat and lon go together")
        if "lat" in o:
            bounds = {"bd": (20.5, 26.7, 88.0, 92.7), "uz": (37.1, 45.6, 55.9, 73.2)}[country]
            if not (isinstance(o["lat"], (int, float)) and isinstance(o["lon"], (int, float)) and
                    bounds[0] <= o["lat"] <= bounds[1] and bounds[2] <= o["lon"] <= bounds[3]):
                problem(where, f"lat/lon {o['lat']}, {o['lon']} is not in {country}")
        required = o["skills"]
        if not (isinstance(required, list) and 1 <= len(required) <= 20):
            problem(where, "skills must list 1 to 20 skills")
            required = []
        named = set()
        for entry in required:
            if not (isinstance(entry, dict) and "skill" in entry and
                    set(entry) <= {"skill", "weight"}):
                problem(where, f"skill entry {entry!r} must be {{skill, weight}}")
                continue
            if entry["skill"] not in skills:
                problem(where, f"skill {entry['skill']!r} is not in skills.json")
            if entry["skill"] in named:
                problem(where, f"names skill {entry['skill']!r} twice")
            named.add(entry["skill"])
            if not whole(entry.get("weight", 1), 1, 3):
                problem(where, f"skill {entry['skill']!r} weight must be 1, 2 or 3")
        if "education" in o and o["education"] not in EDUCATION:
            problem(where, f"education {o['education']!r} is not one of {EDUCATION}")
        if kind == "training":
            if "wage" in o or "cost" not in o:
                problem(where, "a training has a cost (0: free) and no wage")
            else:
                check_money(o["cost"], where, "cost", country, wage=False)
        elif kind in ("job", "apprenticeship"):
            if "cost" in o or "wage" not in o:
                problem(where, f"a {kind} has a wage and no cost")
            else:
                check_money(o["wage"], where, "wage", country, wage=True)
        closes = date(o["closes"], where, "closes")
        if "opens" in o:
            opens = date(o["opens"], where, "opens")
            if opens and closes and opens > closes:
                problem(where, "opens after it closes")
        if not whole(o["seats"], 0, 100000):
            problem(where, "seats must be a whole number, 0 or more")
        if o["source"] != SOURCE:
            problem(where, f"source must be {SOURCE!r}")

    # What the demo shows: both countries, every kind, the hiding of closed and full ones.
    for country in COUNTRY_LANGUAGES:
        for kind in ("job", "training", "apprenticeship"):
            if not counts.get((country, kind)):
                problem("opportunities.json", f"has no {kind} in {country}")
    records = [o for o in opportunities.values() if isinstance(o, dict) and "closes" in o]
    closed = [o for o in records if str(o["closes"]) < DEMO_DAY.isoformat()]
    if len(closed) < 2:
        problem("opportunities.json", "needs two that closed before the demo day")
    if not any(o.get("seats") == 0 and str(o["closes"]) >= "2027-03-31" for o in records):
        problem("opportunities.json", "needs an open one with no seats left")
    if not any(o.get("kind") == "training" and (o.get("cost") or {}).get("amount") == 0
               for o in records):
        problem("opportunities.json", "needs a free training")
    debidwar = {"geo.bd.upazilas/1"} | {f"geo.bd.unions/{n}" for n in range(1, 16)}
    near = sum(1 for o in records if o.get("place") in debidwar)
    if near < 10:
        problem("opportunities.json", f"has {near} in Debidwar, the demo centre's upazila; "
                                      "most of Bangladesh's should be near it")
    return counts


def check_courses(courses, skills):
    if not isinstance(courses, dict):
        problem("muktopaath/courses.json", "must be an object")
        return
    taught = set()
    for course, record in courses.items():
        where = f"muktopaath/courses.json {course!r}"
        listed = record.get("skills") if isinstance(record, dict) else None
        if not (isinstance(listed, list) and 1 <= len(listed) <= 20 and
                len(set(map(str, listed))) == len(listed)):
            problem(where, "skills must list 1 to 20 skill ids, each once")
            continue
        for skill in listed:
            if skill not in skills:
                problem(where, f"teaches {skill!r}, which is not in nise/skills.json")
            taught.add(skill)
    return taught


def check_setting(spec, value, where):
    kind = spec.get("type")
    if kind == "string":
        if not isinstance(value, str) or len(value.encode()) > spec.get("max_length", 1 << 30):
            problem(where, f"{value!r} must be text of at most {spec.get('max_length')} bytes")
    elif kind == "integer":
        if not (whole(value, spec.get("min", -(1 << 62)), spec.get("max", 1 << 62))):
            problem(where, f"{value!r} must be an integer from {spec.get('min')} to "
                           f"{spec.get('max')}")
    else:
        problem(where, f"has a type {kind!r} this check does not know")


def check_pack_and_fleet(source_dir, pack, places):
    imported = {c.get("channel") for c in pack.get("channels", [])}
    for channel in NISE_CHANNELS:
        if channel not in imported:
            problem("pack.json", f"does not import {channel}")
    fleet = load(os.path.join(source_dir, "assets/demo/pack/fleet/demo-centre.json"),
                 "fleet/demo-centre.json") or {}
    manifest = load(os.path.join(source_dir, "plugins/nise/manifest.json"),
                    "plugins/nise/manifest.json") or {}
    if "nise" not in fleet.get("plugins", []):
        problem("fleet/demo-centre.json", "does not run nise")
    for channel in NISE_CHANNELS + PER_CENTRE:
        if channel not in fleet.get("channels", []):
            problem("fleet/demo-centre.json", f"does not keep {channel}")
    settings = fleet.get("plugin_settings", {}).get("nise", {})
    specs = {s["key"]: s for s in manifest.get("settings", [])}
    for key, value in settings.items():
        if key not in specs:
            problem("fleet/demo-centre.json", f"nise setting {key!r} is not in its manifest")
        else:
            check_setting(specs[key], value, f"fleet/demo-centre.json nise.{key}")
    expected = {"centre_code": "DEMO1", "centre_place": "geo.bd.upazilas/1",
                "utc_offset_minutes": 360}
    if settings != expected:
        problem("fleet/demo-centre.json", f"nise settings are {settings}; expected {expected}")
    channel, _, key = settings.get("centre_place", "").rpartition("/")
    if key not in places.get(channel, set()):
        problem("fleet/demo-centre.json", "centre_place is not a key of the shipped places")


def check_import(server, pack_file, counts):
    """The real server imports the pack; a second import changes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "seba-server.toml")
        with open(config, "w") as f:
            f.write('[server]\ndatabase = "server.db"\nfiles_dir = "files"\n')

        def run():
            return subprocess.run([server, "--config", config, "admin", "import-pack", pack_file],
                                  capture_output=True, text=True, cwd=tmp, timeout=120)

        first = run()
        if first.returncode != 0:
            problem("import-pack", f"exit {first.returncode}: {first.stdout}{first.stderr}")
            return
        for channel, n in counts.items():
            line = f"channel {channel}: {n} added, 0 changed, 0 removed, 0 unchanged"
            if line not in first.stdout:
                problem("import-pack", f"did not print {line!r}:\n{first.stdout}")
        second = run()
        for channel, n in counts.items():
            line = f"channel {channel}: 0 added, 0 changed, 0 removed, {n} unchanged"
            if line not in second.stdout:
                problem("import-pack (again)", f"did not print {line!r}:\n{second.stdout}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    source_dir, server, hb_shape = (os.path.abspath(a) for a in sys.argv[1:])
    pack_dir = os.path.join(source_dir, "assets", "demo", "pack")
    pack = load(os.path.join(pack_dir, "pack.json"), "pack.json") or {}
    places = read_places(pack_dir, pack)
    base = os.path.join(pack_dir, "nise")
    categories = check_categories(
        load(os.path.join(base, "skill-categories.json"), "skill-categories.json"), hb_shape)
    skills = check_skills(load(os.path.join(base, "skills.json"), "skills.json"), categories)
    opportunities = load(os.path.join(base, "opportunities.json"), "opportunities.json")
    counts = check_opportunities(opportunities, skills, places) or {}
    courses = load(os.path.join(pack_dir, "muktopaath", "courses.json"), "courses.json")
    taught = check_courses(courses, skills) or set()
    check_pack_and_fleet(source_dir, pack, places)
    check_import(server, os.path.join(pack_dir, "pack.json"),
                 {"nise.skill_categories": len(categories), "nise.skills": len(skills),
                  "nise.opportunities": len(opportunities or {}),
                  "muktopaath.courses": len(courses or {})})

    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) in the demo pack's NISE content")
        return 1
    print(f"{len(categories)} categories, {len(skills)} skills, {len(opportunities)} "
          f"opportunities ({', '.join(f'{c} {k} {n}' for (c, k), n in sorted(counts.items()))}) "
          f"and {len(taught)} skills taught by {len(courses)} courses checked: no problem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
