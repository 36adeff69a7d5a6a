"""One module per emulator gap; each defines apply(). See sandbox/emulator/server.py."""
