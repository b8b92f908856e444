"""Constants shared by the web tests, and a small multilingual corpus written for them:
one story in three languages (the French version changes a number) and an unrelated
Spanish article."""

from __future__ import annotations

import json
from pathlib import Path

# The app answers only to loopback names (DNS-rebinding guard), so the client uses one.
BASE_URL = "http://127.0.0.1"

# Article text is hostile input: markup, event handlers, script URLs, a textarea breakout.
HOSTILE_TEXT = (
    "Breaking: <script>alert('script')</script> officials said 12 people were hurt in the blast on Monday.\n"
    "The photo <img src=x onerror=\"alert('onerror')\"> was removed by the editors of the paper.\n"
    "Readers can <a href=\"javascript:alert('link')\">click here</a> or open javascript:alert(document.cookie) for more.\n"
    "A comment closed the box: </textarea><script>alert('textarea')</script><textarea> and the police went on.\n"
)

FLOOD_EN = (
    "Floods in the northern city of Arlen forced 1,200 people from their homes on Tuesday, the regional fire service said. "
    "Rescue teams used boats to reach families trapped on the roofs of their houses. "
    "The river rose by three metres in twelve hours after two days of heavy rain. "
    "Mayor Lena Hoff said all schools in the city would stay closed until Friday. "
    "Weather forecasters expect more rain over the weekend."
)
FLOOD_FR = (
    "Des inondations dans la ville d'Arlen, dans le nord, ont chassé 1 500 personnes de leurs maisons mardi, selon les pompiers de la région. "
    "Les équipes de secours ont utilisé des bateaux pour atteindre les familles bloquées sur les toits de leurs maisons. "
    "La rivière est montée de trois mètres en douze heures après deux jours de fortes pluies. "
    "La maire Lena Hoff a déclaré que toutes les écoles de la ville resteraient fermées jusqu'à vendredi. "
    "Les météorologues prévoient encore de la pluie ce week-end."
)
FLOOD_DE = (
    "Überschwemmungen in der nördlichen Stadt Arlen haben am Dienstag 1.200 Menschen aus ihren Häusern vertrieben, teilte die regionale Feuerwehr mit. "
    "Rettungsteams setzten Boote ein, um Familien zu erreichen, die auf den Dächern ihrer Häuser festsaßen. "
    "Der Fluss stieg nach zwei Tagen Starkregen in zwölf Stunden um drei Meter. "
    "Bürgermeisterin Lena Hoff sagte, alle Schulen der Stadt blieben bis Freitag geschlossen. "
    "Meteorologen erwarten am Wochenende weiteren Regen."
)
LIBRARY_ES = (
    "La biblioteca municipal de Sevilla abrió sus puertas el lunes tras dos años de obras de renovación. "
    "El nuevo edificio tiene salas de lectura para niños y un archivo de periódicos antiguos. "
    "El alcalde dijo que la biblioteca abrirá también los domingos por la tarde. "
    "Los vecinos esperaban la reapertura desde hace meses."
)
ARTICLES = [
    {
        "text": FLOOD_EN,
        "lang": "en",
        "title": "Floods force 1,200 from their homes in Arlen",
        "outlet": "Northern Post",
        "published": "2024-03-05T09:00",
        "url": "https://example.org/arlen-floods",
    },
    {
        "text": FLOOD_FR,
        "lang": "fr",
        "title": "Inondations à Arlen",
        "outlet": "Le Courrier du Nord",
        "published": "2024-03-05T15:30",
        "url": "javascript:alert('url')",
    },
    {
        "text": FLOOD_DE,
        "lang": "de",
        "title": "Hochwasser in Arlen",
        "outlet": "Nordkurier",
        "published": "2024-03-06T08:00",
    },
    {
        "text": LIBRARY_ES,
        "lang": "es",
        "title": "Reabre la biblioteca de Sevilla",
        "outlet": "Diario del Sur",
        "published": "2024-02-12T10:00",
    },
]


def write_jsonl(folder: Path) -> Path:
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path
