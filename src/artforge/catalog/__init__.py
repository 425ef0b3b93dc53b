"""The catalog: a SQLite record of every run, model and work, and provenance inside files.

- `db`: where the catalog lives and how it is opened (`connect`, `catalog_path`).
- `migrations`: the schema, versioned with `PRAGMA user_version`.
- `records`: adding and reading runs, models and works.
- `provenance`: the same facts written into PNG and MIDI files.
- `reproduce`: making a catalogued work again and checking it is byte-identical.
- `jobs`: the studio's queue of long work, run by its worker processes.

The submodules are imported one by one so that a caller pays only for what it uses.
"""
