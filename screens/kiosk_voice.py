"""The kiosk's voice: a few reminders said aloud as well as shown (请取回您的身份证 after a
ticket, while the card is still on the reader), through kiosk/speech — the voice pack's clips
where they cover the text, the offline synthesiser for the rest — on the announcer's own
thread, so the screen never waits for a sound.

No voice (no voice pack, no sound device) is not an error: the kiosk shows what it would
have said, and says why once in the log."""

from __future__ import annotations

import logging

from kiosk.config import Config
from kiosk.speech.announcer import Announcer
from kiosk.speech.pcm import SpeechError

log = logging.getLogger(__name__)


def open_voice(cfg: Config) -> Announcer | None:
    """The configured voice pack on the speaker, started; None when speech is unavailable."""
    from kiosk.speech.render import open_renderer
    from screens.audio import MixerPlayer

    try:
        renderer = open_renderer(cfg)
    except (SpeechError, OSError) as exc:
        log.warning("the kiosk speaks no reminders: voice pack %s: %s",
                    cfg.speech.voice_pack, exc)
        return None
    speaker = MixerPlayer(renderer.rate, cfg.speech.volume)
    try:
        speaker.open()
    except SpeechError as exc:
        log.warning("the kiosk speaks no reminders: %s", exc)
        return None
    voice = Announcer(renderer, speaker, repeat=1)
    voice.start()
    return voice
