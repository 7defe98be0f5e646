#!/usr/bin/env python3
"""Writes the ISO 3166-1 countries, with Danish and English names, into the language catalogues
(`country.<code>` in templates/locales/da.json and en.json) and the codes into
Sources/LetheCore/Models/CountryCodes.swift. The names come from pycountry (PyPI), which carries
the Debian iso-codes list and its translations; English uses the common name where there is one
("South Korea", not "Korea, Republic of"). Run it again when that list changes:

    python3 -m venv /tmp/pc && /tmp/pc/bin/pip install pycountry && /tmp/pc/bin/python scripts/make-country-list.py
"""
import gettext
import json
import os

import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
danish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["da"])
# Danish readers say these countries' short names; the ISO list has the formal ones.
DANISH_COMMON = {"KR": "Sydkorea", "KP": "Nordkorea", "IR": "Iran", "TW": "Taiwan", "SY": "Syrien", "LA": "Laos",
                 "MD": "Moldova", "TZ": "Tanzania", "VE": "Venezuela", "BO": "Bolivia", "RU": "Rusland", "VN": "Vietnam"}
names = {"en": {}, "da": {}}
for country in pycountry.countries:
    english = getattr(country, "common_name", None) or country.name
    translated = danish.gettext(english)
    names["en"][country.alpha_2] = english
    names["da"][country.alpha_2] = DANISH_COMMON.get(country.alpha_2) or (translated if translated != english or english == country.name else danish.gettext(country.name))

for language in ("en", "da"):
    path = os.path.join(ROOT, "templates", "locales", f"{language}.json")
    with open(path) as f:
        catalogue = json.load(f)
    catalogue["country"] = dict(sorted(names[language].items()))
    with open(path, "w") as f:
        json.dump(catalogue, f, ensure_ascii=False, indent=2)
        f.write("\n")

codes = sorted(names["en"])
with open(os.path.join(ROOT, "Sources", "LetheCore", "Models", "CountryCodes.swift"), "w") as f:
    f.write("// Written by scripts/make-country-list.py from ISO 3166-1 (pycountry); do not edit by hand.\n\n")
    f.write("/// The countries a partner may be in: every ISO 3166-1 alpha-2 code, and those of the EU/EEA,\n")
    f.write("/// which are not third countries.\n")
    f.write("public enum CountryCodes {\n")
    f.write("    /// Every ISO 3166-1 alpha-2 code.\n")
    f.write("    public static let all: Set<String> = [\n")
    for i in range(0, len(codes), 16):
        f.write("        " + ", ".join(f'"{c}"' for c in codes[i:i + 16]) + ",\n")
    f.write("    ]\n\n")
    f.write("    /// The member states of the EU and the other EEA states (Iceland, Liechtenstein, Norway).\n")
    eea = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
           "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"]
    f.write("    public static let euEEA: Set<String> = [\n        " + ", ".join(f'"{c}"' for c in eea) + ",\n    ]\n}\n")
print(len(codes), "countries")
