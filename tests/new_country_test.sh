#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A new country in a new language and script, as a pilot stands it up, with no build and no
# code change: Nepal in Nepali (Devanagari, its own digits, xkb's np layout, Debian's Noto Sans
# Devanagari), which neither shipped pack uses. The pack is written here, published to a real
# seba-server, and synced to a kiosk of this build that has never heard of Nepali (its config
# file offers English only). A citizen then chooses नेपाली, types a name on the on-screen
# Nepali keyboard, taps a phone on the digit pad's Devanagari keys, types an ID in Devanagari
# digits (first with a wrong check digit, which the pack's own rule refuses in Nepali), and
# confirms; the request reaches the server with the name intact. The kiosk's shaping of the
# pack's strings is compared with hb-shape's; a language whose font is not installed stops the
# kiosk with the package to install. Screenshots: $SEBA_COUNTRY_OUT (kept) or a temporary folder.
#
#   tests/new_country_test.sh BUILD_DIR DEV_PUBLIC_KEY
set -euo pipefail
build=$(cd "$1" && pwd)
dev_key=$2
bin=$build/bin
started=$(date +%s)
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "new_country_test: $*" >&2; exit 1; }
out=${SEBA_COUNTRY_OUT:-$work/screens}
mkdir -p "$out"

# --- the pilot's files: everything a new country and language needs ---------------------------
pack=$work/pack
mkdir -p "$pack/languages" "$pack/locale/seba" "$pack/locale/digital_centre" "$pack/dc" \
    "$pack/fleet"
cat >"$pack/pack.json" <<'EOF'
{
  "name": "Nepal pilot (test)",
  "notes": "Made by tests/new_country_test.sh; fees and rules illustrative.",
  "centres": [{"id": "ktm-1", "name": "Kathmandu Ward 1 Digital Centre"}],
  "languages": ["languages/ne.json"],
  "translations": [
    {"domain": "seba", "language": "ne", "file": "locale/seba/ne.po"},
    {"domain": "digital_centre", "language": "ne", "file": "locale/digital_centre/ne.po"}
  ],
  "channels": [{"channel": "dc.services", "file": "dc/services-np.json", "key": "key"}],
  "fleet": {"ktm-1": "fleet/ktm-1.json"}
}
EOF
cat >"$pack/languages/ne.json" <<'EOF'
{
  "tag": "ne", "name": "नेपाली", "english_name": "Nepali",
  "scripts": ["Deva"], "digits": "deva", "locale": "ne_NP", "calendar": "gregorian",
  "keyboard": {"layout": "np", "variant": ""},
  "fonts": {"Deva": ["Noto Sans Devanagari"]}, "font_packages": ["fonts-noto-core"],
  "voice": "ne"
}
EOF
po_header='msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: ne\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
'
cat >"$pack/locale/seba/ne.po" <<EOF
$po_header
msgid "Choose a service"
msgstr "सेवा छान्नुहोस्"

msgid "Home"
msgstr "गृहपृष्ठ"
EOF
cat >"$pack/locale/digital_centre/ne.po" <<EOF
$po_header
msgid "Digital Centre services"
msgstr "डिजिटल केन्द्रका सेवाहरू"

msgid "Apply"
msgstr "आवेदन दिनुहोस्"

msgid "Check your answers"
msgstr "आफ्ना उत्तरहरू जाँच्नुहोस्"

msgid "Confirm"
msgstr "पुष्टि गर्नुहोस्"

