"""The studio: a local web page for making art with the models, the artist steering.

- `settings`: where the studio keeps its files, its limits, who may connect.
- `app`: the FastAPI application (REST API + the static page) and its guard.
- `workers` / `worker`: the server's pool of worker processes and one worker's loop; jobs
  live in the catalog (`artforge.catalog.jobs`).
- `tasks`: what each kind of job does, calling the library's pipelines.
- `uploads`, `gallery`, `models`, `features`: checked uploads, the catalog's works, the
  models one can create with, and which media this installation offers.
"""
