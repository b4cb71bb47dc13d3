"""Each type of `resources` is its model class and one renderer module that defines its ResourceKind."""

from __future__ import annotations

from liftspec.model.spec import RESOURCE_CLASSES, RESOURCE_TYPES
from liftspec.render.sam.kinds import Grant, kinds


def test_every_resource_type_has_exactly_one_kind_in_the_models_order() -> None:
    found = kinds().all
    assert [kind.model for kind in found] == list(RESOURCE_CLASSES.values())
    assert tuple(RESOURCE_CLASSES) == RESOURCE_TYPES


def test_every_access_level_of_the_model_grants_actions_and_no_other_level_does() -> None:
    for type_, model in RESOURCE_CLASSES.items():
        kind = kinds().of(model.model_construct(type=type_))
        for level in model.access_levels:
            granted = kind.grants(Grant("svc", "dev", "thing", level, None, "arn"))
            assert granted and all(actions for _, actions, _ in granted), (type_, level)
        assert kind.grants(Grant("svc", "dev", "thing", "no_such_level", None, "arn")) == [], type_
