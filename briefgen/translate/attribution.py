"""The licence and attribution a model travels with: written into each installed model folder (and so into
every bundle), shown by ``briefgen models list``.

OPUS-MT models are CC-BY 4.0: whoever redistributes them (a bundle carried to an offline machine, a ministry
sharing its model folder) must credit the authors, name the licence and link to it, and say what was changed
(here: converted to CTranslate2 int8).
"""

from __future__ import annotations

from .registry import ModelEntry

LICENCE_FILE = "LICENCE.txt"
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "MIT": "https://opensource.org/licenses/MIT",
    "Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
}


def licence_url(licence: str) -> str:
    return LICENCE_URLS.get(licence.split()[0] if licence else "", "")


def licence_text(entry: ModelEntry, commit: str) -> str:
    url = licence_url(entry.licence)
    lines = [
        f"Model: {entry.hub_id} (commit {commit})",
        f"Card: {entry.card or 'https://huggingface.co/' + entry.hub_id}",
        f"Licence: {entry.licence or 'not stated in the registry: check the model card before redistributing'}"
        + (f" ({url})" if url else ""),
        f"Attribution: {entry.attribution or 'see the model card'}",
        "Changes: converted to CTranslate2 with int8 weights by briefgen (folder ct2/); the Hugging Face files "
        "in hf/ are unchanged.",
    ]
    return "\n".join(lines) + "\n"
