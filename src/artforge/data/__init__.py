"""Built-in data and loaders for the user's own files."""
