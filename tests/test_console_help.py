"""The console speaks Russian: `profinfo --help` lists every command of ПрофИнфо with what it
does, and each command's --help explains every option in Russian, with no English left from
argparse or Django."""

import re

import pytest
from django.core.management import load_command_class

from profinfo import cli

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ENGLISH_LEFT = ["show this help", "usage:", "options:", "positional arguments",
                "Verbosity level", "Skip system checks", "stack trace"]


def commands():
    return sorted(cli.project_commands().items())


def test_the_list_names_every_command_with_what_it_does(capsys):
    cli.main(["--help"])
    text = capsys.readouterr().out
    found = dict(commands())
    assert {"scheduler", "methodology", "audit_accuracy", "report", "contest"} <= set(found)
    for name, app in found.items():
        usage = cli.USAGE.get(name, f"profinfo {name}")
        assert usage in text, name
        about = (load_command_class(app, name).help or "").strip()
        assert about and CYRILLIC.search(about), f"{name}: its help says what it does"
        assert " ".join(about.split()) in " ".join(text.split()), name


@pytest.mark.parametrize("name,app", commands())
def test_every_option_is_explained_in_russian(name, app):
    command = load_command_class(app, name)
    parser = command.create_parser("profinfo", name)
    text = parser.format_help()
    for english in ENGLISH_LEFT:
        assert english not in text, f"{name}: «{english}» in its help"
    groups = [parser]
    subparsers = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for action in subparsers:
        groups.extend(action.choices.values())
    for group in groups:
        for action in group._actions:
            if action.help == "==SUPPRESS==" or action.__class__.__name__ == "_SubParsersAction":
                continue
            what = "/".join(action.option_strings) or action.dest
            assert action.help and CYRILLIC.search(action.help), f"{name} {what}: no help"


@pytest.mark.parametrize("name,app", commands())
def test_the_usage_in_the_list_names_only_options_the_command_has(name, app):
    parser = load_command_class(app, name).create_parser("profinfo", name)
    known = {o for a in parser._actions for o in a.option_strings}
    for action in parser._actions:  # a subcommand's own options
        if action.__class__.__name__ == "_SubParsersAction":
            for sub in action.choices.values():
                known |= {o for a in sub._actions for o in a.option_strings}
    named = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", cli.USAGE.get(name, "")))
    assert named <= known, f"{name}: {named - known}"
