#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the demo country pack's MuktoPaath courses against docs/muktopaath.md.

usage: muktopaath_demo_pack.py SOURCE_DIR

categories.json and courses.json (object form: the member name is the key): every course has
every field the doc lists, its title, summary, outcomes and provider in every language the
pack has, pass mark, attempts and waits in range, a known category and centres; every
"$file" exists under the course's folder, exactly one is course.json, images are PNG or
JPEG under 30 KB; "skills", when present, is a list of skill ids (that they exist is
tests/nise_demo_pack.py's check). Each course.json: its course id, version and language
agree with the record, the lesson count too; pages are lists of h/p/ul/img blocks; every img
is one of the pack's files; every quiz answer is one of its question's options, a
single-choice question has exactly one. Prints every problem found, and exits 1 when there is any.
"""
import json
import os
import re
import sys

LANGUAGES = ["en", "bn", "uz-Latn", "uz-Cyrl", "ru"]
COURSE_FIELDS = {"category", "title", "summary", "outcomes", "provider", "language",
                 "duration_minutes", "lessons", "pass_mark", "attempts", "retry_wait_minutes",
                 "version", "licence", "pack"}
OPTIONAL_FIELDS = {"centres", "skills"}  # skills: NISE's ids (tests/nise_demo_pack.py)
MAX_IMAGE_BYTES = 30 * 1024

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


def texts(value, where, lists=False):
    """A value given in every language: text, or (lists) a non-empty list of texts."""
    if not isinstance(value, dict):
        problem(where, "must be an object: language -> text")
        return
    for language in LANGUAGES:
        text = value.get(language)
        if lists:
            if not (isinstance(text, list) and text and
                    all(isinstance(t, str) and t.strip() for t in text)):
                problem(where, f"has no list of texts in {language}")
        elif not (isinstance(text, str) and text.strip()):
            problem(where, f"has no text in {language}")
    for language in value:
        if language not in LANGUAGES:
            problem(where, f"names {language!r}, not a language of the pack")


def whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_image(path, where):
    with open(path, "rb") as f:
        head = f.read(8)
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        problem(where, "is neither a PNG nor a JPEG")
    if os.path.getsize(path) > MAX_IMAGE_BYTES:
        problem(where, f"is {os.path.getsize(path)} bytes, over {MAX_IMAGE_BYTES}")


def check_page(page, where, images):
    if not (isinstance(page, list) and page):
        problem(where, "must be a non-empty list of blocks")
        return
    for n, block in enumerate(page, 1):
        at = f"{where} block {n}"
        if not isinstance(block, dict):
            problem(at, "must be an object")
            continue
        kinds = [k for k in ("h", "p", "ul", "img") if k in block]
        if len(kinds) != 1:
            problem(at, f"must be exactly one of h, p, ul, img (has {sorted(block)})")
            continue
        kind = kinds[0]
        extra = set(block) - {kind} - ({"alt"} if kind == "img" else set())
        if extra:
            problem(at, f"has unknown fields {sorted(extra)}")
        value = block[kind]
        if kind == "ul":
            if not (isinstance(value, list) and value and
                    all(isinstance(i, str) and i.strip() for i in value)):
                problem(at, "ul must be a non-empty list of texts")
        elif not (isinstance(value, str) and value.strip()):
            problem(at, f"{kind} must be a non-empty text")
        if kind == "img":
            if value not in images:
                problem(at, f"shows {value!r}, which is not in the course's pack")
            if not (isinstance(block.get("alt"), str) and block["alt"].strip()):
                problem(at, "an image needs its alt text (read aloud in its place)")


def check_content(content, course_id, record, images, where):
    if not isinstance(content, dict):
        problem(where, "must be an object")
        return
    if set(content) != {"course", "version", "language", "lessons", "quiz"}:
        problem(where, f"has fields {sorted(content)}; expected course, version, language, "
                       "lessons, quiz")
    if content.get("course") != course_id:
        problem(where, f"names course {content.get('course')!r}, not {course_id!r}")
    for field in ("version", "language"):
        if content.get(field) != record.get(field):
            problem(where, f"{field} {content.get(field)!r} differs from the record's "
                           f"{record.get(field)!r}")
    lessons = content.get("lessons")
    if not (isinstance(lessons, list) and lessons):
        problem(where, "has no lessons")
        lessons = []
    if record.get("lessons") != len(lessons):
        problem(where, f"has {len(lessons)} lessons; the record says {record.get('lessons')}")
    seen = set()
    for n, lesson in enumerate(lessons, 1):
        at = f"{where} lesson {n}"
        if not isinstance(lesson, dict):
            problem(at, "must be an object")
            continue
        if lesson.get("id") in seen or not isinstance(lesson.get("id"), str):
            problem(at, f"id {lesson.get('id')!r} is missing or repeated")
        seen.add(lesson.get("id"))
        if not (isinstance(lesson.get("title"), str) and lesson["title"].strip()):
            problem(at, "has no title")
        if "audio" in lesson and lesson["audio"] not in images:
            problem(at, f"audio {lesson['audio']!r} is not in the course's pack")
        pages = lesson.get("pages")
        if not (isinstance(pages, list) and pages):
            problem(at, "has no pages")
            continue
        for m, page in enumerate(pages, 1):
            check_page(page, f"{at} page {m}", images)
    questions = (content.get("quiz") or {}).get("questions")
    if not (isinstance(questions, list) and questions):
        problem(where, "has no quiz questions")
        return
    ids = set()
    for n, question in enumerate(questions, 1):
        at = f"{where} question {n}"
        if not isinstance(question, dict):
            problem(at, "must be an object")
            continue
        if question.get("id") in ids or not isinstance(question.get("id"), str):
            problem(at, f"id {question.get('id')!r} is missing or repeated")
        ids.add(question.get("id"))
        if question.get("kind") not in ("single", "multiple"):
            problem(at, f"kind {question.get('kind')!r} is neither single nor multiple")
        if not (isinstance(question.get("text"), str) and question["text"].strip()):
            problem(at, "has no text")
        options = question.get("options") or []
        option_ids = [o.get("id") for o in options if isinstance(o, dict)]
        if len(options) < 2 or len(set(option_ids)) != len(options):
            problem(at, "needs two or more options with distinct ids")
        if not all(isinstance(o, dict) and isinstance(o.get("text"), str) and o["text"].strip()
                   for o in options):
            problem(at, "has an option without text")
        answer = question.get("answer")
        if not (isinstance(answer, list) and answer):
            problem(at, "has no answer")
            continue
        for a in answer:
            if a not in option_ids:
                problem(at, f"answer {a!r} is not one of its options {option_ids}")
        if len(set(answer)) != len(answer):
            problem(at, "repeats an answer")
        if question.get("kind") == "single" and len(answer) != 1:
            problem(at, "a single-choice question has exactly one answer")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    pack = os.path.join(sys.argv[1], "assets", "demo", "pack")
    base = os.path.join(pack, "muktopaath")
    centres = {c["id"] for c in (load(os.path.join(pack, "pack.json"), "pack.json") or {})
               .get("centres", [])}
    fleet = os.path.join(pack, "fleet")
    centres |= {f[:-5] for f in os.listdir(fleet) if f.endswith(".json")}

    categories = load(os.path.join(base, "categories.json"), "categories.json")
    if not isinstance(categories, dict) or not categories:
        problem("categories.json", "must be an object: category id -> category")
        categories = {}
    orders = set()
    for key, category in categories.items():
        where = f"categories.json {key!r}"
        if not isinstance(category, dict):
            problem(where, "must be an object")
            continue
        if set(category) != {"names", "icon", "order"}:
            problem(where, f"has fields {sorted(category)}; expected names, icon, order")
        texts(category.get("names"), f"{where} names")
        if not re.fullmatch(r"[a-z0-9_]+", str(category.get("icon"))):
            problem(where, "icon must be a Material Icons name")
        if not whole(category.get("order"), 0, 10000) or category.get("order") in orders:
            problem(where, "order must be a whole number no other category has")
        orders.add(category.get("order"))

    courses = load(os.path.join(base, "courses.json"), "courses.json")
    if not isinstance(courses, dict) or not courses:
        problem("courses.json", "must be an object: course id -> course")
        courses = {}
    for course_id, record in courses.items():
        where = f"courses.json {course_id!r}"
        if not re.fullmatch(r"[a-z0-9-]{1,64}", course_id):
            problem(where, "a course id is 1 to 64 of a-z, 0-9 and '-'")
        if not isinstance(record, dict):
            problem(where, "must be an object")
            continue
        missing = COURSE_FIELDS - set(record)
        unknown = set(record) - COURSE_FIELDS - OPTIONAL_FIELDS
        if missing:
            problem(where, f"lacks {sorted(missing)}")
        if unknown:
            problem(where, f"has unknown fields {sorted(unknown)}")
        if record.get("category") not in categories:
            problem(where, f"category {record.get('category')!r} is not in categories.json")
        for field in ("title", "summary", "provider"):
            texts(record.get(field), f"{where} {field}")
        texts(record.get("outcomes"), f"{where} outcomes", lists=True)
        if record.get("language") not in LANGUAGES:
            problem(where, f"language {record.get('language')!r} is not one of {LANGUAGES}")
        if not whole(record.get("duration_minutes"), 1, 6000):
            problem(where, "duration_minutes must be a whole number of minutes")
        if not whole(record.get("pass_mark"), 0, 100):
            problem(where, "pass_mark must be a percentage")
        if not whole(record.get("attempts"), 1, 100):
            problem(where, "attempts must be 1 or more")
        if not whole(record.get("retry_wait_minutes"), 0, 100000):
            problem(where, "retry_wait_minutes must be 0 or more")
        for field in ("version", "licence"):
            if not (isinstance(record.get(field), str) and record[field].strip()):
                problem(where, f"{field} must be a text")
        if "centres" in record:
            if not (isinstance(record["centres"], list) and record["centres"]):
                problem(where, "centres, when present, is a non-empty list of centre ids")
            for centre in record.get("centres") or []:
                if centre not in centres:
                    problem(where, f"centre {centre!r} is neither in pack.json nor in fleet/")
        if "skills" in record and not (
                isinstance(record["skills"], list) and record["skills"] and
                all(isinstance(s, str) and re.fullmatch(r"[a-z0-9._-]{1,64}", s)
                    for s in record["skills"])):
            problem(where, "skills, when present, is a non-empty list of skill ids")

        folder = f"courses/{course_id}/"
        names = set()
        content_path = None
        for n, entry in enumerate(record.get("pack") or [], 1):
            at = f"{where} pack #{n}"
            if not (isinstance(entry, dict) and set(entry) == {"$file"} and
                    isinstance(entry["$file"], str)):
                problem(at, 'must be {"$file": "courses/<course>/<name>"}')
                continue
            path = entry["$file"]
            if not path.startswith(folder) or ".." in path.split("/"):
                problem(at, f"{path!r} is not inside {folder}")
                continue
            full = os.path.join(base, path)
            if not os.path.isfile(full):
                problem(at, f"{path!r} does not exist")
                continue
            name = path[len(folder):]
            if name in names:
                problem(at, f"{name!r} is listed twice")
            names.add(name)
            if name == "course.json":
                content_path = full
            elif name.lower().endswith((".png", ".jpg", ".jpeg")):
                check_image(full, f"{where} {name}")
        if not record.get("pack"):
            problem(where, "pack lists no files")
        if content_path is None:
            problem(where, "pack names no course.json")
            continue
        content = load(content_path, f"{folder}course.json")
        if content is not None:
            check_content(content, course_id, record, names - {"course.json"},
                          f"{folder}course.json")

    all_text = ""
    for root, _, files in os.walk(base):
        for f in files:
            if f.endswith(".json"):
                with open(os.path.join(root, f), encoding="utf-8") as handle:
                    all_text += handle.read().lower()
    if "lorem" in all_text or "ipsum" in all_text:
        problem("muktopaath", "has placeholder text (lorem ipsum)")

    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) in the demo pack's MuktoPaath courses")
        return 1
    print(f"{len(categories)} categories and {len(courses)} courses checked: no problem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
