"""Failing-test extractor for ``P``, the minimal test framework Pester's own repository runs
its ``*.ts.ps1`` self-tests with (``p.psm1``): ``| - block`` opens a block, ``[+] - name`` is
a passed test, ``[-] - name -> message`` a failed assertion and ``ERROR: - name -> message``
an exception; each script ends ``passed N, failed M, total T``. Travis keeps the colour codes
but may lose their escape byte (``[39;49m[31mERROR: - …``), so a line may start with them.
The test is the name as printed; the message is the text after ``->``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_FAILED = r"^\S*(?:\[-\]|ERROR:) - (\S.*?) -> (\S.*)$"
_COLOUR_TAIL = re.compile(r"(?:\[\d+(?:;\d+)*m)+$")


class PesterP(Extractor):
    name = "pester-p"
    triggers = (_FAILED,)
    _LINE = re.compile(_FAILED)

    def feed(self, text: str, number: int = 0) -> None:
        m = self._LINE.match(text)
        if m:
            test = m.group(1).strip()
            self.add(test, number)
            message = _COLOUR_TAIL.sub("", m.group(2)).strip()
            self.note(test, message=message, line=number, raw=text)