msgid "NPR"
msgstr "रुपैयाँ"
EOF
cat >"$pack/dc/services-np.json" <<'EOF'
[
 {"key": "rule/nin_np", "kind": "digits", "lengths": [10], "check": {"method": "luhn"},
  "example": "4527183901",
  "problem": {"en": "Check the national identity number: it has 10 digits, the last of them a check digit",
              "ne": "राष्ट्रिय परिचय नम्बर जाँच्नुहोस्: यसमा १० अङ्क हुन्छन्, अन्तिम अङ्क जाँच अङ्क हो"}},
 {"key": "rule/phone_np", "kind": "phone", "region": "NP", "types": ["mobile"],
  "example": "9841234567",
  "problem": {"en": "Enter a Nepal mobile number, e.g. 9841234567",
              "ne": "नेपालको मोबाइल नम्बर लेख्नुहोस्, जस्तै ९८४१२३४५६७"}},
 {"key": "rule/name_ne", "kind": "letters", "scripts": ["Deva"], "min_letters": 2,
  "max_length": 100,
  "problem": {"en": "Write the name in Devanagari", "ne": "नाम देवनागरीमा लेख्नुहोस्"}},
 {"key": "category/civil", "order": 1, "icon": "description",
  "names": {"en": "Civil registration", "ne": "पञ्जीकरण"}},
 {"key": "service/birth_np", "category": "civil", "icon": "child_care",
  "names": {"en": "Birth registration", "ne": "जन्म दर्ता"},
  "documents": [{"en": "Hospital birth report", "ne": "अस्पतालको जन्म विवरण"}],
  "fees": {"government": 100, "service": 50, "currency": "NPR"},
  "delivery": {"en": "3 working days", "ne": "३ कार्य दिन"},
  "office": {"en": "Ward office", "ne": "वडा कार्यालय"},
  "form": [
   {"id": "child_name", "rule": "name_ne", "label": {"en": "Child's name", "ne": "बच्चाको नाम"}},
   {"id": "phone", "rule": "phone_np", "label": {"en": "Mobile number", "ne": "मोबाइल नम्बर"}},
   {"id": "parent_nin", "rule": "nin_np", "identifies": true,
    "label": {"en": "Parent's national ID", "ne": "अभिभावकको राष्ट्रिय परिचय नम्बर"}}
  ],
  "source": "Illustrative: made by the test"}
]
EOF
cat >"$pack/fleet/ktm-1.json" <<'EOF'
{
  "plugins": ["digital_centre"],
  "settings": {"kiosk.languages": ["ne", "en"]},
  "plugin_settings": {"digital_centre": {"centre_code": "KTM1", "operator": "Test operator"}},
  "channels": ["dc.services", "dc.status"]
}
EOF
files=$(find "$pack" -type f | wc -l)

# --- the server: the pack published, then serving ----------------------------------------------
cat >"$work/seba-server.toml" <<'EOF'
[server]
listen = "127.0.0.1"
port = 0
admin_port = -1
database = "server.db"
threads = 4
EOF
server="$bin/seba-server --config $work/seba-server.toml"
$server admin import-pack "$pack/pack.json" >"$work/import.txt" ||
    fail "import-pack refused the pack: $(cat "$work/import.txt")"
