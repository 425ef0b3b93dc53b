"""Build artforge's picture libraries (builtin:photo-library, builtin:art-library,
builtin:wallpapers; artforge.data.libraries) from Debian packages: `apt-get download`, the
.deb files read in pure Python, pictures picked from games, educational software, sample
data and desktop wallpapers, near-duplicates and the held-out paintings left out, every file's
package and licence in SOURCES.md.

Held out for evaluation and never written: Hokusai's *Poppies*, Renoir's *Girls at the Piano*
and Bazille's *Ramparts at Aigues-Mortes*. GCompris ships them; they are dropped by title and
every other candidate is compared with them by a perceptual hash, so a copy in another
package is dropped too.

Pictures are RGB JPEG, longest side at most 1024 px, short side at least 256 px. Needs Pillow
with WebP, and `apt-get` (`apt-get download` needs no root; `apt-get update`, when its package
lists do not know a package, does).
"""

from artforge.data.fetch_libraries.build import LibrariesBuilt, fetch_libraries

__all__ = ["LibrariesBuilt", "fetch_libraries"]
