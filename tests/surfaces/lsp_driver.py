"""A small LSP client for tests: JSON-RPC over a server's stdin/stdout, as an editor speaks it.

Written by hand (no pygls client) so the tests check the bytes on the wire: the
Content-Length framing, the method names and the JSON shapes an editor sees.
"""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable
from typing import Any

# Only against a server that hangs: never reached by a working one.
HANG_GUARD_S = 60.0


class LspDriver:
    def __init__(self, command: list[str], cwd: str, env: dict[str, str] | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()  # a pipe nobody reads could fill and block
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._messages: queue.Queue[dict | None] = queue.Queue()
        self._next_id = 0
        self.notifications: list[dict] = []
        self._responses: dict[int, dict] = {}
        threading.Thread(target=self._read, daemon=True).start()

    # ----------------------------------------------------------- the wire
    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self._messages.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self._messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _pump(self) -> None:
        """Take one message off the wire; answer server requests, file the rest."""
        message = self._messages.get(timeout=HANG_GUARD_S)
        if message is None:
            self._stderr.seek(0)
            raise ConnectionError(self._stderr.read().decode(errors="replace"))
        if "method" in message and "id" in message:
            self._send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)
        else:
            self._responses[message["id"]] = message

    # ------------------------------------------------------------ protocol
    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self._send({"id": request_id, "method": method, "params": params})
        while request_id not in self._responses:
            self._pump()
        response = self._responses.pop(request_id)
        if "error" in response:
            raise RuntimeError(response["error"])
        return response["result"]

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, method: str, where: Callable[[dict], bool] = lambda p: True) -> dict:
        """The params of the first notification ``method`` matching ``where``, consumed."""
        while True:
            for index, message in enumerate(self.notifications):
                if message["method"] == method and where(message["params"]):
                    del self.notifications[: index + 1]
                    return message["params"]
            self._pump()

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        """The next diagnostics published for ``uri`` (for ``version``, when given)."""

        def matches(params: dict) -> bool:
            return params["uri"] == uri and (version is None or params.get("version") == version)

        return self.wait_for("textDocument/publishDiagnostics", matches)["diagnostics"]

    def initialize(self, root_uri: str) -> dict:
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root_uri,
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {
                        "publishDiagnostics": {"relatedInformation": True},
                        "codeAction": {
                            "codeActionLiteralSupport": {
                                "codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}
                            }
                        },
                    },
                },
            },
        )
        self.notify("initialized", {})
        return result

    def close(self) -> int:
        """shutdown + exit, as an editor ends a session; the server's exit status."""
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            return self.process.wait(timeout=HANG_GUARD_S)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self._stderr):
                stream.close()


def utf16_offset(line: str, character: int) -> int:
    """The code-point index of a UTF-16 ``character`` offset into ``line``."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def apply_text_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP TextEdits (UTF-16 positions, all against the original text) as an editor does."""
    lines = text.split("\n")

    def offset(position: dict) -> int:
        line = position["line"]
        before = sum(len(x) + 1 for x in lines[:line])
        return before + utf16_offset(
            lines[line] if line < len(lines) else "", position["character"]
        )

    ordered = sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True)
    for edit in ordered:
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text
