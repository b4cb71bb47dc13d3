"""The SAM template -> plain CloudFormation, with the real aws-sam-translator, in-process and offline.

The translator needs a region (for partitions and ARNs), a managed-policy map (its bundled one is used
when the loader returns nothing) and packaged code: local CodeUri/ContentUri folders are swapped for
s3:// placeholders in the copy it translates. `restore_local_code` puts the folders back into the
CloudFormation it returns, in the form `aws cloudformation package` uploads.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Any

PLACEHOLDER_BUCKET = "liftspec-package-placeholder"
DEFAULT_REGION = "us-east-1"
# The translated template keeps local folders for `aws cloudformation package`; cfn-lint's W3002 says exactly that.
PACKAGE_METADATA = {"cfn-lint": {"config": {"ignore_checks": ["W3002"]}}}
_CODE_PROPERTY = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


@dataclass(frozen=True)
class TranslatorError:
    logical_id: str | None
    message: str


@dataclass
class Translation:
    template: dict[str, Any] | None
    errors: list[TranslatorError]
    local_code: dict[str, str]  # S3 key of each placeholder -> the local folder it stands for


def translate(sam_template: dict[str, Any], region: str | None, code_keys: dict[str, str] | None = None) -> Translation:
    """Transform `sam_template` (not modified). `code_keys` maps logical ids to the S3 key of their placeholder:
    keys derived from the code's content make SAM publish a new version exactly when the code changes."""
    from samtranslator.model.exceptions import InvalidDocumentException, InvalidResourceException  # type: ignore[import-untyped]
    from samtranslator.parser.parser import Parser  # type: ignore[import-untyped]
    from samtranslator.translator.translator import Translator  # type: ignore[import-untyped]

    packaged, local_code = _with_placeholders(sam_template, code_keys or {})
    session = _session(region or DEFAULT_REGION)
    sam_logger = logging.getLogger("samtranslator")
    level = sam_logger.level
    sam_logger.setLevel(logging.ERROR)  # it warns about feature toggles it was not given
    try:
        translator = Translator(None, Parser(), boto_session=session)
        template = translator.translate(packaged, parameter_values={}, get_managed_policy_map=lambda: {})
    except InvalidDocumentException as exc:
        errors = [TranslatorError(_logical_id(cause, InvalidResourceException), cause.message) for cause in exc.causes]
        return Translation(None, errors or [TranslatorError(None, exc.message)], local_code)
    except Exception as exc:  # any translator failure must become a diagnostic, not a traceback
        return Translation(None, [TranslatorError(None, f"{type(exc).__name__}: {exc}")], local_code)
    finally:
        sam_logger.setLevel(level)
    return Translation(template, [], local_code)


def restore_local_code(template: dict[str, Any], local_code: dict[str, str]) -> dict[str, Any]:
    """Put the local folders back where the placeholders went, for `aws cloudformation package`."""
    out = copy.deepcopy(template)
    for resource in out.get("Resources", {}).values():
        props = resource.get("Properties", {})
        for key in ("Code", "Content"):
            value = props.get(key)
            if isinstance(value, dict) and value.get("S3Bucket") == PLACEHOLDER_BUCKET and value.get("S3Key") in local_code:
                props[key] = local_code[value["S3Key"]]
                resource["Metadata"] = copy.deepcopy(PACKAGE_METADATA)
    return out


def _with_placeholders(sam_template: dict[str, Any], code_keys: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    packaged = copy.deepcopy(sam_template)
    local_code: dict[str, str] = {}
    for logical_id, resource in packaged.get("Resources", {}).items():
        prop = _CODE_PROPERTY.get(resource.get("Type", ""))
        props = resource.get("Properties", {})
        if prop is None or not isinstance(props.get(prop), str) or props[prop].startswith("s3://"):
            continue
        key = code_keys.get(logical_id, logical_id)
        local_code[key] = props[prop]
        props[prop] = f"s3://{PLACEHOLDER_BUCKET}/{key}"
    return packaged, local_code


def _session(region: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.session.Session(region_name=region)


def _logical_id(cause: Any, resource_error: type) -> str | None:
    if isinstance(cause, resource_error):
        value = getattr(cause, "_logical_id", None)
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value and isinstance(value[0], str):
            return value[0]
    return None
