"""Model bundles carry installed models to offline machines: checksummed, and refused when altered or unsafe."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from tinymodels import MARIAN_ID, TinyModels

from briefgen.errors import ExchangeError, ModelError
from briefgen.translate.compose import EngineOptions
from briefgen.translate.ct2 import CT2Translator
from briefgen.translate.models import BUNDLE_FORMAT, MANIFEST, install_bundle, pack, sha256_file

MARIAN_SLUG = MARIAN_ID.replace("/", "--")


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pack_then_install_reproduces_every_file_and_the_models_translate(
        tiny_models: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "bundle.tar"
    manifest = pack(tiny_models.models, bundle)
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
        stored = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
    assert names[0] == MANIFEST and stored == manifest
    assert set(names[1:]) == set(manifest["files"])
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())

    offline = tmp_path / "offline-models"
    assert sorted(install_bundle(bundle, offline)) == sorted(manifest["models"])
    assert tree(offline) == tree(tiny_models.models)
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(tiny_models.registry))
    out = CT2Translator(EngineOptions(beam_size=1, max_length_cap=16, threads=1), offline).translate(
        ["Bonjour.", "Merci."], "fr", "ar")
    assert len(out) == 2


def test_pack_refuses_a_model_damaged_on_disk(tiny_models: TinyModels, tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(tiny_models.models, models)
    vocab = models / MARIAN_SLUG / "ct2" / "shared_vocabulary.json"
    vocab.write_bytes(vocab.read_bytes().replace(b"<unk>", b"<UNK>"))
    with pytest.raises(ModelError, match="does not match its manifest"):
        pack(models, tmp_path / "bundle.tar")
    assert not (tmp_path / "bundle.tar").exists()


def test_a_tampered_bundle_is_refused_and_installs_nothing(tiny_models: TinyModels, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.tar"
    pack(tiny_models.models, bundle)
    with tarfile.open(bundle) as tar:
        member = tar.getmember(f"{MARIAN_SLUG}/ct2/model.bin")
    data = bytearray(bundle.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0xFF
    bundle.write_bytes(bytes(data))
    target = tmp_path / "offline"
    with pytest.raises(ExchangeError, match="checksum mismatch"):
        install_bundle(bundle, target)
    assert [p.name for p in target.iterdir()] == []          # no model, no staging folder left behind


def evil_bundle(path: Path, member: tarfile.TarInfo, payload: bytes = b"") -> Path:
    """A bundle with a valid manifest and a legitimate first file, then ``member``."""
    good = b'{"format": "briefgen-model/1", "files": {}}'
    files = {"evil--bundle/manifest.json": {"bytes": len(good), "sha256": hashlib.sha256(good).hexdigest()}}
    if member.isreg():
        files[member.name] = {"bytes": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    manifest = json.dumps({"format": BUNDLE_FORMAT, "models": {"evil--bundle": {}}, "files": files}).encode()
    with tarfile.open(path, "w") as tar:
        for name, data in ((MANIFEST, manifest), ("evil--bundle/manifest.json", good)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        tar.addfile(member, io.BytesIO(payload) if member.isreg() else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "", size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, linkname, size
    return info


@pytest.mark.parametrize(("member", "reason"), [
    (_member("../x", size=4), "leaves the models folder"),
    (_member("evil--bundle/../../x", size=4), "leaves the models folder"),
    (_member("/tmp/briefgen-abs-x", size=4), "leaves the models folder"),
    (_member("evil--bundle/link", tarfile.SYMTYPE, linkname="../../x"), "a symbolic link"),
    (_member("evil--bundle/hard", tarfile.LNKTYPE, linkname="evil--bundle/manifest.json"), "a hard link"),
    (_member("evil--bundle/dev", tarfile.CHRTYPE), "a device file"),
    (_member("evil--bundle/fifo", tarfile.FIFOTYPE), "a named pipe"),
    (_member("other/file", size=4), "not inside a model folder listed in the manifest"),
], ids=["dotdot", "nested-dotdot", "absolute", "symlink", "hardlink", "device", "fifo", "unlisted-folder"])
def test_archive_entries_that_could_escape_are_refused_before_anything_is_written(
        tmp_path: Path, member: tarfile.TarInfo, reason: str) -> None:
    bundle = evil_bundle(tmp_path / "evil.tar", member, b"boom" if member.isreg() else b"")
    target = tmp_path / "deep" / "models"
    with pytest.raises(ExchangeError, match=reason):
        install_bundle(bundle, target)
    assert not (tmp_path / "x").exists() and not Path("/tmp/briefgen-abs-x").exists()
    assert not target.exists() or list(target.iterdir()) == []


def test_files_missing_from_or_unlisted_in_the_manifest_are_refused(tiny_models: TinyModels, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.tar"
    manifest = pack(tiny_models.models, bundle)
    dropped = sorted(manifest["files"])[0]
    manifest["files"].pop(dropped)
    data = json.dumps(manifest).encode()
    with tarfile.open(bundle) as src, tarfile.open(tmp_path / "edited.tar", "w") as out:
        for m in src.getmembers():
            if m.name == MANIFEST:
                m.size = len(data)
                out.addfile(m, io.BytesIO(data))
            else:
                out.addfile(m, src.extractfile(m))
    with pytest.raises(ExchangeError, match="not listed in the manifest"):
        install_bundle(tmp_path / "edited.tar", tmp_path / "offline")
    with pytest.raises(ExchangeError, match=r"no manifest\.json"):
        install_bundle(evil_bundle_without_manifest(tmp_path / "bare.tar"), tmp_path / "offline")


def evil_bundle_without_manifest(path: Path) -> Path:
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("model/file")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    return path


def test_a_bundle_may_not_name_a_model_folder_that_is_not_a_model(tmp_path: Path) -> None:
    good = b'{"format": "briefgen-model/1", "files": {}}'
    manifest = json.dumps({"format": BUNDLE_FORMAT, "models": {"registry.toml": {}}, "files": {
        "registry.toml/manifest.json": {"bytes": len(good), "sha256": hashlib.sha256(good).hexdigest()}}}).encode()
    with tarfile.open(tmp_path / "b.tar", "w") as tar:
        for name, data in ((MANIFEST, manifest), ("registry.toml/manifest.json", good)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    models = tmp_path / "models"
    models.mkdir()
    (models / "registry.toml").write_text("# the user's registry override\n")
    with pytest.raises(ExchangeError, match=r"refusing model folder name 'registry\.toml'"):
        install_bundle(tmp_path / "b.tar", models)
    assert (models / "registry.toml").read_text() == "# the user's registry override\n"
