"""``scoring serve`` and ``scoring users add``: the portal's commands, added to the CLI."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

__all__ = ["serve", "users"]


def _settings(config: Path | None, data_dir: Path | None, database: str | None):
    from scoring.portal.settings import load_settings

    try:
        return load_settings(config, data_dir=data_dir, database_url=database)
    except (OSError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None


@click.command()
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp cấu hình TOML, mục [portal] / settings file (TOML, [portal] table).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục lưu dữ liệu và kết quả / folder for uploads and runs.")
@click.option("--database", help="URL cơ sở dữ liệu / database URL (default: SQLite in the data folder).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe / address to bind.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Đơn vị mẫu và tài khoản demo / sample department, demo accounts.")
def serve(config: Path | None, data_dir: Path | None, database: str | None, host: str, port: int,
          demo: bool) -> None:
    """Chạy cổng thông tin web / run the web portal."""
    import uvicorn

    from scoring.portal.app import create_app

    if demo:
        from scoring.portal.db import make_engine, make_sessions
        from scoring.portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_settings, seed_demo
        from scoring.portal.migrate import upgrade

        settings = demo_settings(data_dir)
        engine = make_engine(settings.db_url)
        upgrade(engine)
        click.echo("Đang chấm điểm quý mẫu / scoring the sample quarter …", err=True)
        seed_demo(make_sessions(engine), settings)
        engine.dispose()
        click.echo(f"Demo: {settings.data_dir}; mật khẩu / password: {DEMO_PASSWORD}", err=True)
        for username, name, *_ in DEMO_ACCOUNTS:
            click.echo(f"  {username:14} {name}", err=True)
    else:
        settings = _settings(config, data_dir, database)
    app = create_app(settings)
    click.echo(f"http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=settings.trusted_proxy,
                forwarded_allow_ips="127.0.0.1" if settings.trusted_proxy else None, log_level="warning")


@click.group()
def users() -> None:
    """Tài khoản của cổng thông tin / portal accounts."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["hr", "head", "director", "auditor", "staff"]))
@click.option("--name", "display_name", default="", help="Tên hiển thị / display name.")
@click.option("--unit", "unit_id", help="Mã đơn vị (thủ trưởng đơn vị) / unit id, for a head.")
@click.option("--employee", "employee_id", help="Mã cán bộ (tài khoản cán bộ) / employee id, for staff.")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ stdin / read the password from stdin.")
@click.option("--sso-only", is_flag=True,
              help="Chỉ đăng nhập một lần / single sign-on (OpenID Connect) only, no password.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--database")
def users_add(username: str, role: str, display_name: str, unit_id: str | None, employee_id: str | None,
              password_stdin: bool, sso_only: bool, config: Path | None, data_dir: Path | None,
              database: str | None) -> None:
    """Thêm tài khoản / add an account (the password is asked for, never given on the command line)."""
    from scoring.portal.accounts import add_user
    from scoring.portal.db import make_engine, make_sessions
    from scoring.portal.migrate import upgrade

    settings = _settings(config, data_dir, database)
    password: str | None
    if sso_only:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu / password: ")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    try:
        with make_sessions(engine).begin() as db:
            add_user(db, username, display_name, role, password, unit_id, employee_id)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    finally:
        engine.dispose()
    click.echo(f"✓ {username} ({role})")
