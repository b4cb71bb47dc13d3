"""`liftspec rules` and `liftspec explain ID`: the rule catalogue, from the same table as docs/rules.md."""

from __future__ import annotations

import difflib
import json
import sys

import click


def _user_codes(pack_files: tuple[str, ...]) -> list[object]:
    from liftspec.check.packs import load_file

    codes: list[object] = []
    for path in pack_files:
        try:
            pack, problems = load_file(path)
        except OSError as exc:
            raise click.UsageError(f"cannot read pack {path}: {exc.strerror or exc}") from None
        if pack is None:
            first = problems[0]
            raise click.UsageError(f"{first.file}:{first.line}:{first.col}: {first.message}")
        codes += [check.code for check in pack.checks]
    return codes


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Output format.")
@click.option(
    "--pack",
    "pack_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=str),
    help="Also list the checks of this user pack file (repeatable).",
)
def rules(fmt: str, pack_files: tuple[str, ...]) -> None:
    """List every code: schema codes, rules with their severity in the built-in packs, policy and compile codes.

    \b
    `liftspec rules --format markdown > docs/rules.md` regenerates the rule reference.
    """
    from liftspec.check.codes import all_codes
    from liftspec.check.docs import compile_severity, effective_in, markdown, table
    from liftspec.check.packs import PackCache
    from liftspec.codes import Code

    codes = all_codes() + [c for c in _user_codes(pack_files) if isinstance(c, Code)]
    if fmt == "markdown":
        click.echo(markdown(codes), nl=False)
    elif fmt == "json":
        packs = PackCache()
        items = [
            {
                "id": c.id,
                "name": c.name,
                "kind": c.kind,
                "summary": c.summary,
                "fixable": c.fixable,
                "tags": list(c.tags),
                "production": compile_severity(c) if c.kind == "compile" else effective_in(c.id, "production", packs),
                "staging": compile_severity(c) if c.kind == "compile" else effective_in(c.id, "staging", packs),
                "docs": {"what": c.docs.what, "why": c.docs.why, "example": c.docs.example, "fix": c.docs.fix},
            }
            for c in codes
        ]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        click.echo(table(codes), nl=False)


@click.command("explain")
@click.argument("code_id", metavar="ID")
@click.option(
    "--pack",
    "pack_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=str),
    help="Look the id up in this user pack file too (repeatable).",
)
def explain(code_id: str, pack_files: tuple[str, ...]) -> None:
    """Explain one code (LS101, or its name: debug-logs): what it does, why, an example and the fix."""
    from liftspec.check.codes import all_codes, lookup
    from liftspec.check.docs import explain as render
    from liftspec.codes import Code

    code = lookup(code_id)
    if code is None:
        for user in _user_codes(pack_files):
            if isinstance(user, Code) and code_id.strip() in (user.id, user.name):
                code = user
    if code is None:
        names = [c.id for c in all_codes()] + [c.name for c in all_codes()]
        close = difflib.get_close_matches(
            code_id.upper() if code_id[:2].isalpha() and code_id[2:].isdigit() else code_id, names, n=1
        )
        hint = f"; did you mean {close[0]}?" if close else "; `liftspec rules` lists them all"
        click.echo(f"error: unknown code '{code_id}'{hint}", err=True)
        sys.exit(2)
    click.echo(render(code), nl=False)


COMMANDS = [rules, explain]
