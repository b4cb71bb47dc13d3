"""The built-in rules, one module per id range. Importing this package registers them all.

Every module of this folder is imported, so a rule in a new module is registered without an entry here.
"""

import importlib
import pkgutil

MODULES = tuple(sorted(module.name for module in pkgutil.iter_modules(__path__)))

for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")
