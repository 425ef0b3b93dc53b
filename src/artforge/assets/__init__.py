"""Files artforge ships (no code): the built-in paintings, the Bach chorales as MIDI, trained
model folders (builtin:NAME). Loaders live in artforge.data and the media."""