grep -q "languages" "$work/import.txt" || fail "import-pack did not publish the languages"
mkfifo "$work/server.out"
$server serve >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
exec 3<"$work/server.out"
port=
while read -r line <&3; do
    if [[ $line =~ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
        port=${BASH_REMATCH[1]}
        break
    fi
done
[ -n "$port" ] || fail "seba-server did not start: $(cat "$work/server.err")"
cat <&3 >/dev/null &  # keeps the pipe drained

# --- a kiosk of this build, which knows five languages, none of them Nepali --------------------
mkdir -p "$work/kiosk/receipts"
cat >"$work/kiosk/seba.toml" <<EOF
[kiosk]
id = "ktm-kiosk-1"
centre = "ktm-1"
languages = ["en"]
default_language = "en"
data_dir = "data"
mode = "development"
[plugins]
dirs = ["$build/plugins"]
enabled = []
trusted_keys = ["$dev_key"]
[printer]
pdf_dir = "$work/kiosk/receipts"
[server]
url = "http://127.0.0.1:$port"
EOF
kiosk="$bin/seba-kiosk --config $work/kiosk/seba.toml"
$kiosk enroll "$($server admin enroll-code ktm-1 --valid-hours 1)" >/dev/null
$kiosk sync --once >"$work/sync.txt" || fail "sync failed: $(cat "$work/sync.txt")"
grep -q "^i18n.languages: 1 changed" "$work/sync.txt" || fail "no language arrived: $(cat "$work/sync.txt")"
grep -q "^i18n.translations: 2 changed" "$work/sync.txt" || fail "no translations arrived"

# --- a citizen, in Nepali -------------------------------------------------------------------------
cat >"$work/citizen.json" <<'EOF'
[
  {"expect_screen": "home"},
  {"language": "ne"},
  {"expect": {"id": "shell.home.title", "label": "सेवा छान्नुहोस्"}},
  {"screenshot": "01-home-ne"},
  {"tap": "shell.home.digital_centre"},
  {"tap": "dc.cat.civil"},
  {"tap": "dc.svc.birth_np"},
  {"screenshot": "02-detail-ne"},
  {"tap": "dc.apply"},
  {"tap": "dc.f.birth_np.child_name"},
  {"keys": "सीता शर्मा"},
  {"screenshot": "03-name-on-keyboard-ne"},
  {"tap": "dc.f.birth_np.phone"},
  {"screenshot": "03b-phone-pad-ne"},
  {"keys": "९८४१२३४५६८"},
  {"tap": "dc.f.birth_np.parent_nin"},
  {"type": "४५२७१८३९०२"},
  {"tap": "dc.review"},
  {"expect": "dc.form.errors"},
  {"screenshot": "04-rules-say-no-ne"},
  {"tap": "dc.f.birth_np.parent_nin"},
  {"tap": "osk.backspace"},
  {"type": "१"},
  {"tap": "dc.review"},
  {"expect": "dc.review.title"},
  {"screenshot": "05-check-answers-ne"},
  {"tap": "dc.confirm"},
  {"expect": "dc.receipt.panel"},
  {"screenshot": "06-confirmation-ne"},
  {"tap": "dc.done"}
]
EOF
(cd "$work/kiosk" && xvfb-run -a -s "-screen 0 1080x1920x24" $kiosk --width 1080 --height 1920 \
    --script "$work/citizen.json" --out "$out") >"$work/kiosk.txt" 2>&1 ||
    fail "the citizen's script failed: $(tail -20 "$work/kiosk.txt")"
for shot in 01-home-ne 03-name-on-keyboard-ne 06-confirmation-ne; do
    [ -s "$out/$shot.png" ] || fail "no screenshot $shot.png"
done
# What the rules said to the wrong ID, in Nepali from the pack's own rule.
grep -q "राष्ट्रिय परिचय नम्बर जाँच्नुहोस्" "$out/04-rules-say-no-ne.json" ||
    fail "the pack's rule did not say what was wrong in Nepali"

# --- the request at the server, once, with the name as typed --------------------------------------
$kiosk sync --once >"$work/sync2.txt" || fail "the second sync failed: $(cat "$work/sync2.txt")"
$server admin events ktm-1 --open >"$work/events.txt"
count=$(grep -c '"service":"birth_np"' "$work/events.txt" || true)
[ "$count" = 1 ] || fail "the request reached the server $count times: $(cat "$work/events.txt")"
grep -q "सीता शर्मा" "$work/events.txt" || fail "the name did not reach the server intact"
grep -q '+9779841234568' "$work/events.txt" || fail "the phone did not reach the server as E.164"

# --- the kiosk shapes the pack's strings as HarfBuzz's own tool does -------------------------------
# Where Debian's fonts-noto-core puts it (the kiosk found it through fontconfig).
font=/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf
[ -f "$font" ] || fail "Noto Sans Devanagari is not installed ($font)"
for text in "नेपाली" "सेवा छान्नुहोस्" "जन्म दर्ता" "राष्ट्रिय परिचय नम्बर जाँच्नुहोस्: यसमा १० अङ्क हुन्छन्" "सीता शर्मा"; do
    ours=$("$bin/seba-text" shape --font "$font" --size 30 --language ne "$text")
    theirs=$(hb-shape --no-glyph-names --output-format=json --font-size=30 --language=ne "$font" "$text")
    [ "$ours" = "$theirs" ] || fail "\"$text\" is shaped otherwise than hb-shape: $ours / $theirs"
done

# --- a language whose font is not installed stops a kiosk, naming the package --------------------
mkdir -p "$work/other"
cat >"$pack/languages/xx.json" <<'EOF'
{"tag": "sat", "name": "ᱥᱟᱱᱛᱟᱲᱤ", "english_name": "Santali", "scripts": ["Olck"],
 "keyboard": {"layout": "in", "variant": "olck"},
 "fonts": {"Olck": ["Noto Sans Ol Chiki Imagined"]}, "font_packages": ["fonts-noto-extra"]}
EOF
sed -i 's|"languages/ne.json"|"languages/ne.json", "languages/xx.json"|' "$pack/pack.json"
$server admin import-pack "$pack/pack.json" >/dev/null
$kiosk sync --once >/dev/null
sed -i 's|^languages = \["en"\]|languages = ["en", "sat"]|' "$work/kiosk/seba.toml"
if (cd "$work/kiosk" && xvfb-run -a $kiosk --script "$work/citizen.json" --out "$work/other") \
    >"$work/refused.txt" 2>&1; then
    fail "a kiosk offering a language with no font started"
fi
grep -q "install the Debian package fonts-noto-extra" "$work/refused.txt" ||
    fail "the refusal did not name the package: $(cat "$work/refused.txt")"

echo "new_country_test: Nepali from nothing to a confirmed request at the server in" \
    "$(($(date +%s) - started)) s of machine time, from $files files the pilot wrote" \
    "(screens: $out)"
