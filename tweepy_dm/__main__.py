"""``python -m tweepy_dm``: the same as the ``tweepy-dm`` command."""

from tweepy_dm.cli._main import main

if __name__ == "__main__":
    main()
