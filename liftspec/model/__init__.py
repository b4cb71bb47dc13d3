"""model: the pydantic models of lift.yaml and their validation."""

from liftspec.model import prebuilt
from liftspec.model.effective import EffectiveFunction, all_functions, effective
from liftspec.model.spec import LiftSpec

prebuilt.install()

__all__ = ["EffectiveFunction", "LiftSpec", "all_functions", "effective"]
