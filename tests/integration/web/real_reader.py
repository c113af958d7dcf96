"""A small understood database of real SaudiNewsNet articles for the reader's page tests.

Every 8th record of 2015-08-10 and 2015-08-11 (the two days the corpus has Saudi Press Agency wires, with their
desk prefixes «عام /» and datelines): about 420 articles from 12 outlets, two days so the day navigation has
somewhere to go. The records are written to a JSON file under the test's tmp dir (never into the repo) and
ingested and understood by the engine like any corpus.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import CORPUS, need_shared

from naba.config import Settings, load_settings
from naba.engine.naba import Naba

DAYS = ("2015-08-10", "2015-08-11")
EVERY = 8


def build_real_reader(folder: Path) -> Settings:
    records = []
    for day in DAYS:
        with zipfile.ZipFile(need_shared(CORPUS / f"{day}.zip")) as archive:
            records.extend(json.loads(archive.read(f"{day}.json"))[::EVERY])
    corpus = folder / "sample.json"
    corpus.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    settings = load_settings({"db": str(folder / "naba.db"), "ingest_workers": 1}, environ={})
    with Naba.open(settings) as naba:
        naba.ingest([corpus])
        naba.understand()
    return settings
