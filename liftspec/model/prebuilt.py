"""The models' validators, built ahead of time and shipped in the package.

Pydantic builds a model's validator the first time the model validates: for LiftSpec that is 60-110 ms on a
2-core machine, a third of a cold `liftspec lint`. `make prebuilt` builds the validator of every model in
liftspec.model.spec once and pickles them into `validators.pickle` beside this module, headed by a fingerprint
of the model sources and the pydantic versions they were built with. Importing liftspec.model installs them
when the fingerprint matches exactly; otherwise (a model edited since, another pydantic) nothing is installed
and pydantic builds the validators as usual: slower, the same result. tests/test_prebuilt.py fails while the
file is stale and checks that what it holds is what pydantic builds.

Only this package file is ever unpickled; nothing a user gives is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

import pydantic
import pydantic_core
from pydantic import BaseModel

from liftspec.model import spec, units

ARTIFACT = Path(__file__).with_name("validators.pickle")
# Every module whose functions or classes a validator refers to (tests/test_prebuilt.py checks the pickle).
SOURCES = (spec, units)


def fingerprint() -> str:
    digest = hashlib.sha256(f"pydantic {pydantic.VERSION} core {pydantic_core.__version__}\n".encode())
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
    validators = {}
    for name, model in models().items():
        model.model_rebuild(force=True)
        validators[name] = model.__pydantic_validator__
    return fingerprint().encode() + b"\n" + pickle.dumps(validators, protocol=5)


def install(artifact: Path = ARTIFACT) -> bool:
    """Give each model its prebuilt validator if `artifact` was built from these sources; False if not."""
    try:
        blob = artifact.read_bytes()
    except OSError:
        return False
    head, _, body = blob.partition(b"\n")
    if head != fingerprint().encode():
        return False
    validators = pickle.loads(body)  # liftspec's own package file, matched to these sources above
    known = models()
    for name, validator in validators.items():
        model = known.get(name)
        if model is not None and not model.__pydantic_complete__:
            model.__pydantic_validator__ = validator
    return True


def main() -> None:
    """`make prebuilt`: rewrite the artifact from the models as they are now."""
    temporary = ARTIFACT.with_name(ARTIFACT.name + ".tmp")
    temporary.write_bytes(build())
    os.replace(temporary, ARTIFACT)
    print(f"wrote {ARTIFACT} ({ARTIFACT.stat().st_size} bytes)", file=sys.stderr)
