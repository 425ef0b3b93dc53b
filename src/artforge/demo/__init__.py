"""`artforge demo`: one work of every medium, shown on one page."""
