"""``tweepy-dm redirect``: run an unmodified tweepy script against an emulator."""

from __future__ import annotations

import click


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option(
    "--api-url",
    envvar="X_API_URL",
    show_envvar=True,
    required=True,
    metavar="URL",
    help="The emulator's URL, as `tweepy-dm emulator` prints it.",
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def redirect(ctx: click.Context, api_url: str, command: tuple[str, ...]) -> None:
    """Run COMMAND with its requests to X's API sent to the emulator at URL.

    \b
        tweepy-dm emulator &
        tweepy-dm redirect --api-url http://127.0.0.1:8787 -- python bot.py ARGS...

    Every Python process COMMAND starts sends what tweepy (or requests and
    aiohttp) would send to api.twitter.com, api.x.com or the upload hosts to
    URL instead, unchanged: the code needs no api_url. On tweepy before 4.12,
    tweepy_dm.install() gives tweepy.Client the DM methods first. The exit
    status is COMMAND's. Python run with -I, -E or -S is not redirected.
    """
    from urllib.parse import urlsplit

    # Imported here: the other commands start faster without the emulator.
    from tweepy_dm.emulator._redirect import X_HOSTS, run_redirected

    try:
        if (urlsplit(api_url).hostname or "") in X_HOSTS:
            raise ValueError(f"--api-url is X's own host ({api_url}); give the emulator's URL")
        code = run_redirected(api_url, list(command))
    except (TypeError, ValueError) as error:
        # The option, not the function's parameter, is what the user typed.
        raise click.UsageError(str(error).replace("api_url must", "--api-url must", 1)) from None
    ctx.exit(code)
