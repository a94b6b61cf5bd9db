"""Installed models: their folder layout, checks, and the fetch / pack / install tools for offline machines.

One folder per checkpoint in the models folder (``config.models_dir()``)::

    <models>/Helsinki-NLP--opus-mt-fr-ru/
        manifest.json      hub id, requested revision, resolved commit, family, every file with size and sha256
        ct2/               CTranslate2 int8 model + the sentencepiece files (all the ct2 backend reads)
        hf/                the Hugging Face files (config, tokenizer, weights) for the hf backend

A folder appears only complete: everything is built in a hidden staging folder beside it and renamed into
place. ``briefgen build`` never downloads; it reads these folders and says how to fill them when one is
missing (``FIX_MODELS``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ExchangeError, ModelError, SetupError
from .attribution import LICENCE_FILE, licence_text
from .registry import ModelEntry

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MODEL_FORMAT = "briefgen-model/1"
BUNDLE_FORMAT = "briefgen-models/1"
FIX_MODELS = ("Install models with `make models` (networked machine) or "
              "`briefgen models install FILE` (offline machine, FILE made by `briefgen models pack`).")
HF_SETUP = "install the hf extra: pip install -e '.[hf]'"
# What the tokenizers and the converter read; the weights are picked separately (safetensors preferred).
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "target_vocab.json", "sentencepiece.bpe.model",
                   "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
CONFIG_FILES = ("config.json", "generation_config.json")
SPM_FILES = {"marian": ("source.spm", "target.spm"), "m2m100": ("sentencepiece.bpe.model",),
             "nllb": ("sentencepiece.bpe.model",)}
_CHUNK = 1 << 20

# (hub_id, revision, destination folder, progress bars) -> resolved commit hash
Downloader = Callable[[str, str, Path, bool], str]
# (models root holding the staged folder, the entry it serves): raises ModelError when the model fails its check
Checker = Callable[[Path, ModelEntry], None]


# --- reading installed models ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InstalledModel:
    path: Path
    manifest: dict[str, Any]

    @property
    def ct2_dir(self) -> Path:
        return self.path / "ct2"

    @property
    def hf_dir(self) -> Path:
        return self.path / "hf"

    @property
    def commit(self) -> str:
        return str(self.manifest.get("commit") or self.manifest.get("revision") or "unknown")

    @property
    def has_hf(self) -> bool:
        return any(name.startswith("hf/") for name in self.manifest.get("files", {}))


def model_path(models: Path, entry: ModelEntry) -> Path:
    return models / entry.slug


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The model's manifest, None when the folder holds no model; ModelError when it is unreadable."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: the model manifest is unreadable ({exc}); the model folder is damaged. "
                         + FIX_MODELS) from exc
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT or not isinstance(data.get("files"), dict):
        raise ModelError(f"{path}: not a briefgen model manifest; the model folder is damaged. " + FIX_MODELS)
    return data


def installed_commit(models: Path, entry: ModelEntry) -> str | None:
    """The commit an installed model was fetched at, or None; never raises (used for signatures)."""
    try:
        manifest = read_manifest(model_path(models, entry))
    except ModelError:
        return None
    if manifest is None:
        return None
    return str(manifest.get("commit") or "") or None


def open_model(models: Path, entry: ModelEntry, part: str) -> InstalledModel:
    """The installed model for ``entry`` with its ``part`` ("ct2" or "hf") complete, or a ModelError saying
    what is wrong. Sizes are checked here (cheap); checksums when a bundle is installed."""
    folder = model_path(models, entry)
    manifest = read_manifest(folder)
    if manifest is None:
        raise ModelError(f"no model installed for {entry.direction} ({entry.hub_id}) in {models}. " + FIX_MODELS)
    model = InstalledModel(folder, manifest)
    files = {name: meta for name, meta in manifest["files"].items() if name.startswith(part + "/")}
    if not files:
        hint = ("it was fetched with --ct2-only; run `briefgen models fetch " + entry.direction + "` to add them"
                if part == "hf" else "run `briefgen models fetch " + entry.direction + "` again")
        raise ModelError(f"{folder}: the model has no {part} files; {hint}")
    for name, meta in sorted(files.items()):
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            raise ModelError(f"{folder}: {name} is missing; the model folder is damaged. Re-install it: "
                             f"`briefgen models fetch {entry.direction}`, or `briefgen models install FILE` "
                             "offline") from None
        if size != meta.get("bytes"):
            raise ModelError(f"{folder}: {name} has {size} bytes, the manifest says {meta.get('bytes')}; "
                             f"the model folder is damaged. Re-install it: `briefgen models fetch "
                             f"{entry.direction}`, or `briefgen models install FILE` offline")
    return model


def status(models: Path, entry: ModelEntry) -> tuple[str, int]:
    """("installed" | "installed (ct2 only)" | "missing" | "damaged: …", bytes on disk)."""
    folder = model_path(models, entry)
    try:
        model = open_model(models, entry, "ct2")
    except ModelError as exc:
        if not (folder / MANIFEST).exists():
            return "missing", 0
        return f"damaged: {str(exc).split(': ', 1)[-1].split(';')[0]}", tree_size(folder)
    return ("installed" if model.has_hf else "installed (ct2 only)"), tree_size(folder)


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def human_size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


# --- making installed models: fetch, convert --------------------------------------------------------------

def require_hf_stack() -> None:
    """Converting and the hf backend need transformers and torch; ct2 builds never import them."""
    import importlib.util

    missing = [m for m in ("torch", "transformers", "huggingface_hub") if importlib.util.find_spec(m) is None]
    if missing:
        raise SetupError(f"{', '.join(missing)} not installed; {HF_SETUP}")


def hub_download(hub_id: str, revision: str, dest: Path, progress: bool) -> str:
    """Download the files the backends need at ``revision``; returns the resolved commit."""
    require_hf_stack()
    import huggingface_hub
    from huggingface_hub import HfApi, snapshot_download

    if not progress:
        huggingface_hub.utils.disable_progress_bars()
    try:
        info = HfApi().model_info(hub_id, revision=revision)
        names = {s.rfilename for s in info.siblings or []}
        weights = ["model.safetensors"] if "model.safetensors" in names else ["pytorch_model.bin"]
        wanted = [n for n in (*CONFIG_FILES, *TOKENIZER_FILES, *weights) if n in names]
        if "config.json" not in wanted or not set(weights) & set(wanted):
            raise ModelError(f"{hub_id}@{revision}: the repository has no config.json or weights; "
                             "is it a translation model?")
        snapshot_download(hub_id, revision=info.sha, allow_patterns=wanted, local_dir=dest)
    except ModelError:
        raise
    except Exception as exc:           # HTTP, connection, offline mode, disk: all say "cannot download"
        raise SetupError(f"cannot download {hub_id}@{revision}: {exc}".splitlines()[0]
                         + " (`briefgen models fetch` needs the network; on an offline machine use "
                         "`briefgen models install FILE`)") from exc
    return str(info.sha)


def fetch(entries: Iterable[ModelEntry], models: Path, *, keep_hf: bool = True, progress: bool = False,
          download: Downloader | None = None, check: Checker | None = None) -> list[InstalledModel]:
    """Download (``hub_download`` unless another downloader is given), convert to CTranslate2 int8 and
    install each entry's checkpoint, once per distinct model. With ``check``, a model that fails it is not
    installed (the one already there, if any, stays)."""
    require_hf_stack()
    download = download or hub_download
    done: list[InstalledModel] = []
    seen: set[str] = set()
    for entry in entries:
        if entry.slug in seen:
            continue
        seen.add(entry.slug)
        models.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".fetch-{entry.slug}-", dir=models) as tmp:
            snapshot = Path(tmp) / "download"
            log.info("downloading %s@%s", entry.hub_id, entry.revision)
            commit = download(entry.hub_id, entry.revision, snapshot, progress)
            done.append(install_snapshot(snapshot, entry, models, commit=commit, keep_hf=keep_hf,
                                         progress=progress, check=check))
    return done


def install_snapshot(snapshot: Path, entry: ModelEntry, models: Path, *, commit: str, keep_hf: bool = True,
                     progress: bool = False, check: Checker | None = None) -> InstalledModel:
    """Convert a Hugging Face model folder with the real CTranslate2 converter and install it."""
    require_hf_stack()
    missing = [f for f in SPM_FILES[entry.family] if not (snapshot / f).is_file()]
    if missing:
        raise ModelError(f"{entry.hub_id}: {', '.join(missing)} missing from the download; "
                         f"is it a {entry.family} model?")
    models.mkdir(parents=True, exist_ok=True)
    # the model is built in <work>/<slug>, so that <work> is a models folder holding only it (for the check)
    work = Path(tempfile.mkdtemp(prefix=f".stage-{entry.slug}-", dir=models))
    stage = work / entry.slug
    stage.mkdir()
    try:
        log.info("converting %s to CTranslate2 int8", entry.hub_id)
        with quiet_progress(progress):
            _convert(snapshot, stage / "ct2", entry)
        _check_tokens(stage / "ct2", entry)
        from .vocab import Vocabulary, choose_placeholder

        # the placeholder form this model reads and writes whole (tc-big has no "<"): checked again at load
        placeholder = choose_placeholder(Vocabulary.load(stage / "ct2"))
        if keep_hf:
            (stage / "hf").mkdir()
            for item in sorted(snapshot.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    shutil.copy2(item, stage / "hf" / item.name)
        import ctranslate2
        import transformers

        # CC-BY 4.0 asks for attribution wherever the model goes: the folder, and so every bundle, carries it
        (stage / LICENCE_FILE).write_text(licence_text(entry, commit), encoding="utf-8")
        manifest = {"format": MODEL_FORMAT, "hub_id": entry.hub_id, "revision": entry.revision, "commit": commit,
                    "family": entry.family, "quantization": "int8", "ctranslate2": ctranslate2.__version__,
                    "transformers": transformers.__version__, "licence": entry.licence,
                    "attribution": entry.attribution, "card": entry.card, "placeholder": placeholder,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "files": {name: {"bytes": size, "sha256": digest} for name, size, digest in _hash_tree(stage)}}
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if check is not None:
            check(work, entry)
        _promote(stage, model_path(models, entry))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("installed %s at %s", entry.hub_id, model_path(models, entry))
    return InstalledModel(model_path(models, entry), manifest)


def _convert(snapshot: Path, out: Path, entry: ModelEntry) -> None:
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            return _VocabWithLanguageTokens(super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs))

    try:
        Converter(str(snapshot), copy_files=list(SPM_FILES[entry.family])).convert(
            str(out), quantization="int8", force=True)
    except (ValueError, OSError, RuntimeError, KeyError) as exc:
        raise ModelError(f"{entry.hub_id}: CTranslate2 conversion failed: {exc}") from exc


class _VocabWithLanguageTokens:
    """transformers 5 no longer lists M2M100's language tokens in ``get_vocab()`` nor in the special tokens
    map, so the converter would write a vocabulary 100 tokens short of the model and refuse it. This view
    adds them back at their ids; other tokenizers pass through unchanged."""

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)

    def get_vocab(self) -> dict[str, int]:
        vocab = dict(self._tokenizer.get_vocab())
        for token, idx in getattr(self._tokenizer, "lang_token_to_id", {}).items():
            vocab.setdefault(token, idx)
        return vocab


def _check_tokens(ct2_dir: Path, entry: ModelEntry) -> None:
    """A prefix or language token the model does not know would silently steer nothing: refuse it now."""
    if not entry.tokens():
        return
    vocab: set[str] = set()
    for name in ("shared_vocabulary.json", "source_vocabulary.json", "target_vocabulary.json"):
        path = ct2_dir / name
        if path.is_file():
            vocab.update(json.loads(path.read_text(encoding="utf-8")))
    unknown = [t for t in entry.tokens() if t not in vocab]
    if unknown:
        raise ModelError(f"{entry.hub_id} does not know the token(s) {', '.join(unknown)} that the registry "
                         f"entry for {entry.direction} uses; fix the registry")


def _hash_tree(root: Path) -> Iterator[tuple[str, int, str]]:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name == MANIFEST:
            continue
        yield name, path.stat().st_size, sha256_file(path)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _promote(stage: Path, target: Path) -> None:
    """Swap a complete staging folder into place; the old model stays until the new one is there."""
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        if not (target / MANIFEST).is_file():   # only a model may replace a model
            raise ExchangeError(f"{target} exists and is not an installed model; move it away first")
        target.rename(old)
    try:
        stage.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --- bundles for offline machines -------------------------------------------------------------------------

def installed_models(models: Path) -> list[InstalledModel]:
    out = []
    if models.is_dir():
        for folder in sorted(p for p in models.iterdir() if p.is_dir() and not p.name.startswith(".")):
            manifest = read_manifest(folder)
            if manifest is not None:
                out.append(InstalledModel(folder, manifest))
    return out


def pack(models: Path, bundle: Path, only: Iterable[str] | None = None) -> dict[str, Any]:
    """Write one tar with ``manifest.json`` (every file's sha256) and the chosen model folders.

    Files are re-hashed while packing and compared with each model's manifest, so a model damaged on disk
    is refused here rather than carried to the offline machine."""
    chosen = installed_models(models)
    if only is not None:
        wanted = set(only)
        chosen = [m for m in chosen if m.path.name in wanted]
    if not chosen:
        raise ModelError(f"no installed model to pack in {models}. " + FIX_MODELS)
    files: dict[str, dict[str, Any]] = {}
    for model in chosen:
        for name, meta in sorted(model.manifest["files"].items()):
            digest = sha256_file(model.path / name) if (model.path / name).is_file() else "missing"
            if digest != meta.get("sha256"):
                raise ModelError(f"{model.path}: {name} does not match its manifest; the model folder is "
                                 f"damaged, fetch it again before packing")
            files[f"{model.path.name}/{name}"] = {"bytes": meta["bytes"], "sha256": digest}
        files[f"{model.path.name}/{MANIFEST}"] = {"bytes": (model.path / MANIFEST).stat().st_size,
                                                 "sha256": sha256_file(model.path / MANIFEST)}
    manifest = {"format": BUNDLE_FORMAT, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "models": {m.path.name: {k: m.manifest.get(k) for k in ("hub_id", "revision", "commit", "family",
                                                                        "licence", "attribution", "card")}
                           for m in chosen},
                "files": files}
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    bundle.parent.mkdir(parents=True, exist_ok=True)
    tmp = bundle.with_name(f".{bundle.name}.partial")
    try:
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, data)
            for name in sorted(files):
                slug, rel = name.split("/", 1)
                with (models / slug / rel).open("rb") as fh:
                    tar.addfile(_tarinfo(name, files[name]["bytes"]), fh)
        tmp.replace(bundle)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("packed %d model(s), %d files into %s", len(chosen), len(files), bundle)
    return manifest


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    tar.addfile(_tarinfo(name, len(data)), io.BytesIO(data))


def install_bundle(bundle: Path, models: Path, check: Callable[[Path, str], None] | None = None) -> list[str]:
    """Install the models of a bundle made by ``pack``; returns the model folders installed.

    Every member is checked before a byte is written: only regular files and folders, relative names
    inside one model folder, no ``..``, no links or devices, no duplicates, every file listed in the
    manifest. Contents are then written to a staging folder and their sha256 compared with the manifest;
    a model folder is swapped into place only when the whole bundle has checked out."""
    if not bundle.is_file():
        raise ExchangeError("no such file", path=bundle)
    try:
        with tarfile.open(bundle, "r:*") as tar:
            return _install(tar, bundle, models, check)
    except (tarfile.TarError, EOFError) as exc:
        raise ExchangeError(f"not a readable tar archive ({exc}); nothing was installed", path=bundle) from exc


# A bundle is a few models' weights, which hardly compress (~1.1×), and their tokenizers. Whatever the archive
# declares beyond these bounds is refused while its headers are read, before a byte is written: a small
# .tar.gz that unpacks to gigabytes, or to millions of files, never reaches the disk.
MAX_BUNDLE_FILES = 5_000
MAX_EXPANSION = 20            # unpacked bytes per byte of the bundle
EXPANSION_SLACK = 64 << 20    # tokenizers and vocabularies compress well; a small bundle may hold a few of them


def _members(tar: tarfile.TarFile, bundle: Path) -> list[tarfile.TarInfo]:
    cap = bundle.stat().st_size * MAX_EXPANSION + EXPANSION_SLACK
    members: list[tarfile.TarInfo] = []
    total = 0
    for member in tar:            # one header at a time: getmembers() would first unpack the whole stream
        members.append(member)
        total += max(member.size, 0)
        if len(members) > MAX_BUNDLE_FILES:
            raise ExchangeError(f"the archive holds more than {MAX_BUNDLE_FILES} entries; a model bundle holds a "
                                "few dozen files: nothing was installed", path=bundle)
        if total > cap:
            raise ExchangeError(f"the archive unpacks to more than {MAX_EXPANSION} times its own size "
                                f"({total >> 20} MB from {bundle.stat().st_size >> 20} MB); model weights hardly "
                                "compress, so this is not a bundle from `briefgen models pack`: nothing was "
                                "installed", path=bundle)
    return members


def _install(tar: tarfile.TarFile, bundle: Path, models: Path, check: Callable[[Path, str], None] | None) -> list[str]:
    members = _members(tar, bundle)
    manifest = _bundle_manifest(tar, members, bundle)
    files = _check_members(members, manifest, bundle)
    models.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".install-", dir=models))
    try:
        for member in files:
            _extract_checked(tar, member, stage, manifest["files"][member.name], bundle)
        slugs = sorted(manifest["models"])
        for slug in slugs:                # each model's own manifest must be there and parse
            try:
                found = read_manifest(stage / slug)
            except ModelError as exc:
                raise ExchangeError(f"model folder {slug!r}: its {MANIFEST} is not valid", path=bundle) from exc
            if found is None:
                raise ExchangeError(f"model folder {slug!r} has no {MANIFEST}; the bundle is incomplete",
                                    path=bundle)
        if check is not None:             # every model translates before any is put in place
            for slug in slugs:
                check(stage, slug)
        for slug in slugs:
            _promote(stage / slug, models / slug)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log.info("installed %d model(s) from %s into %s", len(slugs), bundle, models)
    return slugs


def _bundle_manifest(tar: tarfile.TarFile, members: list[tarfile.TarInfo], bundle: Path) -> dict[str, Any]:
    entry = next((m for m in members if m.name == MANIFEST), None)
    if entry is None or not entry.isreg():
        raise ExchangeError(f"no {MANIFEST} at the top of the archive; is this a bundle from "
                            "`briefgen models pack`?", path=bundle)
    fh = tar.extractfile(entry)
    try:
        assert fh is not None
        manifest = json.loads(fh.read(1 << 24).decode("utf-8"))
    except (ValueError, AssertionError) as exc:
        raise ExchangeError(f"{MANIFEST} is unreadable ({exc})", path=bundle) from exc
    if (not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT
            or not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("models"), dict)):
        raise ExchangeError(f"{MANIFEST} is not a {BUNDLE_FORMAT} manifest", path=bundle)
    return manifest


def _check_members(members: list[tarfile.TarInfo], manifest: dict[str, Any], bundle: Path) -> list[tarfile.TarInfo]:
    slugs = set(manifest["models"])
    for slug in slugs:
        if not _safe_slug(slug):
            raise ExchangeError(f"refusing model folder name {slug!r}", path=bundle)
    seen: set[str] = set()
    files: list[tarfile.TarInfo] = []
    for m in members:
        name = m.name
        if name in seen:
            raise ExchangeError(f"refusing {name!r}: listed twice in the archive", path=bundle)
        seen.add(name)
        if not (m.isreg() or m.isdir()):
            kind = ("a symbolic link" if m.issym() else "a hard link" if m.islnk() else
                    "a named pipe" if m.isfifo() else "a device file" if m.isdev() else "not a regular file")
            raise ExchangeError(f"refusing {name!r}: {kind}", path=bundle)
        parts = PurePosixPath(name).parts
        if (not name or name.startswith(("/", "\\")) or "\\" in name or ".." in parts or "." in parts
                or (parts and ":" in parts[0])):
            raise ExchangeError(f"refusing {name!r}: the path leaves the models folder", path=bundle)
        if name == MANIFEST:
            continue
        if parts[0] not in slugs:
            raise ExchangeError(f"refusing {name!r}: not inside a model folder listed in the manifest",
                                path=bundle)
        if m.isreg():
            meta = manifest["files"].get(name)
            if not isinstance(meta, dict) or meta.get("bytes") != m.size or not isinstance(meta.get("sha256"), str):
                raise ExchangeError(f"refusing {name!r}: not listed in the manifest with its size", path=bundle)
            files.append(m)
    listed = set(manifest["files"]) - {m.name for m in files}
    if listed:
        raise ExchangeError(f"the archive lacks {len(listed)} file(s) its manifest lists, e.g. "
                            f"{sorted(listed)[0]!r}; the bundle is incomplete", path=bundle)
    return files


def _safe_slug(slug: str) -> bool:
    """A model folder name as ``ModelEntry.slug`` makes it (owner--name), never the registry or a hidden file."""
    owner, sep, name = slug.partition("--")
    return (bool(sep and owner and name) and not slug.startswith(".")
            and all(ch.isalnum() or ch in "-_." for ch in slug))


def _extract_checked(tar: tarfile.TarFile, member: tarfile.TarInfo, stage: Path, meta: dict[str, Any],
                     bundle: Path) -> None:
    target = stage.joinpath(*PurePosixPath(member.name).parts)
    if not target.resolve().is_relative_to(stage.resolve()):      # belt and braces after _check_members
        raise ExchangeError(f"refusing {member.name!r}: the path leaves the models folder", path=bundle)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = tar.extractfile(member)
    if src is None:
        raise ExchangeError(f"cannot read {member.name!r}", path=bundle)
    h = hashlib.sha256()
    with src, open(target, "xb") as out:
        while chunk := src.read(_CHUNK):
            h.update(chunk)
            out.write(chunk)
    if h.hexdigest() != meta["sha256"]:
        raise ExchangeError(f"{member.name}: checksum mismatch; the bundle was damaged or altered in transit. "
                            "Nothing was installed; pack it again on the networked machine", path=bundle)


@contextmanager
def quiet_progress(enabled: bool) -> Iterator[None]:
    """Silence transformers' own progress bars unless the caller shows progress (a terminal)."""
    if enabled:
        yield
        return
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    was = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            hf_logging.enable_progress_bar()
