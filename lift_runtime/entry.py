"""The Lambda Handler of every lift function: ``lift_runtime.entry.handler``.

At init it reads the generated ``lift_config``, configures logging, imports the user's
handler named by LIFT_HANDLER (``module.function``) and wraps it. LIFT_FUNCTION names the
function in lift.yaml (its own request timeout); LIFT_LOG_LEVEL, when set, overrides the
configured log level without a redeploy of the code.
"""

from __future__ import annotations

import os
import sys

from lift_runtime import active
from lift_runtime.wrapper import Wrapper, configure_logging

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lift_runtime.wrapper import Handler

USER_HANDLER_ENV = "LIFT_HANDLER"
FUNCTION_ENV = "LIFT_FUNCTION"
LOG_LEVEL_ENV = "LIFT_LOG_LEVEL"


def load_handler(name: str) -> Handler:
    """Import `module.function` (slashes allowed in the module part, as Lambda allows)."""
    module_name, _, attribute = name.replace("/", ".").rpartition(".")
    if not module_name or not attribute:
        raise RuntimeError(f"{USER_HANDLER_ENV}={name!r} is not of the form module.function")
    __import__(module_name)
    function = getattr(sys.modules[module_name], attribute, None)
    if not callable(function):
        raise RuntimeError(f"{USER_HANDLER_ENV}={name!r}: module {module_name!r} has no function {attribute!r}")
    return function  # type: ignore[no-any-return]


def build() -> Wrapper:
    name = os.environ.get(USER_HANDLER_ENV)
    if not name:
        raise RuntimeError(f"{USER_HANDLER_ENV} is not set: it names the user's handler (module.function)")
    config = active.config()
    function = os.environ.get(FUNCTION_ENV)
    level = os.environ.get(LOG_LEVEL_ENV)
    configure_logging(config, function or "", level)  # before the user's module logs at import
    return Wrapper(load_handler(name), config=config, function=function, log_level=level)


handler = build()
