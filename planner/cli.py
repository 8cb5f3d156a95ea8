"""The `planner` command: run, demo, init, playbook validate|list|schema, and Flask's db."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import PlaybookError, load_playbook, playbook_json_schema

SCHEMA_FILE = SHIPPED_PLAYBOOKS / "playbook.schema.json"


def _create_app() -> Flask:
    from planner import create_app

    # maintenance commands need no secret key; `planner run` checks it before serving
    return create_app({"CLI_MODE": True})


def register_commands(app: Flask) -> None:
    app.cli.add_command(run_command)
    app.cli.add_command(init_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(playbook_group)
    app.cli.add_command(user_group)
    from planner.notify_cli import notify_group

    app.cli.add_command(notify_group)

    from planner.ops.cli_ops import OPS_COMMANDS

    for command in OPS_COMMANDS:
        app.cli.add_command(command)


def _serve(app: Flask, host: str, port: int) -> None:
    # app.run() does nothing when called from inside the Flask command line, so serve directly
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve the app (development server; use gunicorn for a team)."""
    from planner.config import ConfigError, check_secret_key

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy method, not in its stubs
    app.config["CLI_MODE"] = False
    try:
        check_secret_key(app.config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    _serve(app, host, port)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database to the newest schema."""
    from flask_migrate import upgrade

    upgrade()
    click.echo(f"database ready: {current_app.config['SQLALCHEMY_DATABASE_URI']}")


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Serve the app after loading the demo.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo_command(serve: bool, host: str, port: int) -> None:
    """Reset the demo database (its own file), load a demo program, and serve it."""
    from planner.demo import fresh_demo

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy method, not in its stubs
    if not app.config.get("DEMO_MODE"):
        raise click.ClickException("run `planner demo` without a --app option")
    summary = fresh_demo(app)
    _collector_back()
    click.echo(summary)
    if serve:
        click.echo(f"serving the demo on http://{host}:{port}/ (Ctrl+C stops it)")
        _serve(app, host, port)


def _collector_back() -> None:
    """The garbage collector on again (``main`` paused it for the demo's start), with
    everything alive now left out of its passes (as a server does before it forks)."""
    gc.freeze()
    gc.enable()


@click.group("user")
def user_group() -> None:
    """Manage user accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
@click.option("--consultant", is_flag=True, help="Let the user upload playbooks.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@with_appcontext
def create_user_command(
    email: str, name: str, admin: bool, consultant: bool, password_stdin: bool
) -> None:
    """Create a user; the password is asked for (never passed on the command line)."""
    from planner.domain.errors import ValidationError
    from planner.extensions import db
    from planner.services.users import create_user
    from planner.web.password_text import error_texts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, name=name, is_admin=admin, is_consultant=consultant)
    except ValidationError as exc:
        db.session.rollback()
        for field, message in error_texts(exc):
            click.echo(f"{field}: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    kind = "administrator" if admin else "user"
    click.echo(f"created {kind} {user.email}")


@click.group("playbook")
def playbook_group() -> None:
    """Validate, list and describe playbooks."""


@playbook_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate_command(files: tuple[str, ...]) -> None:
    """Check playbook files; print every problem with its line; exit 1 if any."""
    failed = False
    for file in files:
        try:
            playbook = load_playbook(file)
        except PlaybookError as exc:
            failed = True
            for issue in exc.issues:
                click.echo(str(issue), err=True)
        else:
            click.echo(
                f"{Path(file).name}: ok ({playbook.id}@{playbook.version}, "
                f"{len(playbook.phases)} phases, {playbook.task_count} tasks, "
                f"{playbook.milestone_count} milestones, {len(playbook.risks)} risks, "
                f"{len(playbook.metrics)} metrics)"
            )
    if failed:
        sys.exit(1)


@playbook_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the installed playbooks (and the files that fail to load)."""
    from planner.services.playbooks import installed_playbooks

    installed, errors = installed_playbooks()
    for item in installed:
        pb = item.playbook
        click.echo(f"{item.ref}\t{pb.title.get('en')}\t{item.path}")
    for error in errors:
        click.echo(f"invalid: {error.issues[0]}", err=True)


@playbook_group.command("schema")
@click.option("--check", is_flag=True, help="Exit 1 if the shipped schema file is out of date.")
def schema_command(check: bool) -> None:
    """Write the playbook JSON schema next to the shipped playbooks."""
    text = json.dumps(playbook_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            raise click.ClickException(
                f"{SCHEMA_FILE} is out of date: run `planner playbook schema`"
            )
        click.echo("schema up to date")
        return
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    click.echo(f"wrote {SCHEMA_FILE}")


def main() -> None:
    """Entry point of the `planner` console script."""
    if sys.argv[1:2] == ["demo"]:
        # the demo always uses its own SQLite file, never the user's database
        os.environ["PLANNER_DEMO"] = "1"
        # importing the app and building the demo make ~350,000 long-lived objects and
        # hardly any garbage: the collector's passes over them were a fifth of the import;
        # it runs again (over what requests make) before the demo serves
        gc.disable()
    cli = FlaskGroup(
        create_app=_create_app, add_default_commands=False, help="CRM Rollout Planner."
    )
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    cli.main(prog_name="planner")


if __name__ == "__main__":  # `python -m planner.cli …` as well as the `planner` script
    main()
