"""Chinese is the interface's default language: every message the code marks has its Chinese translation, and the
compiled catalogue the server reads is the one the .po holds."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid "(.*)"\n(?:msgid_plural ".*"\n)?((?:msgstr(?:\[\d\])? ".*"\n(?:".*"\n)*)+)', re.M)


def test_every_message_has_its_chinese_translation():
    text = PO.read_text(encoding="utf-8")
    untranslated = []
    for match in ENTRY.finditer(text):
        msgid, msgstrs = match.groups()
        if not msgid and match.start() == text.index('msgid ""'):
            continue  # the catalogue's header
        if not any(part for part in re.findall(r'"(.*)"', msgstrs)):
            untranslated.append(msgid)
    assert untranslated == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]  # a guessed translation is not a translation


def test_the_compiled_catalogue_is_the_po_the_repository_holds():
    with translation.override("zh-hans"):
        assert translation.gettext("Review my ballot") == "核对我的选票"
        assert translation.gettext("merge") == "合并"
