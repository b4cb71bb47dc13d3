"""The models' validators, built ahead of time and shipped in the package.

Pydantic builds a model's validator the first time the model validates: for LiftSpec that is 60-110 ms on a
2-core machine, a third of a cold `liftspec lint`. `make prebuilt` builds the validator of every model in
liftspec.model.spec once and pickles each into `validators.pickle` beside this module, headed by a fingerprint
of the model sources and the pydantic versions they were built with. Importing liftspec.model installs them
when the fingerprint matches exactly; otherwise (a model edited since, another pydantic) nothing is installed
and pydantic builds the validators as usual: slower, the same result. tests/test_prebuilt.py fails while the
file is stale and checks that what it holds is what pydantic builds.

Installing one is unpickling it, which rebuilds it in pydantic-core: about 1 ms for LiftSpec, twice that for
all 69, most of which a lint never validates on their own (LiftSpec's validator holds the whole tree). So each
is unpickled the first time its model validates, through the same stand-in pydantic itself leaves on a model
whose validator is not built yet.

Only this package file is ever unpickled; nothing a user gives is.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import pydantic
import pydantic_core
from pydantic import BaseModel
from pydantic_core import SchemaValidator

from liftspec.digest import sha256
from liftspec.model import spec, units

ARTIFACT = Path(__file__).with_name("validators.pickle")
# Every module whose functions or classes a validator refers to (tests/test_prebuilt.py checks the pickle).
SOURCES = (spec, units)


def fingerprint() -> str:
    digest = sha256(f"pydantic {pydantic.VERSION} core {pydantic_core.__version__}\n".encode())
    for module in SOURCES:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def models() -> dict[str, type[BaseModel]]:
    """The models of liftspec.model.spec by name, sorted."""
    found = {
        name: value
        for name, value in vars(spec).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == spec.__name__
    }
    return dict(sorted(found.items()))


def build() -> bytes:
    """The artifact: the fingerprint line, then a pickled {model name: its pickled validator}."""
    validators = {}
    for name, model in models().items():
        model.model_rebuild(force=True)
        validators[name] = pickle.dumps(model.__pydantic_validator__, protocol=5)
    return fingerprint().encode() + b"\n" + pickle.dumps(validators, protocol=5)


def shipped(artifact: Path = ARTIFACT) -> dict[str, bytes] | None:
    """The pickled validators by model name if `artifact` was built from these sources; None if not."""
    try:
        blob = artifact.read_bytes()
    except OSError:
        return None
    head, _, body = blob.partition(b"\n")
    if head != fingerprint().encode():
        return None
    validators: dict[str, bytes] = pickle.loads(body)  # liftspec's own package file, matched to these sources above
    return validators


def install(artifact: Path = ARTIFACT) -> bool:
    """Give each model its prebuilt validator, unpickled when first used, if `artifact` was built from these
    sources; False if not."""
    validators = shipped(artifact)
    if validators is None:
        return False
    # The pydantic that built the artifact is the one running (the fingerprint says so): its internals are known.
    from pydantic._internal._mock_val_ser import MockValSer

    known = models()
    for name, blob in validators.items():
        model = known.get(name)
        if model is not None and not model.__pydantic_complete__:
            model.__pydantic_validator__ = MockValSer(  # type: ignore[assignment]
                f"the prebuilt validator of {name} failed to load",
                code="class-not-fully-defined",
                val_or_ser="validator",
                attempt_rebuild=_loader(model, blob),
            )
    return True


def _loader(model: type[BaseModel], blob: bytes) -> Callable[[], SchemaValidator]:
    def load() -> SchemaValidator:
        validator: SchemaValidator = pickle.loads(blob)
        model.__pydantic_validator__ = validator
        return validator

    return load


def main() -> None:
    """`make prebuilt`: rewrite the artifact from the models as they are now."""
    temporary = ARTIFACT.with_name(ARTIFACT.name + ".tmp")
    temporary.write_bytes(build())
    os.replace(temporary, ARTIFACT)
    print(f"wrote {ARTIFACT} ({ARTIFACT.stat().st_size} bytes)", file=sys.stderr)
