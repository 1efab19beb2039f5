"""The ``tweepy-dm`` command line (needs the ``cli`` extra: click and rich).

Each module imports only the ones above it in this list, so there is no cycle:

``_output``
    consoles, plurals, DM events as rows (the ``sender_username`` join) and tables.
``_errors``
    errors in X's words, exit codes, and credentials redacted from every message.
``_options``
    the credential options of the commands that talk to X, and the client they make.
``_lock``, ``_export_state``
    the export's lock file and state file.
``_send``, ``_events``, ``_export``, ``_emulator``, ``_demo``, ``_redirect``, ``_listen``
    one module per command, named after it (the export and the demo hold their
    engine too).
``_webhooks``, ``_subscribe``
    the webhook commands; ``_webhooks`` takes ``_listen``'s token options and event lines.
``_app``
    the ``tweepy-dm`` group and :data:`~tweepy_dm.cli._app.COMMANDS`, its commands.
``_main``
    the console-script entry point; without click or rich it says how to install
    the ``cli`` extra.

To add a command: write ``_name.py`` with one ``@click.command()`` function
(add ``@credential_options`` and ``@handle_errors`` if it talks to X), then add
it to ``COMMANDS`` in ``_app.py`` (import the module on the line above).
"""
