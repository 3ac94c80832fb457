"""``accord org sso set|show`` (an organisation's single sign-on, on the store as its operator)
and the ``--sso`` side of ``accord login``."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from pydantic import ValidationError

from accord.cli.org import CliError, _org, _run, _tenant_options, _with_store
from accord.org.sso.settings import SETTING, SsoSettings, parse_map, settings_from
from accord.org.store import OrgStore
from accord.protocol.org import SsoExchanged

__all__ = ["add_login_sso", "add_org_sso", "sso_login"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_org_sso(sub: Commands) -> None:
    """``accord org sso``: set and show the organisation's OIDC provider and group mapping."""
    sso = sub.add_parser("sso", help="single sign-on through the organisation's OIDC provider")
    actions = sso.add_subparsers(dest="sso_command", metavar="ACTION", required=True)
    put = actions.add_parser(
        "set", help="set the provider and which groups get which roles (unset options are kept)"
    )
    put.add_argument("--issuer", metavar="URL", help="the provider's issuer URL")
    put.add_argument("--client-id", help="Accord's client id at the provider")
    put.add_argument("--client-secret", help="its secret (confidential client); '' removes it")
    put.add_argument("--groups-claim", help="the ID token claim listing groups (default groups)")
    put.add_argument(
        "--map",
        action="append",
        metavar="GROUP=ROLE[,ROLE]",
        help="give a group's members roles (repeatable; replaces the whole map)",
    )
    put.add_argument(
        "--domain", action="append", help="accept only emails of this domain (repeatable)"
    )
    put.add_argument("--scope", help="scopes asked for (default 'openid email profile')")
    put.add_argument(
        "--offline", action="store_true", help="do not check the provider's discovery first"
    )
    _tenant_options(put)
    put.set_defaults(run=_run(_set))
    show = actions.add_parser("show", help="show the settings (never the client secret)")
    show.add_argument("--json", action="store_true", help="as JSON")
    _tenant_options(show)
    show.set_defaults(run=_run(_show))
    off = actions.add_parser("remove", help="turn single sign-on off for the organisation")
    _tenant_options(off)
    off.set_defaults(run=_run(_remove))


def _updated(previous: SsoSettings | None, options: argparse.Namespace) -> SsoSettings:
    data = previous.model_dump() if previous is not None else {}
    given = {
        "issuer": options.issuer,
        "client_id": options.client_id,
        "client_secret": options.client_secret,
        "groups_claim": options.groups_claim,
        "scope": options.scope,
        "domains": options.domain,
    }
    data.update({k: v for k, v in given.items() if v is not None})
    if data.get("client_secret") == "":
        data["client_secret"] = None
    try:
        if options.map is not None:
            data["role_map"] = parse_map(options.map)
        return SsoSettings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise CliError(f"sso set: {where}: {first['msg']}") from None
    except ValueError as error:
        raise CliError(f"sso set: {error}") from None


async def _set(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        settings = _updated(await _stored(store, org.id), options)
        if not settings.role_map:
            raise CliError("sso set: map at least one group to roles (--map GROUP=ROLE)")
        if not options.offline:
            from accord.org.sso.provider import Provider, SsoError

            try:
                await Provider(settings).metadata()
            except SsoError as error:
                raise CliError(f"sso set: {error} (--offline stores it unchecked)") from None
        await store.put_org_setting(org.id, SETTING, settings.model_dump(mode="json"))
        print(f"{org.name}: single sign-on through {settings.issuer}")
        for group, roles in settings.role_map.items():
            print(f"  {group} -> {', '.join(roles)}")
        return 0

    return await _with_store(options, job)


async def _stored(store: OrgStore, org_id: str) -> SsoSettings | None:
    try:
        return settings_from(await store.org_setting(org_id, SETTING))
    except ValueError as error:
        raise CliError(str(error)) from None


async def _show(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        settings = await _stored(store, org.id)
        if options.json:
            print(json.dumps(None if settings is None else settings.shown(), indent=2))
        elif settings is None:
            print(f"{org.name}: single sign-on is not set up (`accord org sso set`)")
        else:
            for name, value in settings.shown().items():
                if name != "role_map":
                    print(f"{name}: {value if value is not None else ''}")
            print("role_map:")
            for group, roles in settings.role_map.items():
                print(f"  {group} -> {', '.join(roles)}")
        return 0

    return await _with_store(options, job)


async def _remove(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        await store.put_org_setting(org.id, SETTING, None)
        print(f"{org.name}: single sign-on is off (token logins keep working)")
        return 0

    return await _with_store(options, job)


# --- accord login --sso ---------------------------------------------------------------------


class _Device(argparse.Action):
    """``--device``: the device grant, which is single sign-on."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: object, namespace: argparse.Namespace, *_: object) -> None:
        namespace.device = namespace.sso = True


def add_login_sso(login: argparse.ArgumentParser) -> None:
    """``accord login``'s single sign-on options."""
    login.add_argument(
        "--sso", action="store_true", help="sign in through the organisation's identity provider"
    )
    login.add_argument(
        "--device",
        action=_Device,
        default=False,
        help="single sign-on approved on another device (no browser here); implies --sso",
    )
    login.add_argument(
        "--no-browser", action="store_true", help="with --sso: print the address, open nothing"
    )
    login.add_argument(
        "--org", default="", metavar="ID_OR_NAME", help="with --sso: which organisation"
    )


async def sso_login(options: argparse.Namespace, ca: str | None) -> SsoExchanged:
    """The token pair of a single sign-on (``options.sso`` set)."""
    from accord.org.sso.login import browser_login, device_login
    from accord.org.sso.provider import SsoError

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        if options.device:
            return await device_login(options.url, ca, options.org, say)
        return await browser_login(options.url, ca, options.org, not options.no_browser, say)
    except SsoError as error:
        raise CliError(f"login: {error}") from None
