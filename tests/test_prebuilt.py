"""The validators shipped in liftspec/model/validators.pickle: fresh, installed, and exactly what pydantic builds."""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

from liftspec.model import prebuilt, spec

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_validators_were_built_from_these_models() -> None:
    head = prebuilt.ARTIFACT.read_bytes().partition(b"\n")[0].decode()
    assert head == prebuilt.fingerprint(), "the models changed since validators.pickle was built: run `make prebuilt`"


def test_importing_the_model_installs_them_for_every_model() -> None:
    """Each model gets its shipped validator when it first validates, and pydantic never builds one: the probe
    makes building fail."""
    probe = textwrap.dedent(
        """
        from pydantic._internal import _model_construction
        from pydantic_core import SchemaValidator
        from liftspec.model import prebuilt
        def refuse(*args, **kwargs):
            raise AssertionError("pydantic built a validator")
        _model_construction.complete_model_class = refuse
        models = prebuilt.models()
        pending = [n for n, m in models.items() if isinstance(m.__dict__["__pydantic_validator__"], SchemaValidator)]
        loaded = [n for n, m in models.items() if isinstance(m.__pydantic_validator__.rebuild(), SchemaValidator)]
        now = [n for n, m in models.items() if isinstance(m.__dict__["__pydantic_validator__"], SchemaValidator)]
        print(len(models), pending, len(loaded), len(now))
        from liftspec.load import load_path
        spec = models["LiftSpec"].model_validate(load_path("examples/order-service/lift.yaml").data)
        print(spec.service)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    count, pending, loaded, now, service = done.stdout.split()
    assert int(count) > 60
    assert pending == "[]", "unpickled at import: each should be unpickled when first used"
    assert loaded == now == count
    assert service == "order-service"


def _normalised(value: Any) -> Any:
    """A core schema without what differs between processes: reference ids (`module.Class:140234...`), and
    which of two equal objects a bound method belongs to."""
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(item) for item in value]
    if isinstance(value, str):
        return re.sub(r":\d+$", ":ID", value)
    if isinstance(value, types.MethodType):  # a method of an equal object, not of the same one
        return ("method", value.__func__, value.__self__)
    return value


def test_each_shipped_validator_is_the_one_pydantic_builds_now() -> None:
    """Same core schema and config, model by model: validating with them cannot differ from pydantic's own."""
    shipped = prebuilt.shipped()
    assert shipped is not None
    models = prebuilt.models()
    assert sorted(shipped) == sorted(models)
    for name, model in models.items():
        model.model_rebuild(force=True)
        built = model.__pydantic_validator__.__reduce__()[1]  # type: ignore[union-attr]
        ours = pickle.loads(shipped[name]).__reduce__()[1]
        assert _normalised(ours) == _normalised(built), name


def test_the_pickle_refers_only_to_modules_the_fingerprint_covers() -> None:
    """If a validator came to call a function of another liftspec module, editing that module would not make
    the file stale: the fingerprint must then cover it (prebuilt.SOURCES)."""
    referred: set[str] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            referred.add(module)
            return super().find_class(module, name)

    outer = Recording(io.BytesIO(prebuilt.ARTIFACT.read_bytes().partition(b"\n")[2])).load()
    for blob in outer.values():
        Recording(io.BytesIO(blob)).load()
    ours = {module for module in referred if module.split(".")[0] in {"liftspec", "lift_runtime"}}
    assert ours <= {source.__name__ for source in prebuilt.SOURCES}
    assert spec.__name__ in ours


def test_a_stale_or_missing_file_is_not_installed(tmp_path: Path) -> None:
    before = {name: model.__dict__.get("__pydantic_validator__") for name, model in prebuilt.models().items()}
    stale = tmp_path / "validators.pickle"
    stale.write_bytes(b"0" * 64 + b"\n" + prebuilt.ARTIFACT.read_bytes().partition(b"\n")[2])
    assert prebuilt.install(stale) is False
    assert prebuilt.install(tmp_path / "missing.pickle") is False
    after = {name: model.__dict__.get("__pydantic_validator__") for name, model in prebuilt.models().items()}
    assert all(after[name] is before[name] for name in before)


def test_the_fingerprint_changes_with_the_model_sources(tmp_path: Path, monkeypatch: Any) -> None:
    copy = tmp_path / "spec.py"
    copy.write_bytes(Path(str(spec.__file__)).read_bytes() + b"\n# edited\n")
    original = prebuilt.fingerprint()

    class Edited:
        __file__ = str(copy)

    monkeypatch.setattr(prebuilt, "SOURCES", (Edited, *prebuilt.SOURCES[1:]))
    assert prebuilt.fingerprint() != original
