"""python-telegram-bot's ``conversationbot.py``, ported to a DM bot.

The same conversation: /start asks your gender, then a photo (or /skip), then
where you are (or /skip), then something about yourself; /cancel ends it at
any point. X's DMs have no location messages: the location is "latitude,
longitude" as text. What the user says is logged, and kept in the
conversation's data.

Run it with the bot user's OAuth 1.0a keys in the environment (or
``tweepy-dm emulator``'s variables, X_API_URL included):

    python conversation_bot.py
"""

from __future__ import annotations

import logging
import os

import tweepy_dm
from tweepy_dm.bot import Context, DMBot

logger = logging.getLogger(__name__)

GENDER, PHOTO, LOCATION, BIO = "gender", "photo", "location", "bio"
LAT_LONG = r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$"


def build(bot: DMBot) -> None:
    """Register the conversation's handlers on ``bot``."""
    flow = bot.conversation(name="professor")

    @flow.entry(command="start")
    def start(context: Context) -> str:
        """Starts the conversation and asks the user about their gender."""
        context.reply(
            "Hi! My name is Professor Bot. I will hold a conversation with you. "
            "Send /cancel to stop talking to me.\n\n"
            "Are you a boy or a girl? (Boy, Girl or Other)"
        )
        return GENDER

    @flow.state(GENDER, text="^(Boy|Girl|Other)$")
    def gender(context: Context) -> str:
        """Stores the selected gender and asks for a photo."""
        logger.info("Gender of %s: %s", context.message.sender_id, context.text)
        context.data["gender"] = context.text
        context.reply(
            "I see! Please send me a photo of yourself, "
            "so I know what you look like, or send /skip if you don't want to."
        )
        return PHOTO

    @flow.state(PHOTO, when=lambda context: context.message.attachments)
    def photo(context: Context) -> str:
        """Stores the photo's media key and asks for a location."""
        media_key = context.message.attachments["media_keys"][0]
        logger.info("Photo of %s: %s", context.message.sender_id, media_key)
        context.data["photo"] = media_key
        context.reply(
            "Gorgeous! Now, send me your location please (latitude, longitude), "
            "or send /skip if you don't want to."
        )
        return LOCATION

    @flow.state(PHOTO, command="skip")
    def skip_photo(context: Context) -> str:
        """Skips the photo and asks for a location."""
        logger.info("User %s did not send a photo.", context.message.sender_id)
        context.reply("I bet you look great! Now, send me your location please, or send /skip.")
        return LOCATION

    @flow.state(LOCATION, text=LAT_LONG)
    def location(context: Context) -> str:
        """Stores the location and asks for some info about the user."""
        latitude, longitude = (float(value) for value in context.match.groups())
        logger.info("Location of %s: %f / %f", context.message.sender_id, latitude, longitude)
        context.data["location"] = [latitude, longitude]
        context.reply("Maybe I can visit you sometime! At last, tell me something about yourself.")
        return BIO

    @flow.state(LOCATION, command="skip")
    def skip_location(context: Context) -> str:
        """Skips the location and asks for info about the user."""
        logger.info("User %s did not send a location.", context.message.sender_id)
        context.reply("You seem a bit paranoid! At last, tell me something about yourself.")
        return BIO

    @flow.state(BIO, text=r"^(?!/)")
    def bio(context: Context) -> object:
        """Stores the info about the user and ends the conversation."""
        logger.info("Bio of %s: %s", context.message.sender_id, context.text)
        context.data["bio"] = context.text
        context.reply("Thank you! I hope we can talk again some day.")
        return flow.END

    @flow.fallback(command="cancel")
    def cancel(context: Context) -> object:
        """Cancels and ends the conversation."""
        logger.info("User %s canceled the conversation.", context.message.sender_id)
        context.reply("Bye! I hope we can talk again some day.")
        return flow.END


def main() -> None:
    """Run the bot until Ctrl-C (or SIGTERM)."""
    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s", level=logging.INFO)
    client = tweepy_dm.Client(
        consumer_key=os.environ["X_CONSUMER_KEY"],
        consumer_secret=os.environ["X_CONSUMER_SECRET"],
        access_token=os.environ["X_ACCESS_TOKEN"],
        access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"],
        api_url=os.environ.get("X_API_URL", "https://api.twitter.com"),
    )
    bot = DMBot(store="sqlite:///conversation_bot.db", clients=client)
    build(bot)
    bot.run(source="poll", install_signals=True)


if __name__ == "__main__":
    main()
