"""One lock for every call into PDFium.

PDFium is not thread-safe: two threads reading different documents at once
corrupt its heap and abort the process (seen with the flow's concurrent
extract tasks). Every module that touches pypdfium2 holds this lock; the slow
work around it (Tesseract subprocesses, table structuring) runs outside it.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
