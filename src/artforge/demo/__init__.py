"""`artforge demo`: works of every medium on one page (its parts come from artforge.media)."""
