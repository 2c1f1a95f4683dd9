"""Speech for the hall display, the evaluator and (later) the kiosk: offline Mandarin.

    pack = load_pack(Path("assets/voice/cmn-espeak"))     # kiosk/speech/voicepack.py
    r = Renderer(pack, EspeakSynth()).announcement(Call("A012", 3), repeat=2)
    r.pcm.write_wav(Path("call.wav")); r.sequence         # ["chime", "请", "A", "零", …]

Pieces: phrases.py (text → clip names), pcm.py (PCM, WAV, trim, chime), voicepack.py (the
folder of clips), synth.py (libespeak-ng via ctypes, for building packs and free text),
render.py (clips → one buffer), announcer.py (one at a time, backlog collapsed, each call
once), player.py (the Player interface; pygame.mixer's lives in screens/audio.py).
No pygame here, and nothing is loaded at import.
"""
