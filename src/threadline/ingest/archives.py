"""Zip containers (DOCX, XLSX, ...) checked before anything is unpacked.

Office files are zip archives, and a zip can be a bomb: a few kilobytes that
unpack to gigabytes, or millions of entries. :func:`check_zip` reads only the
archive's central directory (the declared sizes, which Python's ``zipfile``
never reads past) and refuses an archive whose entry count, total unpacked size
or compression ratio is absurd, so nothing is ever unpacked from it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from threadline.ingest.text import ReadError

__all__ = ["MAX_ENTRIES", "MAX_RATIO", "MAX_UNPACKED", "check_zip"]

#: More entries than this is no office document (a large DOCX has a few hundred).
MAX_ENTRIES = 10_000
#: Total unpacked size allowed (bytes).
MAX_UNPACKED = 512 * 2**20
#: Unpacked/packed ratio allowed for an entry that unpacks to more than 1 MiB
#: (XML packs about 10:1, a bomb about 1000:1).
MAX_RATIO = 200


def check_zip(
    data: bytes,
    *,
    path: str | Path,
    what: str = "zip archive",
    max_entries: int = MAX_ENTRIES,
    max_unpacked: int = MAX_UNPACKED,
    max_ratio: int = MAX_RATIO,
) -> zipfile.ZipFile:
    """The open archive of ``data`` once it is known to be safe to unpack.

    ``what`` names the expected file type in messages ("DOCX file"). Raises
    :class:`ReadError` for bytes that are not a zip archive, or an archive
    refused as a probable zip bomb, with the figure that refused it.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(path, f"not a {what} (not a valid zip archive: {exc})") from exc
    if len(entries) > max_entries:
        raise ReadError(
            path,
            f"refused as a probable zip bomb: {len(entries):,} entries "
            f"(over the limit of {max_entries:,}); not unpacked",
        )
    total = sum(e.file_size for e in entries)
    if total > max_unpacked:
        raise ReadError(
            path,
            f"refused as a probable zip bomb: it would unpack to {total / 2**20:,.0f} MB "
            f"(over the limit of {max_unpacked / 2**20:,.0f} MB); not unpacked",
        )
    for e in entries:
        if e.file_size > 2**20 and e.file_size > max_ratio * max(e.compress_size, 1):
            raise ReadError(
                path,
                f"refused as a probable zip bomb: entry '{e.filename[:100]}' unpacks "
                f"{e.file_size / max(e.compress_size, 1):,.0f} times its packed size "
                f"(over the limit of {max_ratio}); not unpacked",
            )
    return archive
