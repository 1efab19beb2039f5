"""The ``tweepy-dm`` command line (needs the ``cli`` extra: click and rich)."""
